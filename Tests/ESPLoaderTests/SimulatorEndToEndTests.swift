import ESPLoader
import ESPProtocol
import ESPSimulator
import SerialTransport
import TestSupport
import Testing

/// The client against the real simulator over its pty: connect (no reset; the simulated board
/// starts in download mode), probe, flash the real MicroPython image through the ROM loader.
@Suite(.serialized) struct SimulatorEndToEndTests {
    /// Starts a board in-process and opens its pty like a serial port.
    func withBoard(_ profile: BoardProfile, initialState: ChipState = .bootloader,
                   _ body: (SimulatedBoard, LoaderClient) throws -> Void) throws {
        let board = try SimulatedBoard(options: BoardOptions(profile: profile, initialState: initialState, controlSocket: false))
        try board.start()
        defer {
            board.stop()
            board.waitUntilStopped()
        }
        let port = try SerialPort(path: board.ptyPath, baud: 115_200)
        defer { port.close() }
        try body(board, LoaderClient(link: port))
    }

    @Test(arguments: BoardProfile.all)
    func probeMatchesTheProfile(profile: BoardProfile) throws {
        try withBoard(profile) { _, client in
            let connected = try client.connect(strategies: [.noReset], attempts: 3)
            #expect(!connected.stubAlreadyRunning)
            #expect(!connected.portCannotReset)
            let info = try client.probe()
            #expect(info.chipName == profile.identity.chipName)
            #expect(info.isESP8285 == profile.identity.isESP8285)
            #expect(info.macAddress == profile.macText)
            #expect(info.efuses == profile.efuses)
            #expect(info.crystalMHz == profile.crystalMHz)
            #expect(info.jedecID == profile.jedec.raw)
            #expect(info.flashSize == profile.flashSize)
            #expect(info.flashVendor == profile.jedec.vendor)
            #expect(info.embeddedFlashSize == profile.identity.embeddedFlashSize)
        }
    }

    @Test(arguments: BoardProfile.all)
    func flashMicroPythonThroughTheROM(profile: BoardProfile) throws {
        let image = try TestEnvironment.loadMicroPythonFirmware()
        try withBoard(profile) { board, client in
            try client.connect(strategies: [.noReset], attempts: 3)
            let info = try client.probe()
            let flashSize = try #require(info.flashSize)
            guard image.count <= flashSize else {
                // The 512 KB ESP-01 cannot hold this image: the caller must refuse before writing.
                #expect(profile.flashSize < image.count)
                return
            }
            var last: FlashProgress?
            let plan = try client.writeFlash(image: image, offset: 0) { last = $0 }
            #expect(plan.blockCount == 582)
            #expect(last?.bytesWritten == image.count)
            let flash = board.readFlash(offset: 0, count: plan.blockCount * plan.blockSize)
            #expect(Array(flash.prefix(image.count)) == image)
            #expect(flash.dropFirst(image.count).allSatisfy { $0 == 0xFF })
        }
    }

    @Test func fullChipEraseAndRegionEraseThroughTheROM() throws {
        try withBoard(.nodemcu) { board, client in
            board.writeFlash(offset: 0x10000, bytes: [UInt8](repeating: 0, count: 0x3000))
            board.writeFlash(offset: 0x3F_F000, bytes: [1, 2, 3])
            try client.connect(strategies: [.noReset], attempts: 3)
            try client.eraseRegion(offset: 0x10000, size: 0x2000)
            #expect(board.readFlash(offset: 0x10000, count: 0x2000).allSatisfy { $0 == 0xFF })
            #expect(board.readFlash(offset: 0x12000, count: 0x1000).allSatisfy { $0 == 0 })
            try client.eraseFlash(chipSize: BoardProfile.nodemcu.flashSize)
            #expect(board.flashContents().allSatisfy { $0 == 0xFF })
        }
    }

    @Test func runUserCodeLeavesTheLoader() throws {
        try withBoard(.nodemcu) { board, client in
            try client.connect(strategies: [.noReset], attempts: 3)
            try client.runUserCode()
            // The ROM has replied to FLASH_END(1) and now runs the flash image.
            var waited = 0
            while board.state == .bootloader && waited < 100 {
                SystemLoaderClock().sleep(for: .milliseconds(10))
                waited += 1
            }
            #expect(board.state != .bootloader)
        }
    }

    @Test func stubOperationsAgainstTheSimulatedStub() throws {
        let image = try TestEnvironment.loadMicroPythonFirmware()
        try withBoard(.nodemcu) { board, client in
            try client.connect(strategies: [.noReset], attempts: 3)
            // Any RAM upload with an entry point starts the simulated stub (no real stub code is run).
            try client.uploadToRAM(segments: [RAMSegment(address: 0x4010_E000, data: [UInt8](repeating: 0, count: 7000))],
                                   entry: 0x4010_E000)
            try client.waitForStubGreeting()
            #expect(client.loaderKind == .stub)
            #expect(board.state == .stub)
            try client.changeBaud(to: 460_800)
            #expect(client.link.baud == 460_800)
            try client.writeFlashCompressed(image: image, offset: 0)   // verified by the stub's MD5
            #expect(Array(board.readFlash(offset: 0, count: image.count)) == image)
            #expect(try client.flashMD5(offset: 0x1000, size: 0x2000) == MD5.digest(Array(image[0x1000..<0x3000])))
            #expect(try client.readFlash(offset: 0x8000, length: 10_000) == Array(image[0x8000..<0x8000 + 10_000]))
            try client.eraseRegion(offset: 0x10000, size: 0x1000)
            #expect(board.readFlash(offset: 0x10000, count: 0x1000).allSatisfy { $0 == 0xFF })
            try client.runUserCodeFromStub()
        }
    }

    @Test func autoResetIntoTheBootloaderFromRunningFirmware() throws {
        let board = try SimulatedBoard(options: BoardOptions(profile: .nodemcu, initialState: .firmware, controlSocket: false))
        try board.start()
        defer {
            board.stop()
            board.waitUntilStopped()
        }
        let port = try SerialPort(path: board.ptyPath, baud: 115_200)
        defer { port.close() }
        let link = LinkWithModemLines(base: port, lines: board.modemLines())
        let client = LoaderClient(link: link)
        #expect(board.state == .firmware)
        let result = try client.connect()
        #expect(result.attempt == 1, "unix-tight reset with the default delay should enter the bootloader")
        #expect(board.state == .bootloader)
        #expect(try client.probe().macAddress == BoardProfile.nodemcu.macText)
        #expect(try client.hardReset() == .performed)
    }
}
