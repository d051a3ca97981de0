import Foundation
import SerialTransport

/// The board's RESET and BOOT buttons, the DTR/RTS lines through its auto-reset circuit, the USB cable and injected line faults.
extension SimulatedBoard {
    /// Taps RESET. With `holdingBoot` (or the BOOT button held) the chip enters download mode.
    public func pressReset(holdingBoot: Bool = false) {
        lock.withLock {
            guard plugged else { return }
            inReset = false
            strapDeadline = nil
            pendingOutputs = chip.reset(gpio0Low: holdingBoot || bootButton || circuit.gpio0Low(dtr: dtr, rts: rts))
        }
    }

    /// Holds the BOOT/FLASH button (GPIO0 to ground).
    public func holdBootButton() { lock.withLock { bootButton = true } }

    /// Releases the BOOT/FLASH button.
    public func releaseBootButton() { lock.withLock { bootButton = false } }

    /// Sets DTR and RTS as a USB adapter drives them (true = asserted). Acts only on boards with
    /// the auto-reset circuit.
    public func setModemLines(dtr: Bool, rts: Bool) {
        lock.withLock {
            self.dtr = dtr
            self.rts = rts
            guard plugged else { return }
            let enLow = circuit.enLow(dtr: dtr, rts: rts)
            if enLow {
                if !inReset { pendingOutputs = [] }
                inReset = true
                strapDeadline = nil
            } else if inReset && strapDeadline == nil {
                strapDeadline = .now + Self.strapSampleDelay
            }
        }
    }

    /// Unplugs the USB cable: the pty closes (clients get EIO) and the chip loses power.
    public func unplug() { requestPlug(false) }

    /// Plugs the cable back in: a new pty (the link moves to it) and a power-on boot.
    public func replug() { requestPlug(true) }

    /// Sets the injected line faults.
    public func setFaults(_ faults: WireFaults) { lock.withLock { wire.faults = faults } }

    /// Makes the flash byte at `address` read wrong through READ_FLASH the next `times` times.
    public func setFlakyRead(address: Int, times: Int) {
        lock.withLock { chip.hardware.flakyRead = times > 0 ? FlakyRead(address: address, times: times) : nil }
    }

    private func requestPlug(_ plug: Bool) {
        let done = DispatchSemaphore(value: 0)
        let serving = lock.withLock { () -> Bool in
            guard running, thread != nil else {
                applyPlug(plug)
                return false
            }
            plugRequests.append((plug, done))
            return true
        }
        if serving { done.wait() }
        let path: String? = lock.withLock { plugged ? currentPTYPath : nil }
        onPTYChange?(path)
    }

    /// Must hold the lock; runs on the serving thread (or before it started).
    func applyPlug(_ plug: Bool) {
        if plug == plugged { return }
        if !plug {
            pty?.close()
            pty = nil
            removeLink()
            plugged = false
            pendingOutputs = []
            inReset = false
            strapDeadline = nil
            return
        }
        guard let newPTY = try? PseudoTerminal(initialBaud: 115_200) else { return }
        pty = newPTY
        currentPTYPath = newPTY.slavePath
        plugged = true
        dtr = false
        rts = false
        try? updateLink()
        pendingOutputs = chip.reset(gpio0Low: bootButton, cause: .powerOn)
    }

    func updateLink() throws {
        guard let link = options.linkPath, plugged else { return }
        removeLink()
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: currentPTYPath)
    }

    func removeLink() {
        guard let link = options.linkPath else { return }
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) != nil {
            try? FileManager.default.removeItem(atPath: link)
        }
    }
}
