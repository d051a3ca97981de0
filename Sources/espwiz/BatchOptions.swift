import ArgumentParser

/// What `flash --all` and `station` share: the boards to use and how to report them.
struct BatchOptions: ParsableArguments {
    @Flag(help: "Write newline-delimited JSON events to standard output (schema espwiz-events/1, docs/events.md) instead of the table.")
    var json = false

    @Option(name: .customLong("button-wait"), help: "Seconds between checks while a board waits for its BOOT/FLASH button.")
    var buttonWait: Double = 3
}
