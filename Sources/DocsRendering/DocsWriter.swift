import Foundation
import RunRecord

/// Saves rendered install docs as `<out>/<platform>.md`, with the images they reference in `<out>/images/`.
public enum DocsWriter {
    /// Renders `record` for `platforms` and writes the files; returns the paths written, docs first.
    ///
    /// Images go to `<out>/<options.imagesFolder>` when `copyImages` is true (the default).
    @discardableResult
    public static func write(_ record: RunRecord, platforms: [DocsPlatform] = DocsPlatform.allCases,
                             options: DocsOptions = DocsOptions(), to outputFolder: URL,
                             copyImages: Bool = true) throws -> [URL] {
        let renderer = try DocsRenderer()
        let fm = FileManager.default
        var written: [URL] = []
        do {
            try fm.createDirectory(at: outputFolder, withIntermediateDirectories: true)
        } catch {
            throw DocsRenderingError.write(path: outputFolder.path, reason: error.localizedDescription)
        }
        var referenced: [WiringDiagram.Image] = []
        for platform in platforms {
            let text = try renderer.render(record, platform: platform, options: options)
            let url = outputFolder.appendingPathComponent(platform.rawValue + ".md")
            try save(Data(text.utf8), to: url)
            written.append(url)
            for image in WiringDiagram.images where text.contains("(" + options.imagesFolder + image.fileName + ")")
                && !referenced.contains(image) {
                referenced.append(image)
            }
        }
        if copyImages, !referenced.isEmpty {
            let folder = outputFolder.appendingPathComponent(options.imagesFolder, isDirectory: true)
            do {
                try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw DocsRenderingError.write(path: folder.path, reason: error.localizedDescription)
            }
            for image in referenced {
                let url = folder.appendingPathComponent(image.fileName)
                try save(Data(image.svg.utf8), to: url)
                written.append(url)
            }
        }
        return written
    }

    private static func save(_ data: Data, to url: URL) throws {
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw DocsRenderingError.write(path: url.path, reason: error.localizedDescription)
        }
    }
}
