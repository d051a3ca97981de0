extension ErrorCatalogue {
    /// Problems after flashing, seen in the boot log or at the REPL.
    static let bootEntries: [CatalogueEntry] = [
        CatalogueEntry(
            id: "flash-mode-bootloop", title: "Flashed fine but does not boot (flash mode)",
            cause: "The image asks for a flash mode (e.g. QIO) the board's flash cannot do, so the ROM cannot read the code back after a successful write.",
            linux: "Flash again with a safer mode: DIO, and if that fails DOUT (esptool: `-fm dio` / `-fm dout`); many NodeMCU and ESP-01 boards need DOUT.\nWatch the boot log at 74880 baud: `picocom -b 74880 /dev/ttyUSB0`.",
            macos: "Flash again with flash mode DIO, then DOUT if needed (esptool: `-fm dio` / `-fm dout`).\nWatch the boot log at 74880 baud: `screen /dev/cu.usbserial-XXXX 74880`.",
            windows: "Flash again with flash mode DIO, then DOUT if needed (esptool: `-fm dio` / `-fm dout`).\nWatch the boot log in PuTTY (Serial, COMx, speed 74880)."),
        CatalogueEntry(
            id: "boot-loop", title: "Endless resets (rst cause:4)",
            cause: "The ROM banner repeats with rst cause:4 (hardware watchdog): the firmware crashes at start, usually a wrong flash mode or size, an incomplete write, or a weak power supply.",
            linux: "Erase the whole flash, then write again with flash mode DIO (or DOUT) and the detected flash size.\nCheck the power: a USB port on a hub may not deliver the 300+ mA the Wi-Fi calibration needs.\nWatch the log: `picocom -b 74880 /dev/ttyUSB0` (the SDK part prints at 74880, MicroPython at 115200).",
            macos: "Erase the whole flash, write again with flash mode DIO (or DOUT) and the detected size, and use a direct USB port.\nWatch the log: `screen /dev/cu.usbserial-XXXX 74880`.",
            windows: "Erase the whole flash, write again with flash mode DIO (or DOUT) and the detected size, and use a rear USB port.\nWatch the log in PuTTY at 74880 baud on COMx."),
        CatalogueEntry(
            id: "boot-checksum-error", title: "Boot log says csum err",
            cause: "The ROM read the image at offset 0 and its checksum did not match: the write was incomplete or corrupt, or the flash mode is wrong.",
            linux: "Erase the flash and write the firmware again (it is checked before writing, so the file is fine); if it repeats, use flash mode DIO or DOUT.\nKeep the USB cable still and use 115200 baud if writes were unreliable.",
            macos: "Erase the flash and write again; if it repeats, use flash mode DIO or DOUT and 115200 baud.",
            windows: "Erase the flash and write again; if it repeats, use flash mode DIO or DOUT and 115200 baud."),
        CatalogueEntry(
            id: "blank-flash", title: "Flash is blank or unreadable at boot",
            cause: "The boot log shows `load 0xffffffff, len -1` or `flash read err`: there is no firmware at offset 0, or the flash cannot be read.",
            linux: "Write the firmware at offset 0 (not 0x1000 or another address).\nIf it was written, the flash mode is too fast for the chip: write again with DIO or DOUT.",
            macos: "Write the firmware at offset 0; if it was written, write again with flash mode DIO or DOUT.",
            windows: "Write the firmware at offset 0; if it was written, write again with flash mode DIO or DOUT."),
        CatalogueEntry(
            id: "sdio-boot-mode", title: "Wrong boot mode: boot mode:(5,x) or waiting for host",
            cause: "GPIO15 is high at reset, so the chip starts in SDIO mode instead of flash or UART download mode.",
            linux: "Pull GPIO15 (D8 on NodeMCU/Wemos) to GND with a 10 kΩ resistor and disconnect anything that drives it high at power-up.\nThe boot line should then read `boot mode:(3,x)` (flash) or `(1,x)` (download); check with `picocom -b 74880 /dev/ttyUSB0`.",
            macos: "Pull GPIO15 (D8) to GND with 10 kΩ and free it from other circuits; check the boot line with `screen /dev/cu.usbserial-XXXX 74880`.",
            windows: "Pull GPIO15 (D8) to GND with 10 kΩ and free it from other circuits; check the boot line in PuTTY at 74880 baud."),
        CatalogueEntry(
            id: "gpio0-held-low", title: "Starts in download mode on a normal reset",
            cause: "GPIO0 is low when the chip leaves reset (FLASH/BOOT button held, a wire from GPIO0 to GND left in place, or DTR held asserted by a terminal), so the boot line reads boot mode:(1,x) and the chip waits for a flasher instead of running the firmware.",
            linux: "Release the FLASH/BOOT button and remove any wire from GPIO0 (D3 on NodeMCU/Wemos) to GND; on a bare module GPIO0 needs a 10 kΩ pull-up to 3.3 V.\nClose serial terminals that keep DTR asserted, or open them with the lines low (`picocom --lower-dtr --lower-rts -b 115200 /dev/ttyUSB0`), then press RST.\nThe boot line at 74880 baud should now read `boot mode:(3,x)`: `picocom -b 74880 /dev/ttyUSB0`.",
            macos: "Release the FLASH/BOOT button and remove any wire from GPIO0 (D3) to GND; a bare module needs a 10 kΩ pull-up on GPIO0.\nClose terminals that keep DTR asserted, press RST, and check for `boot mode:(3,x)` with `screen /dev/cu.usbserial-XXXX 74880`.",
            windows: "Release the FLASH/BOOT button and remove any wire from GPIO0 (D3) to GND; a bare module needs a 10 kΩ pull-up on GPIO0.\nClose terminals that keep DTR asserted (in PuTTY untick DTR flow control), press RST, and check for `boot mode:(3,x)` at 74880 baud."),
        CatalogueEntry(
            id: "no-boot-log", title: "Nothing printed after reset",
            cause: "No ROM boot message arrived at 74880 baud after a reset: the board is not powered, TX/RX are swapped or broken, the reset did not reach EN, or the crystal is not 26 MHz (then the log comes at 115200).",
            linux: "Check that the board's power LED is on and that it is plugged straight into the computer with a data cable.\nOn a bare module cross the wires (adapter TX to module RX, RX to TX), share GND, and tie EN/CH_PD to 3.3 V.\nWatch the line yourself while pressing RST: `picocom -b 74880 /dev/ttyUSB0` (try 115200 for a 40 MHz crystal, e.g. some ESP8285 boards).",
            macos: "Check power and the data cable; on a bare module cross TX/RX, share GND and tie EN to 3.3 V.\nWatch the line while pressing RST: `screen /dev/cu.usbserial-XXXX 74880` (115200 for a 40 MHz crystal).",
            windows: "Check power and the data cable; on a bare module cross TX/RX, share GND and tie EN to 3.3 V.\nWatch the line in PuTTY (Serial, COMx, 74880; 115200 for a 40 MHz crystal) while pressing RST."),
        CatalogueEntry(
            id: "repl-no-answer", title: "MicroPython REPL does not answer",
            cause: "No `>>>` prompt at 115200 baud after flashing: the firmware did not start (see boot-loop), the terminal uses the wrong speed, or it is busy with the first-boot filesystem setup.",
            linux: "Press RST and wait 5 seconds (the first boot formats the filesystem), then press Enter in a terminal at 115200: `picocom -b 115200 /dev/ttyUSB0`.\nIf you see garbage at 115200, look at the boot log at 74880 baud for csum err or rst cause:4.",
            macos: "Press RST, wait 5 seconds, then press Enter in `screen /dev/cu.usbserial-XXXX 115200`; check the boot log at 74880 baud if nothing appears.",
            windows: "Press RST, wait 5 seconds, then press Enter in PuTTY (Serial, COMx, 115200); check the boot log at 74880 baud if nothing appears."),
        CatalogueEntry(
            id: "check-fw-failed", title: "esp.check_fw() returned False",
            cause: "MicroPython's own check found that the flash content differs from the MD5 stored in the image: the write was incomplete or the flash is unreliable.",
            linux: "Erase the flash and write again at 115200 baud with a good cable, then run `import esp; esp.check_fw()` again.\nIf it keeps failing, the flash chip is bad or the power supply is too weak.",
            macos: "Erase the flash and write again at 115200 baud, then run `import esp; esp.check_fw()` again; repeated failures mean a bad flash chip.",
            windows: "Erase the flash and write again at 115200 baud, then run `import esp; esp.check_fw()` again; repeated failures mean a bad flash chip."),
        CatalogueEntry(
            id: "not-verified", title: "Written but not verified (--no-verify)",
            cause: "The run skipped the boot check, so nobody saw MicroPython start on the board and espwiz does not call it a success. Through the flasher stub the written bytes were checked with MD5; through the ROM loader (--no-stub) nothing was checked.",
            linux: "Check it now: `espwiz repl --port /dev/ttyUSB0` (or `picocom -b 115200 /dev/ttyUSB0`), press RST, then type `import esp; esp.check_fw()`: it must print True.\nOr flash again without --no-verify and espwiz does the check itself.",
            macos: "Check it now: `espwiz repl --port /dev/cu.usbserial-XXXX` (or `screen /dev/cu.usbserial-XXXX 115200`), press RST, then type `import esp; esp.check_fw()`: it must print True. Or flash again without --no-verify.",
            windows: "Check it now: `espwiz repl --port COM3` (or PuTTY: Serial, COMx, 115200), press RST, then type `import esp; esp.check_fw()`: it must print True. Or flash again without --no-verify."),
    ]
}
