import Foundation
import RunRecord

/// Saves rendered install docs as `<out>/<platform>.md` (or `.rst`), with the images they reference in `<out>/images/`.
///
/// Everything is rendered in memory first, then written to a hidden staging folder inside `<out>` and
/// renamed into place: a template error or bad input leaves the output folder as it was.
public enum DocsWriter {
    /// Renders `record` for `platforms` and writes the files; returns the paths written, docs first.
    ///
    /// Images go to `<out>/<options.imagesFolder>` when `copyImages` is true (the default).
    @discardableResult
    public static func write(_ record: RunRecord, platforms: [DocsPlatform] = DocsPlatform.allCases,
                             options: DocsOptions = DocsOptions(), to outputFolder: URL,
                             copyImages: Bool = true) throws -> [URL] {
        try write(RunSelection(included: [record], leftOut: []), platforms: platforms, options: options,
                  renderer: DocsRenderer(), to: outputFolder, copyImages: copyImages)
    }

    /// Renders one guide per platform for the runs in `selection` with `renderer`'s templates and writes them.
    @discardableResult
    public static func write(_ selection: RunSelection, platforms: [DocsPlatform] = DocsPlatform.allCases,
                             options: DocsOptions = DocsOptions(), renderer: DocsRenderer, to outputFolder: URL,
                             copyImages: Bool = true) throws -> [URL] {
        // 1. Render everything: any error stops here, before the output folder is touched.
        var files: [(name: String, data: Data)] = []
        var referenced: [WiringDiagram.Image] = []
        for platform in platforms {
            let text = try renderer.render(selection, platform: platform, options: options)
            files.append((platform.rawValue + "." + options.format.fileExtension, Data(text.utf8)))
            for image in WiringDiagram.images where !referenced.contains(image)
                && (text.contains("(" + options.imagesFolder + image.fileName + ")") || text.contains(":: " + options.imagesFolder + image.fileName)) {
                referenced.append(image)
            }
        }
        if copyImages {
            for image in referenced { files.append((options.imagesFolder + image.fileName, Data(image.svg.utf8))) }
        }
        return try stage(files, into: outputFolder)
    }

    /// Writes `files` (paths relative to `folder`) into a staging folder inside `folder`, then renames each into place.
    static func stage(_ files: [(name: String, data: Data)], into folder: URL) throws -> [URL] {
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw DocsRenderingError.write(path: folder.path, reason: error.localizedDescription)
        }
        let staging = folder.appendingPathComponent(".espwiz-docs-\(UUID().uuidString)", isDirectory: true)
        defer { try? fm.removeItem(at: staging) }
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw DocsRenderingError.write(path: staging.path, reason: error.localizedDescription)
        }
        // Staged under numbers: a target may lie outside the folder (images in "../images/").
        for (i, file) in files.enumerated() {
            let url = staging.appendingPathComponent(String(i))
            do {
                try file.data.write(to: url)
            } catch {
                throw DocsRenderingError.write(path: folder.appendingPathComponent(file.name).standardizedFileURL.path,
                                               reason: error.localizedDescription)
            }
        }
        var written: [URL] = []
        for (i, file) in files.enumerated() {
            let from = staging.appendingPathComponent(String(i))
            let to = folder.appendingPathComponent(file.name).standardizedFileURL
            do {
                try fm.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                // rename(2) replaces an existing file in one step.
                guard rename(from.path, to.path) == 0 else {
                    throw DocsRenderingError.write(path: to.path, reason: String(cString: strerror(errno)))
                }
            } catch let e as DocsRenderingError {
                throw e
            } catch {
                throw DocsRenderingError.write(path: to.path, reason: error.localizedDescription)
            }
            written.append(to)
        }
        return written
    }
}
