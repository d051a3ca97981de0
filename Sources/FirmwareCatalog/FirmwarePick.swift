import ESPProtocol

/// The build espwiz chose for a request, and why (the sentence goes into the run record and the docs).
public struct FirmwarePick: Sendable, Equatable {
    /// The chosen file.
    public var build: FirmwareBuild
    /// The request it answers.
    public var request: FirmwareRequest

    /// Creates a pick.
    public init(build: FirmwareBuild, request: FirmwareRequest) {
        self.build = build
        self.request = request
    }

    /// E.g. "picked from the measured flash size: 1MB → ESP8266_GENERIC-FLASH_1M v1.23.0 (the latest stable release)".
    public var reason: String {
        "picked from the \(request.sizeSource == .measured ? "measured" : "given") flash size: \(SizeText.format(request.flashSize)) → \(build.buildID) \(build.versionTag) (\(request.version))"
    }
}
