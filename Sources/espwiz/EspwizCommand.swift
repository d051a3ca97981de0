import ArgumentParser

/// The `espwiz` command: flash MicroPython onto an ESP8266 and document what was done.
@main
struct EspwizCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "espwiz",
        abstract: "Flash MicroPython onto an ESP8266 board and write down exactly how it was done.",
        version: EspwizVersion.description,
        subcommands: [WizardCommand.self, FlashCommand.self, ProbeCommand.self, ReplCommand.self, PortsCommand.self,
                      DoctorCommand.self, ExplainCommand.self, DocsCommand.self, SimulateCommand.self, StationCommand.self,
                      ServeCommand.self, FirmwareCommand.self,
                      BackupCommand.self, RestoreCommand.self],
        defaultSubcommand: WizardCommand.self
    )
}
