/// Where a loader hands control after a command.
public enum LoaderTransition: Equatable, Sendable {
    /// A RAM stub was started; it greets with `OHAI` and speaks the stub protocol.
    case startStub
    /// Leave the loader and boot the image in flash (FLASH_END(1), RUN_USER_CODE).
    case bootFlash
    /// Soft reboot back into the ROM download mode (boot mode stays latched).
    case reenterROM
    /// The chip stopped (e.g. jumped into ROM SPIEraseChip); only a reset revives it.
    case halt
}

/// What one command did: UART activity and an optional change of program.
public struct LoaderStep: Equatable, Sendable {
    /// Output in order.
    public var outputs: [ChipOutput]
    /// Control transfer after the outputs, if any.
    public var transition: LoaderTransition?

    /// Creates a step.
    public init(_ outputs: [ChipOutput] = [], transition: LoaderTransition? = nil) {
        self.outputs = outputs
        self.transition = transition
    }
}
