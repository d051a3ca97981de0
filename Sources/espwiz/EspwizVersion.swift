import FlashEngine

/// The version of espwiz, recorded in run records and printed by `--version` (kept in one place: the engine).
enum EspwizVersion {
    static let current = EngineInfo.toolVersion
}
