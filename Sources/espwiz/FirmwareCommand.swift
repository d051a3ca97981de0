import ArgumentParser
import DocsRendering
import ESPProtocol
import FirmwareCatalog
import FirmwareDownload
import FlashEngine
import Foundation

/// `espwiz firmware list|get`: the MicroPython builds on offer, and the right one for a flash size, without a browser.
struct FirmwareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firmware",
        abstract: "List MicroPython's ESP8266 builds and download the right one for a flash size.",
        discussion: """
        espwiz picks ESP8266_GENERIC for 2MB and more, FLASH_1M for 1MB (ESP-01S, ESP-01M), FLASH_512K for
        512KB, and FLASH_2M_ROMFS with --romfs. Files are checked (image, size word, MD5, banner) and kept in
        the cache in the state folder, so they can be used again offline.

        Examples:
          espwiz firmware list
          espwiz firmware list --flash-size 1MB
          espwiz firmware get --flash-size 1MB --out ~/Downloads
          espwiz firmware get --flash-size 4MB --micropython 1.23.0
        """,
        subcommands: [FirmwareListCommand.self, FirmwareGetCommand.self]
    )
}

/// Which build to fetch and from where: shared by `firmware list|get` and `flash` without a file.
struct FirmwareChoiceOptions: ParsableArguments {
    @Option(name: .customLong("micropython"), help: "Version to get: latest (default), preview, or e.g. 1.23.0.")
    var micropython: String?

    @Flag(name: .customLong("romfs"), help: "Get the FLASH_2M_ROMFS build (2MB boards and up).")
    var romfs = false

    @Option(name: .customLong("firmware-index"), help: "The page listing the builds: a mirror URL, an HTML file or a folder of .bin files.")
    var firmwareIndex: String?

    /// Settings with the cache in the state folder (`ESPWIZ_STATE_DIR` moves it).
    func settings() -> DownloadSettings {
        DownloadSettings(indexURL: firmwareIndex ?? DownloadSettings.defaultIndexURL,
                         cacheFolder: StateDirectory.standard().url.appendingPathComponent("firmware"))
    }

    /// The request for a board with `size` bytes of flash.
    func request(flashSize size: Int) -> FirmwareRequest {
        FirmwareRequest(flashSize: size, version: VersionRequest(text: micropython), romfs: romfs)
    }
}

/// Options of `firmware list` and `firmware get`: the flash size, and the build choice.
struct FirmwareSourceOptions: ParsableArguments {
    @Option(name: .customLong("flash-size"), help: "The board's flash size, e.g. 512KB, 1MB, 4MB (see `espwiz probe`).")
    var flashSize: String?

    @OptionGroup var choice: FirmwareChoiceOptions

    /// The flash size in bytes, when given.
    func bytes() throws -> Int? {
        guard let flashSize else { return nil }
        guard let bytes = FlashSizeText.parse(flashSize) else {
            throw ValidationError("--flash-size '\(flashSize)' is not a size; use e.g. 512KB, 1MB or 4MB.")
        }
        return bytes
    }

    func settings() -> DownloadSettings { choice.settings() }
    func request(flashSize size: Int) -> FirmwareRequest {
        var request = choice.request(flashSize: size)
        request.sizeSource = .given
        return request
    }
}

/// `espwiz firmware list`.
struct FirmwareListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Show the builds and versions on offer, and the one espwiz would pick.")

    @OptionGroup var source: FirmwareSourceOptions

    @Flag(name: .long, help: "Show every version, not only the newest ten.")
    var all = false

    func run() async throws {
        let size = try source.bytes()
        let loaded: LoadedIndex
        do { loaded = try await FirmwareFetcher(settings: source.settings()).loadIndex() } catch { throw FirmwareFailure.report(error) }
        for note in loaded.notes { print(note) }
        let index = loaded.index
        print("Builds on offer at \(index.sourceURL):\n")
        let tags = all ? index.versionTags : Array(index.versionTags.prefix(10))
        let width = max(7, tags.map(\.count).max() ?? 0)
        print("  " + "version".padding(toLength: width, withPad: " ", startingAt: 0) + "  date        builds")
        for tag in tags {
            let builds = index.builds(versionTag: tag)
            let date = builds.first.map { "\($0.date.prefix(4))-\($0.date.dropFirst(4).prefix(2))-\($0.date.suffix(2))" } ?? ""
            let kind = tag.contains("-") ? "  (preview)" : ""
            print("  " + tag.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(date)  " + builds.map(\.variant.label).joined(separator: " ") + kind)
        }
        if index.versionTags.count > tags.count { print("  … \(index.versionTags.count - tags.count) older versions (--all shows them)") }
        print("")
        let sizes = size.map { [$0] } ?? [512 << 10, 1 << 20, 4 << 20]
        for bytes in sizes {
            let label = size == nil && bytes == 4 << 20 ? "2MB and larger" : SizeText.format(bytes)
            switch Result(catching: { () throws(FirmwareCatalogError) -> FirmwarePick in try BuildPicker.pick(from: index, for: source.request(flashSize: bytes)) }) {
            case .success(let pick):
                print("For a \(label) board espwiz would pick \(pick.build.fileName)\n  \(pick.build.url)")
            case .failure(let error):
                print("For a \(label) board espwiz would pick nothing: \(error.description) [\(error.catalogueID)]")
            }
        }
    }
}

/// `espwiz firmware get`.
struct FirmwareGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Download and check the right build for a flash size, without flashing.")

    @OptionGroup var source: FirmwareSourceOptions

    @Option(name: .long, help: "Also copy the checked file into this folder.")
    var out: String?

    func run() async throws {
        guard let size = try source.bytes() else {
            throw ValidationError("Give the board's flash size with --flash-size (e.g. 1MB); `espwiz probe` measures it.")
        }
        let outFolder = out.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
        let progress = DownloadProgressLine()
        let fetched: FetchedFirmware
        do {
            fetched = try await FirmwareFetcher(settings: source.settings())
                .fetch(source.request(flashSize: size), outFolder: outFolder, progress: { progress.update($0, $1) })
        } catch {
            progress.finish()
            throw FirmwareFailure.report(error)
        }
        progress.finish()
        for note in fetched.notes { print(note) }
        print("""
        \(fetched.pick.build.fileName) (\(fetched.size) bytes)
          \(fetched.pick.reason)
          from    \(fetched.pick.build.url)
          banner  \(fetched.banner)
          SHA-256 \(fetched.sha256)
          saved   \(fetched.file.path)
        Flash it with: espwiz flash \(ShellQuoting.posix(fetched.file.path))
        """)
    }
}

/// Turns a firmware error into its message, catalogue id and exit code.
enum FirmwareFailure {
    static func report(_ error: any Error) -> any Error {
        guard let known = error as? any CataloguedError else { return error }
        FileHandle.standardError.write(Data("error: \(known.description)\n  (espwiz explain \(known.catalogueID))\n".utf8))
        return ExitCode(known is FirmwareCatalogError ? EspwizExitCode.firmwareRejected.rawValue : EspwizExitCode.failure.rawValue)
    }
}

/// A one-line download progress bar on standard error (only on a terminal).
final class DownloadProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var shown = false
    private let isTerminal = isatty(2) == 1

    func update(_ received: Int, _ total: Int?) {
        guard isTerminal else { return }
        lock.withLock {
            var line = "\rDownloading \(received / 1024) KB"
            if let total, total > 0 {
                let filled = min(30, received * 30 / total)
                line = "\rDownloading [" + String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled) + "] \(received * 100 / total)% of \(total / 1024) KB"
            }
            FileHandle.standardError.write(Data(line.utf8))
            shown = true
        }
    }

    func finish() {
        lock.withLock { if shown { FileHandle.standardError.write(Data("\n".utf8)); shown = false } }
    }
}
