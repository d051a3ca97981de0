/// The version of espwiz, recorded in run records and printed by `--version`.
enum EspwizVersion {
    static let current = "0.1.0"
}
