import ESPProtocol

/// Chooses the build for a flash size and version from an index: `ESP8266_GENERIC` for 2 MiB and up,
/// `FLASH_1M` for 1 MiB, `FLASH_512K` for 512 KiB, `FLASH_2M_ROMFS` when asked. Refuses instead of guessing.
public enum BuildPicker {
    /// The variant a board with `flashSize` bytes needs (nil: the version decides, see `pick`).
    public static func variant(for request: FirmwareRequest) throws(FirmwareCatalogError) -> FirmwareVariant {
        let size = request.flashSize
        guard size >= 512 << 10 else { throw .flashTooSmall(flashSize: size) }
        if request.romfs {
            guard size >= 2 << 20 else { throw .romfsNeeds2MiB(flashSize: size) }
            return .flash2MROMFS
        }
        if size >= 2 << 20 { return .generic }
        if size >= 1 << 20 { return .flash1M }
        return .flash512K
    }

    /// The build to download for `request` from `index`.
    public static func pick(from index: FirmwareIndex, for request: FirmwareRequest) throws(FirmwareCatalogError) -> FirmwarePick {
        let wanted = try variant(for: request)
        let tag = try versionTag(in: index, for: request.version)
        let offered = index.builds(versionTag: tag)
        if let build = offered.first(where: { $0.variant == wanted }) {
            return try checked(FirmwarePick(build: build, request: request))
        }
        // Up to v1.12 the generic build ran on 1 MiB and no FLASH_1M build existed.
        if wanted == .flash1M, let generic = offered.first(where: { $0.variant == .generic }),
           generic.variant.minimumFlashSize(version: generic.version) <= request.flashSize {
            return try checked(FirmwarePick(build: generic, request: request))
        }
        let newer = index.builds.first { $0.variant == wanted && $0.isPreview == (request.version == .preview) }
        throw .variantNotOffered(variant: wanted, flashSize: request.flashSize, versionTag: tag,
                                 offered: offered.map(\.variant).sorted(), newestWithVariant: newer?.versionTag, url: index.sourceURL)
    }

    /// The version tag `request` names among the builds of `index`.
    public static func versionTag(in index: FirmwareIndex, for request: VersionRequest) throws(FirmwareCatalogError) -> String {
        let candidates: [FirmwareBuild]
        switch request {
        case .latestStable: candidates = index.builds.filter { !$0.isPreview }
        case .preview: candidates = index.builds.filter { $0.versionTag.contains("-preview") }
        case .exact: candidates = index.builds.filter { request.matches($0) }
        }
        guard let newest = candidates.max(by: { $0.sortKey < $1.sortKey }) else {
            let stable = index.versionTags.filter { !$0.contains("-") }
            throw .versionNotOffered(request: request, available: Array((stable.isEmpty ? index.versionTags : stable).prefix(8)), url: index.sourceURL)
        }
        return newest.versionTag
    }

    /// A last guard: the chosen build must fit the flash it was chosen for.
    private static func checked(_ pick: FirmwarePick) throws(FirmwareCatalogError) -> FirmwarePick {
        let minimum = pick.build.variant.minimumFlashSize(version: pick.build.version)
        guard pick.request.flashSize >= minimum else {
            throw .variantNotOffered(variant: pick.build.variant, flashSize: pick.request.flashSize, versionTag: pick.build.versionTag,
                                     offered: [], newestWithVariant: nil, url: pick.build.url)
        }
        return pick
    }
}
