// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "espwiz",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "espwiz", targets: ["espwiz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // MARK: C shims and system libraries
        .target(name: "CSerialShim", path: "Sources/CSerialShim"),
        .systemLibrary(name: "CReadline", path: "Sources/CReadline", providers: [.apt(["libreadline-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),

        // MARK: Pure logic
        /// ESP8266 ROM / stub serial protocol: SLIP, packets, commands, ROM facts. No I/O.
        .target(name: "ESPProtocol"),
        /// Firmware image parsing and checks (ESP8266 v1 image, MicroPython layout).
        .target(name: "FirmwareImage", dependencies: [
            "ESPProtocol", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        /// The catalogue of failures with cause and fix.
        .target(name: "Troubleshooting"),
        /// The versioned JSON record of a run (the source of generated docs).
        .target(name: "RunRecord"),
        /// Install docs (Markdown per platform) rendered from a run record with the templates in Templates/.
        /// `Templates` and `Images` inside the target are symlinks to the repository's Templates/ and docs/images/.
        .target(name: "DocsRendering", dependencies: [
            "RunRecord", .product(name: "Mustache", package: "swift-mustache"),
        ], resources: [.embedInCode("Templates"), .embedInCode("Images")]),

        // MARK: I/O layers
        /// Serial ports (termios), pseudo-terminals, locks, modem lines.
        .target(name: "SerialTransport", dependencies: ["CSerialShim"]),
        /// Serial port discovery (Linux sysfs) and USB bridge identification.
        .target(name: "PortDiscovery"),
        /// The loader client: reset, sync, probe, ROM flashing.
        .target(name: "ESPLoader", dependencies: [
            "ESPProtocol", "SerialTransport", "CZlib", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        /// The simulated ESP8266 board behind a pty.
        .target(name: "ESPSimulator", dependencies: [
            "ESPProtocol", "SerialTransport", "CZlib", .product(name: "Crypto", package: "swift-crypto"),
        ]),

        /// The flashing engine: firmware check, connect, baud ladder, erase/write, boot verification, run record.
        .target(name: "FlashEngine", dependencies: [
            "ESPProtocol", "FirmwareImage", "SerialTransport", "PortDiscovery", "ESPLoader", "RunRecord", "Troubleshooting",
            "DocsRendering",
        ]),

        /// The guided wizard's terminal UI (GNU readline) and flow.
        .target(name: "Wizard", dependencies: ["CReadline", "FlashEngine", "RunRecord", "Troubleshooting"]),

        // MARK: Executable
        .executableTarget(name: "espwiz", dependencies: [
            "ESPProtocol", "FirmwareImage", "Troubleshooting", "SerialTransport", "PortDiscovery",
            "ESPLoader", "ESPSimulator", "RunRecord", "FlashEngine", "Wizard", "DocsRendering",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: Tests
        .testTarget(name: "ESPProtocolTests", dependencies: ["ESPProtocol"]),
        .testTarget(name: "RunRecordTests", dependencies: ["RunRecord"]),
        .testTarget(name: "FlashEngineTests", dependencies: ["FlashEngine", "TestSupport"]),
        .testTarget(name: "DocsRenderingTests", dependencies: ["DocsRendering", "RunRecord", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "FirmwareImageTests", dependencies: ["FirmwareImage", "ESPProtocol", "TestSupport"]),
        .testTarget(name: "TroubleshootingTests", dependencies: ["Troubleshooting"]),
        .testTarget(name: "SerialTransportTests", dependencies: ["SerialTransport"]),
        .testTarget(name: "PortDiscoveryTests", dependencies: ["PortDiscovery", "TestSupport"]),
        .testTarget(name: "ESPLoaderTests", dependencies: ["ESPLoader", "ESPProtocol", "SerialTransport", "TestSupport", "ESPSimulator"]),
        .testTarget(name: "ESPSimulatorTests", dependencies: ["ESPSimulator", "ESPProtocol", "SerialTransport", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "espwiz"]),
        /// Faults at every phase of a flash run, signals, port locks, bad inputs (the fault matrix).
        .testTarget(name: "FaultMatrixTests", dependencies: [
            "FlashEngine", "ESPSimulator", "ESPLoader", "FirmwareImage", "RunRecord", "SerialTransport", "Troubleshooting",
            "TestSupport", "espwiz",
        ]),
        /// Shared test helpers: locating esptool, the real firmware, synthetic images, the built binary.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
    ],
    swiftLanguageModes: [.v6]
)
