import ESPProtocol

/// Why no build could be chosen from an index; each case names the page and the fix.
public enum FirmwareCatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The page does not list ESP8266 builds the way espwiz knows (micropython.org changed its layout, or the URL is wrong).
    case layoutChanged(url: String, detail: String)
    /// The version asked for is not on the page.
    case versionNotOffered(request: VersionRequest, available: [String], url: String)
    /// The build this flash size needs is not offered for the chosen version (e.g. a 1 MiB board, only the generic build).
    case variantNotOffered(variant: FirmwareVariant, flashSize: Int, versionTag: String, offered: [FirmwareVariant],
                           newestWithVariant: String?, url: String)
    /// MicroPython has no build for boards this small.
    case flashTooSmall(flashSize: Int)
    /// The ROMFS build was asked for on a board under 2 MiB.
    case romfsNeeds2MiB(flashSize: Int)

    /// Stable id of the troubleshooting catalogue entry.
    public var catalogueID: String {
        switch self {
        case .layoutChanged: "firmware-index-layout"
        case .versionNotOffered: "firmware-version-not-offered"
        case .variantNotOffered: "firmware-variant-not-offered"
        case .flashTooSmall, .romfsNeeds2MiB: "firmware-no-build-for-flash"
        }
    }

    /// What is wrong and the fix.
    public var description: String {
        switch self {
        case .layoutChanged(let url, let detail):
            return "The firmware list at \(url) does not look as expected: \(detail). espwiz will not guess which file to flash. A Wi-Fi login page answering in place of the list looks like this too: log in with a browser first. "
                + "Update espwiz, or download the .bin yourself from \(url) and flash it with `espwiz flash FILE`, or point --firmware-index at a mirror."
        case .versionNotOffered(let request, let available, let url):
            let list = available.isEmpty ? "no stable release" : available.joined(separator: ", ")
            return "\(url) offers no ESP8266 build of \(request) (on offer: \(list)). Pick one of those with --micropython VERSION, or leave it out for the latest stable release."
        case .variantNotOffered(let variant, let flashSize, let versionTag, let offered, let newest, let url):
            let offer = offered.isEmpty ? "nothing usable" : offered.map(\.buildID).joined(separator: ", ")
            var text = "This board has \(SizeText.format(flashSize)) of flash and needs the \(variant.buildID) build, but \(url) offers only \(offer) for \(versionTag). "
                + "A build for bigger flash would write past the end of the chip and leave a board that does not boot."
            if let newest, newest != versionTag { text += " \(variant.buildID) is offered for \(newest): use --micropython \(newest)." }
            else { text += " Download \(variant.buildID) by hand (or from a mirror with --firmware-index URL) and flash it with `espwiz flash FILE`." }
            return text
        case .flashTooSmall(let size):
            return "This board has only \(SizeText.format(size)) of flash; the smallest MicroPython build (FLASH_512K) needs 512KB. Check the measured size with `espwiz probe`; a board this small cannot run MicroPython."
        case .romfsNeeds2MiB(let size):
            return "The FLASH_2M_ROMFS build needs 2MB of flash, but this board has \(SizeText.format(size)). Leave out --romfs to get the build for this board."
        }
    }
}
