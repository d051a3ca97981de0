/// What a running espwiz simulator writes into the runtime directory so `espwiz ports` can list it.
public struct SimulatorAdvert: Sendable, Equatable, Codable {
    /// The pty slave path to open, e.g. `/dev/pts/5`.
    public var path: String
    /// An optional stable symlink to the pty slave, e.g. `/tmp/espwiz-sim0`.
    public var link: String?
    /// The simulated board profile id, e.g. `nodemcu-v1`.
    public var profile: String
    /// The profile's display name, e.g. `NodeMCU v1.0 (ESP-12E, CP2102)`.
    public var profileName: String
    /// The Unix socket the simulator accepts control commands on.
    public var controlSocket: String
    /// The simulator's process id; adverts of dead processes are ignored.
    public var pid: Int32

    /// Creates an advert.
    public init(path: String, link: String? = nil, profile: String, profileName: String, controlSocket: String, pid: Int32) {
        self.path = path
        self.link = link
        self.profile = profile
        self.profileName = profileName
        self.controlSocket = controlSocket
        self.pid = pid
    }

    /// The path a user should pass to `--port`: the link when there is one, else the pty.
    public var preferredPath: String { link ?? path }
}
