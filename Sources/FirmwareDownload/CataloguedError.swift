import FirmwareCatalog

/// An error that names its troubleshooting catalogue entry (`espwiz explain <id>`).
public protocol CataloguedError: Error, CustomStringConvertible {
    /// Stable id of the catalogue entry.
    var catalogueID: String { get }
}

extension FirmwareCatalogError: CataloguedError {}
extension FirmwareDownloadError: CataloguedError {}
