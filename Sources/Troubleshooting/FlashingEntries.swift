extension ErrorCatalogue {
    /// Problems while loading and writing.
    static let flashingEntries: [CatalogueEntry] = [
        CatalogueEntry(
            id: "stub-failed", title: "The flasher stub did not start",
            cause: "The small flasher program that espwiz (or esptool) loads into the chip's RAM never said hello (OHAI): the upload was corrupted at a high baud rate, or the chip reset.",
            linux: "espwiz carries on through the chip's ROM loader by itself (slower, uncompressed) and remembers this adapter; to choose that from the start, use `espwiz flash --no-stub …`.\nRetry at 115200 baud (`--baud 115200`) with a short data cable without a hub.\nWith esptool: `esptool --no-stub …` skips its stub.",
            macos: "espwiz carries on through the ROM loader by itself; `espwiz flash --no-stub …` chooses that from the start.\nRetry at 115200 baud with a short data cable without a hub; with esptool, `--no-stub` skips its stub.",
            windows: "espwiz carries on through the ROM loader by itself; `espwiz flash --no-stub …` chooses that from the start.\nRetry at 115200 baud with a short data cable without a hub and an up-to-date bridge driver (CP210x VCP / CH341SER); with esptool, `--no-stub` skips its stub."),
        CatalogueEntry(
            id: "stub-no-lzma", title: "The running flasher stub does not take LZMA data",
            cause: "A flasher stub was already running in the chip's RAM (left there by esptool or by an older espwiz) and answered espwiz's LZMA write with \"invalid command\", so the image went over as zlib data: about 6 % more bytes, equally checked with MD5.",
            linux: "Nothing is broken: the write was checked.\nTo get the faster LZMA write next time, reset the board (press RST, or unplug and replug it) before running espwiz, so that espwiz loads its own stub.",
            macos: "Nothing is broken: the write was checked.\nReset the board (RST, or unplug and replug) before the next run so that espwiz loads its own stub.",
            windows: "Nothing is broken: the write was checked.\nReset the board (RST, or unplug and replug) before the next run so that espwiz loads its own stub."),
        CatalogueEntry(
            id: "baud-change-unsupported", title: "The ROM cannot change baud rate",
            cause: "Without the stub (--no-stub), the ESP8266 ROM loader has no baud-change command, so the session stays at the initial 115200 baud.",
            linux: "Nothing is broken: flashing continues at 115200 baud (about a minute for MicroPython).\nTo silence the warning, do not ask for a higher baud together with `--no-stub`.",
            macos: "Nothing is broken: flashing continues at 115200 baud.\nDo not ask for a higher baud together with `--no-stub`.",
            windows: "Nothing is broken: flashing continues at 115200 baud.\nDo not ask for a higher baud together with `--no-stub`."),
        CatalogueEntry(
            id: "flash-write-failed", title: "Writing a block failed (checksum error)",
            cause: "A data block reached the chip corrupted (status 0x0107 checksum error), usually from a too high baud rate, a poor cable or an adapter that drops bytes.",
            linux: "Retry at 115200 baud with a short data cable plugged directly into the computer.\nCheck `dmesg | tail` for USB errors; try another USB socket.\nIf the board is powered from the adapter's 3.3 V pin, use a supply that gives at least 300 mA.",
            macos: "Retry at 115200 baud with a short data cable plugged directly into the Mac (no dongle chain).\nUpdate the bridge driver (Silicon Labs CP210x VCP / WCH CH34x).",
            windows: "Retry at 115200 baud with a short data cable on a rear USB socket.\nUpdate the bridge driver (CP210x VCP / CH341SER / CH343SER / FTDI VCP)."),
        CatalogueEntry(
            id: "flash-empty-after-write", title: "Flash still empty after writing",
            cause: "Verification read back only erased bytes (0xFF): the flash is write-protected, faulty, or not the size the writer assumed.",
            linux: "Erase the whole flash and write again at 115200 baud.\nIf it still reads empty, the flash chip is faulty or write-protected: try another module.",
            macos: "Erase the whole flash and write again at 115200 baud; if it still reads empty, replace the module.",
            windows: "Erase the whole flash and write again at 115200 baud; if it still reads empty, replace the module."),
        CatalogueEntry(
            id: "md5-mismatch", title: "Flash content differs from the file (MD5 mismatch)",
            cause: "After writing, the MD5 of the flash differs from the file's: bytes were corrupted on the way or the flash did not keep them (weak power, worn or fake flash).",
            linux: "Erase the flash and write again at 115200 baud with a good cable.\nPower the board from a supply that gives at least 300 mA at 3.3 V.\nIf the mismatch comes back at the same place, the flash chip is bad.",
            macos: "Erase and write again at 115200 baud with a good cable and stable power; repeated mismatches mean a bad flash chip.",
            windows: "Erase and write again at 115200 baud with a good cable and stable power; repeated mismatches mean a bad flash chip."),
    ]
}
