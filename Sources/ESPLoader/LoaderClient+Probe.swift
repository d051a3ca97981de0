import ESPProtocol

extension LoaderClient {
    /// Identifies the board: chip magic, eFuses (name, MAC, chip id), crystal, flash JEDEC id.
    ///
    /// Attaches the flash first (FLASH_BEGIN(0, 0, 0x400, 0) on the ROM, SPI_ATTACH on a stub).
    /// - Throws: `.wrongChip` for another chip, `.flashNotDetected` when no flash answers.
    public func probe() throws(LoaderError) -> BoardInfo {
        let magic = try connection.readRegister(ESP8266Registers.chipMagic)
        guard magic == ESP8266Registers.chipMagicValue else {
            throw .wrongChip(magic: magic, knownAs: ChipMagic.chipName(for: magic))
        }
        var efuses: [UInt32] = []
        for address in ESP8266Registers.efuse { efuses.append(try connection.readRegister(address)) }
        let divider = try connection.readRegister(ESP8266Registers.uartClockDivider) & 0xFFFFF
        try attachFlash()
        let jedec = try readFlashID()
        return BoardInfo(chipMagic: magic, efuses: efuses, uartDivider: divider, probeBaud: link.baud,
                         jedecID: jedec.raw, loader: loaderKind)
    }

    /// Makes the SPI flash usable: FLASH_BEGIN(0, 0, 0x400, 0) on the ROM (it has no SPI_ATTACH),
    /// SPI_ATTACH(0) on a stub.
    public func attachFlash() throws(LoaderError) {
        if loaderKind == .stub {
            try connection.command(.spiAttach(config: 0))
        } else {
            try connection.command(.flashBegin(eraseSize: 0, blocks: 0, blockSize: UInt32(FlashGeometry.romWriteBlockSize), offset: 0))
        }
    }

    /// Reads the flash JEDEC id with the SPI user command 0x9F.
    /// - Throws: `.flashNotDetected` when the id is all ones or all zeros.
    public func readFlashID() throws(LoaderError) -> JEDECID {
        let id = JEDECID(raw: try runSPICommand(.readJEDECID))
        if id.isAbsent { throw .flashNotDetected(jedecID: id.raw) }
        return id
    }

    /// Runs one SPI flash command through the user-command registers and returns W0.
    ///
    /// Saves SPI_USER and SPI_USER2, programs USER1/USER/USER2, clears W0 (or loads the MOSI
    /// words), sets SPI_CMD bit 18, polls it (at most 10 reads) until it clears, reads W0 and
    /// restores the two saved registers.
    public func runSPICommand(_ command: SPIUserCommand) throws(LoaderError) -> UInt32 {
        let savedUser = try connection.readRegister(ESP8266Registers.spiUser)
        let savedUser2 = try connection.readRegister(ESP8266Registers.spiUser2)
        try connection.writeRegister(ESP8266Registers.spiUser1, command.user1)
        try connection.writeRegister(ESP8266Registers.spiUser, command.user)
        try connection.writeRegister(ESP8266Registers.spiUser2, command.user2)
        if command.mosiData.isEmpty {
            try connection.writeRegister(ESP8266Registers.spiW0, 0)
        } else {
            var padded = command.mosiData
            while padded.count % 4 != 0 { padded.append(0) }
            for i in stride(from: 0, to: padded.count, by: 4) {
                try connection.writeRegister(ESP8266Registers.spiW0 + UInt32(i), LittleEndian.u32(padded, at: i))
            }
        }
        try connection.writeRegister(ESP8266Registers.spiCmd, ESP8266Registers.spiCmdUser)
        var done = false
        for _ in 0..<10 where !done {
            done = try connection.readRegister(ESP8266Registers.spiCmd) & ESP8266Registers.spiCmdUser == 0
        }
        guard done else { throw .spiCommandTimedOut }
        let result = try connection.readRegister(ESP8266Registers.spiW0)
        try connection.writeRegister(ESP8266Registers.spiUser, savedUser)
        try connection.writeRegister(ESP8266Registers.spiUser2, savedUser2)
        return result
    }
}
