import RunRecord

/// What the install docs say when the run reached the board over the network (`port.remote`):
/// the server to start on the machine the board is plugged into, and the URL esptool takes.
struct RemoteDocs {
    /// The URL in esptool's commands (`rfc2217://HOST:PORT?ign_set_control`).
    var mdURL: String
    /// RFC 2217: the server side can be espwiz serve or esptool's esp_rfc2217_server.
    var isRFC2217: Bool
    /// `espwiz serve …` on the board's machine.
    var mdServeCommand: String
    /// `esp_rfc2217_server …` on the board's machine (Python, installed with esptool).
    var mdPythonServerCommand: String
    /// The rate a raw socket bridge must be set to (`socket://`).
    var fixedBaud: Int

    /// The section's content for `remote`, with the far machine's port shown as `/dev/ttyUSB0`.
    init(_ remote: RemotePortRecord, baud: Int) {
        mdURL = MarkdownText.code(remote.esptoolURL)
        isRFC2217 = remote.scheme == .rfc2217
        let device = "/dev/ttyUSB0"
        mdServeCommand = MarkdownText.codeBlock([
            "espwiz serve --port \(device) --listen 0.0.0.0:\(remote.port)",
        ], language: "sh")
        mdPythonServerCommand = MarkdownText.codeBlock([
            "python3 -m venv ~/esptool-venv",
            ". ~/esptool-venv/bin/activate",
            "pip install esptool",
            "esp_rfc2217_server -p \(remote.port) \(device)",
        ], language: "sh")
        fixedBaud = baud
    }
}
