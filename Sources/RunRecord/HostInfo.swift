import Foundation

/// The operating system and environment of the run.
public struct HostInfo: Codable, Equatable, Sendable {
    /// `linux`, `macos` or `windows`.
    public var os: String
    /// Kernel or OS version text.
    public var osVersion: String
    /// CPU architecture.
    public var architecture: String

    /// Creates host info.
    public init(os: String, osVersion: String, architecture: String) {
        self.os = os
        self.osVersion = osVersion
        self.architecture = architecture
    }

    /// The machine this process runs on.
    public static var current: HostInfo {
        #if os(Linux)
        let os = "linux"
        #elseif os(macOS)
        let os = "macos"
        #elseif os(Windows)
        let os = "windows"
        #else
        let os = "unknown"
        #endif
        #if arch(x86_64)
        let arch = "x86_64"
        #elseif arch(arm64)
        let arch = "arm64"
        #else
        let arch = "unknown"
        #endif
        return HostInfo(os: os, osVersion: ProcessInfo.processInfo.operatingSystemVersionString, architecture: arch)
    }
}
