extension ErrorCatalogue {
    /// Boot-log problems learnt from real reports: RF init data, MEM CHECK FAIL, crashes, the
    /// latched download mode, and the 74880-baud boot log that looks like garbage.
    static let bootLogEntries: [CatalogueEntry] = [
        CatalogueEntry(
            id: "rf-init-data-missing", title: "rf_cal[0] !=0x05: RF init data missing",
            cause: "The SDK in the firmware found no valid RF calibration/init data in the sector 16 KB before the end of the flash (it was erased, written for another flash size, or never written), so it restarts in a loop.",
            linux: "Erase the whole flash and write MicroPython again: `espwiz flash FIRMWARE.bin` (MicroPython writes default RF data on its first boot).\nFor SDK firmware, write `esp_init_data_default.bin` at the flash size minus 0x4000: 0x7C000 (512 KB), 0xFC000 (1 MB), 0x1FC000 (2 MB), 0x3FC000 (4 MB), 0xFFC000 (16 MB): `esptool --port /dev/ttyUSB0 write-flash 0x3FC000 esp_init_data_default.bin`.\nCheck the detected flash size first (`espwiz probe`): data written for 4 MB sits outside a 1 MB chip.",
            macos: "Erase and write MicroPython again with `espwiz flash FIRMWARE.bin`; for SDK firmware write `esp_init_data_default.bin` at flash size minus 0x4000 (4 MB: 0x3FC000, 1 MB: 0xFC000).\nCheck the real flash size with `espwiz probe --port /dev/cu.usbserial-XXXX` first.",
            windows: "Erase and write MicroPython again with `espwiz flash FIRMWARE.bin`; for SDK firmware write `esp_init_data_default.bin` at flash size minus 0x4000 (4 MB: 0x3FC000, 1 MB: 0xFC000).\nCheck the real flash size with `espwiz probe --port COM3` first."),
        CatalogueEntry(
            id: "mem-check-fail", title: "MEM CHECK FAIL at start",
            cause: "Old SDK-based firmware prints MEM CHECK FAIL when its start-up check fails; in the reports it came with parts written at the wrong addresses, a mismatched SDK, or a terminal at the wrong speed around it.",
            linux: "Erase the whole flash and write one complete image at offset 0 (`espwiz flash FIRMWARE.bin`), not separate parts at guessed addresses.\nRead the console at the firmware's speed (MicroPython: 115200) after the 74880-baud boot log: `espwiz repl --boot-log --port /dev/ttyUSB0`.\nIf it persists with a current firmware, try another module.",
            macos: "Erase the flash and write one complete image at offset 0; read the console at 115200 (`espwiz repl --boot-log`). Try another module if it persists.",
            windows: "Erase the flash and write one complete image at offset 0; read the console at 115200 (`espwiz repl --boot-log --port COM3`). Try another module if it persists."),
        CatalogueEntry(
            id: "firmware-crash", title: "The firmware crashed (Fatal exception)",
            cause: "The flash write worked and the firmware started, then the CPU hit an exception (the number names it, e.g. 28 = LoadProhibited, 0 = IllegalInstruction) and the chip restarted.",
            linux: "Erase the whole flash and write a released MicroPython build again, then watch it start: `espwiz repl --boot-log --port /dev/ttyUSB0`.\nException 0/2/3 right at start usually means code read from flash in a mode the chip cannot do: write again with `--flash-mode dio` or `dout`.\nIf it crashes only when your code runs, the bug is in the code (a NULL pointer for 28/29); keep the epc1 value for a bug report.",
            macos: "Erase the flash, write a released build again and watch the start with `espwiz repl --boot-log`; exceptions 0/2/3 at start suggest `--flash-mode dio`/`dout`.",
            windows: "Erase the flash, write a released build again and watch the start with `espwiz repl --boot-log --port COM3`; exceptions 0/2/3 at start suggest `--flash-mode dio`/`dout`."),
        CatalogueEntry(
            id: "download-mode-latched", title: "Still in download mode after flashing",
            cause: "The chip samples GPIO0 only on a real reset; after a serial flash the download-mode strapping stays latched, so the first software restart (or the flasher's own reset on some adapters) lands in boot mode:(1,x) again.",
            linux: "Press the RST button once, or unplug and replug the board; the boot line at 74880 baud must then read boot mode:(3,x): `espwiz repl --boot-log --port /dev/ttyUSB0`.\nIf it stays (1,x) after a power cycle, GPIO0 is held low (see gpio0-held-low).",
            macos: "Press RST once or replug the board; check for boot mode:(3,x) with `espwiz repl --boot-log --port /dev/cu.usbserial-XXXX`.",
            windows: "Press RST once or replug the board; check for boot mode:(3,x) with `espwiz repl --boot-log --port COM3`."),
        CatalogueEntry(
            id: "boot-log-at-74880", title: "Garbage characters at reset (the 74880-baud boot log)",
            cause: "Not a fault: the ESP8266 ROM prints its boot log at 74880 baud (26 MHz crystal), MicroPython then talks at 115200, so a terminal set to one speed shows the other part as unreadable bytes.",
            linux: "Ignore the garbage before the MicroPython banner, or read both parts: `espwiz repl --boot-log --port /dev/ttyUSB0` resets the board and shows the boot log decoded before the prompt.\nTo read the ROM log with a plain terminal: `picocom -b 74880 /dev/ttyUSB0` (then 115200 for the REPL).",
            macos: "Ignore it, or read both parts with `espwiz repl --boot-log --port /dev/cu.usbserial-XXXX`; a plain terminal at 74880 shows the ROM log: `screen /dev/cu.usbserial-XXXX 74880`.",
            windows: "Ignore it, or read both parts with `espwiz repl --boot-log --port COM3`; PuTTY at 74880 baud shows the ROM log, at 115200 the REPL."),
    ]

    /// Link problems learnt from real reports: the wrong port, a too high rate, a failing driver.
    static let linkEntries: [CatalogueEntry] = [
        CatalogueEntry(
            id: "wrong-port", title: "Wrong serial port (not the board)",
            cause: "The tool talked to a port that is not the board's USB-serial adapter: a built-in UART (ttyS0, ttyAMA0, COM1) or the Mac's Bluetooth port, so nothing ever answers.",
            linux: "List the ports with and without the board plugged in: `espwiz ports` (or `ls /dev/ttyUSB* /dev/ttyACM*`); use the one that appears, e.g. `--port /dev/ttyUSB0`.\n/dev/ttyS0 and /dev/ttyAMA0 are the computer's own UARTs, not the board.",
            macos: "Use the /dev/cu.usbserial-*, /dev/cu.SLAB_USBtoUART or /dev/cu.wchusbserial* port (`espwiz ports`), never /dev/cu.Bluetooth-Incoming-Port.\nIf only Bluetooth ports exist, install the bridge driver (see driver-missing).",
            windows: "Open Device Manager > Ports (COM & LPT), unplug and replug the board, and use the COM number that appears and disappears (`espwiz ports`); COM1 is usually the motherboard's own port."),
        CatalogueEntry(
            id: "baud-too-high", title: "Baud rate too high for this adapter or cable",
            cause: "The chip answered at 115200, then the link failed after switching to the faster transfer rate (460800/921600): the USB-serial adapter, its driver or the cable cannot keep that speed.",
            linux: "Flash at 115200: `espwiz flash --baud 115200 FIRMWARE.bin` (esptool: `--baud 115200`); try 230400 or 460800 once that works.\nCH340 adapters with older kernels often fail above 460800; a short cable without a hub helps.",
            macos: "Flash at 115200 (`espwiz flash --baud 115200 FIRMWARE.bin`), then try 230400; update the CH34x / CP210x driver and avoid USB hubs.",
            windows: "Flash at 115200 (`espwiz flash --baud 115200 FIRMWARE.bin`; in the Arduino IDE set Upload Speed to 115200), then try 230400; update the CH341SER / CP210x driver."),
        CatalogueEntry(
            id: "driver-error", title: "The USB-serial driver fails (Windows)",
            cause: "Windows opened the driver but it failed: error 31 (a device attached to the system is not functioning), 433 (a device that does not exist was specified) or 121 (semaphore timeout); a wrong, outdated or counterfeit-chip driver, or a half-unplugged device.",
            linux: "Linux ships the drivers; if `dmesg | tail` shows errors for cp210x/ch341 after plugging in, try another cable and USB socket, and check for brltty (see brltty-grabs-port).",
            macos: "Remove old bridge drivers, install the current Silicon Labs CP210x VCP or WCH CH34x driver, replug the board.",
            windows: "In Device Manager > Ports (COM & LPT) uninstall the board's device (tick 'delete the driver'), unplug, and install the current driver: CP210x VCP (Silicon Labs) or CH341SER (WCH); for CH340 boards an older CH341SER version helps when the newest fails.\nReplug into another USB socket and check the COM port again."),
    ]
}
