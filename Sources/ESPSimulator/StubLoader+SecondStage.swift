import ESPProtocol

extension StubLoader {
    /// True when the second stage's commands (READ_FLASH in all its forms, FLASH_BLANK_SCAN,
    /// CLEAN_BEGIN/FINISH) are there: always on esptool's stub (its own answers), on espwiz's once
    /// loaded; before, espwiz's first stage answers them FF, as it does a compressed BEGIN.
    public var secondStageCommandsLoaded: Bool { decodersLoaded }

    /// The reply of espwiz's first stage to a second-stage command before that stage is loaded.
    func notLoaded(_ op: UInt8) -> LoaderStep { LoaderStep([reply(op, status: .stubFailure(.notImplemented))]) }

    /// MEM_BEGIN to espwiz's running stub (`StubSecondStage.begin`). A loaded second stage may be
    /// overwritten now, so the stub first finishes its clean (as busy time) and drops its
    /// read-back hash, as stub_protocol.c does before it stops being callable.
    mutating func memBegin(_ op: UInt8, size: UInt32, blockSize: UInt32, address: UInt32, hardware hw: inout ChipHardware) -> LoaderStep {
        var busy = Duration.zero
        if secondStage.loaded {
            if var job = cleanJob {
                let rest = job.finish(hardware: &hw)
                busy = rest.busy
                job.report = rest.report
                cleanJob = job
            }
            readBackHash = nil
        }
        let answer = reply(op, answer: secondStage.begin(size: size, blockSize: blockSize, address: address))
        return LoaderStep((busy > .zero ? [.busy(busy)] : []) + [answer])
    }
}
