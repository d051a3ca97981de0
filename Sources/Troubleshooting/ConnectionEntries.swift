extension ErrorCatalogue {
    /// Serial port and link problems.
    static let connectionEntries: [CatalogueEntry] = [
        CatalogueEntry(
            id: "no-serial-ports", title: "No serial port found",
            cause: "No USB-serial device is visible: the cable is charge-only, the board is not plugged in, or the USB-UART driver is missing.",
            linux: "Plug the board in with a cable known to carry data (many phone-charging cables have no data wires).\nRun `ls /dev/ttyUSB* /dev/ttyACM*` before and after plugging in; a new name should appear.\nRun `dmesg | tail` right after plugging in: look for `cp210x`, `ch341` or `ftdi_sio` and `attached to ttyUSB0`.\nIf dmesg shows the device and then `brltty` or `interface 0 claimed`, see brltty-grabs-port.",
            macos: "Plug the board in with a data cable (not a charge-only cable).\nRun `ls /dev/cu.*` before and after plugging in; expect `/dev/cu.usbserial-*`, `/dev/cu.SLAB_USBtoUART` or `/dev/cu.wchusbserial*`.\nIf nothing appears, check System Information > USB for the bridge, then install its driver: Silicon Labs CP210x VCP driver, or the WCH CH34x driver (CH340/CH9102).",
            windows: "Plug the board in with a data cable (not a charge-only cable).\nOpen Device Manager > Ports (COM & LPT) and watch for a new COMx entry when you plug in.\nIf the board appears under Other devices with a yellow mark, install the driver: CP210x VCP (Silicon Labs), CH341SER (CH340), CH343SER (CH9102/CH343) or FTDI VCP."),
        CatalogueEntry(
            id: "port-not-found", title: "Serial port does not exist",
            cause: "The port name given does not exist (typo, board unplugged, or it re-enumerated under another name).",
            linux: "List the ports: `ls /dev/ttyUSB* /dev/ttyACM*` and use the exact name (e.g. `/dev/ttyUSB0`).\nIf the name changes after a reset or replug, use the stable link under `/dev/serial/by-id/`.\nRun `dmesg | tail` after plugging in to see which name the kernel gave the board.",
            macos: "List the ports: `ls /dev/cu.*` and use the `/dev/cu.*` name (not `/dev/tty.*`).\nReplug the board and list again: the suffix of `/dev/cu.usbserial-XXXX` can change between USB sockets.",
            windows: "Open Device Manager > Ports (COM & LPT) and use the COMx number shown there (e.g. `COM3`).\nThe number changes when you use another USB socket; check it again after replugging."),
        CatalogueEntry(
            id: "permission-denied", title: "Permission denied on the serial port",
            cause: "Your user may not open the serial device (Linux: not in the dialout/uucp group).",
            linux: "Add yourself to the group that owns the port: `sudo usermod -aG dialout $USER` (Arch/Fedora: `uucp`; check with `ls -l /dev/ttyUSB0`).\nLog out and back in (or reboot) so the new group applies; `groups` must list `dialout`.\nDo not run espwiz with sudo as a workaround; it leaves root-owned files behind.",
            macos: "Close any program that has the port open, then replug the board.\nUse the `/dev/cu.*` device, not `/dev/tty.*`.\nIf it persists, reinstall the bridge driver (Silicon Labs CP210x VCP or WCH CH34x) and allow it in System Settings > Privacy & Security.",
            windows: "\"Access is denied\" means another program holds the port: close Arduino IDE's Serial Monitor, PuTTY, Thonny, Cura or any other tool using COMx.\nUnplug and replug the board, then try again."),
        CatalogueEntry(
            id: "port-busy", title: "Serial port is busy",
            cause: "Another program (serial monitor, IDE, ModemManager, a second espwiz) has the port open.",
            linux: "Find the process: `sudo fuser -v /dev/ttyUSB0` (or `lsof /dev/ttyUSB0`) and close it (screen, minicom, picocom, Thonny, Arduino IDE, another esptool).\nIf it is ModemManager, see modemmanager-probing.",
            macos: "Find the process: `lsof /dev/cu.usbserial-*` and quit it (screen, CoolTerm, Arduino IDE, Thonny).\nA stuck `screen` session: `screen -ls`, then `screen -X -S <id> quit`.",
            windows: "Close the other program holding COMx (Arduino IDE Serial Monitor, PuTTY, Thonny, Tera Term, another esptool).\nIf you cannot find it, unplug and replug the board, or reboot."),
        CatalogueEntry(
            id: "driver-missing", title: "USB-serial driver missing",
            cause: "The board's USB-UART bridge (CP210x, CH340/CH9102, FTDI, PL2303) has no driver, so no serial port appears.",
            linux: "Linux ships the drivers (cp210x, ch341, ftdi_sio, pl2303, cdc_acm); check `lsmod | grep -E 'cp210x|ch341|ftdi|pl2303'` and `dmesg | tail` after plugging in.\nIf `dmesg` shows the USB device but no ttyUSB, try `sudo modprobe ch341` (or cp210x) and look for brltty in dmesg (see brltty-grabs-port).",
            macos: "Install the driver for your bridge: Silicon Labs CP210x VCP driver (`brew install --cask silicon-labs-vcp-driver`) or the WCH CH34x driver for CH340/CH9102.\nAllow the driver in System Settings > Privacy & Security, then replug; the port appears as `/dev/cu.*`.",
            windows: "Open Device Manager: a device under Other devices with a yellow mark needs a driver.\nInstall CP210x VCP (Silicon Labs), CH341SER (WCH, CH340), CH343SER (WCH, CH9102/CH343) or FTDI VCP, then replug; a COMx appears under Ports (COM & LPT)."),
        CatalogueEntry(
            id: "brltty-grabs-port", title: "brltty takes the CH340 port",
            cause: "On Ubuntu/Debian the braille daemon brltty claims CH340 adapters (1A86:7523), so /dev/ttyUSB0 disappears right after plugging in.",
            linux: "Remove it if you do not use a braille display: `sudo apt remove brltty`.\nOr keep it and disable its udev rule: `sudo systemctl mask brltty-udev.service` and reboot.\nReplug the board; `dmesg | tail` should now end with `ch341-uart converter now attached to ttyUSB0`.",
            macos: "Not applicable on macOS (brltty is a Linux service); see driver-missing if no `/dev/cu.*` port appears.",
            windows: "Not applicable on Windows (brltty is a Linux service); see driver-missing if no COMx port appears."),
        CatalogueEntry(
            id: "modemmanager-probing", title: "ModemManager probes the port",
            cause: "ModemManager opens new serial ports for a few seconds to look for modems, sending AT commands that disturb the bootloader.",
            linux: "Wait ten seconds after plugging in, or stop it: `sudo systemctl stop ModemManager` (permanently: `sudo systemctl disable ModemManager`).\nOr tell it to ignore the board with a udev rule: `ATTRS{idVendor}==\"1a86\", ENV{ID_MM_DEVICE_IGNORE}=\"1\"` in `/etc/udev/rules.d/99-espwiz.rules`, then `sudo udevadm control --reload`.",
            macos: "Not applicable on macOS; if another program holds the port, see port-busy.",
            windows: "Not applicable on Windows; if another program holds the port, see port-busy."),
        CatalogueEntry(
            id: "no-bootloader-answer", title: "The chip does not answer (Failed to connect)",
            cause: "The ESP8266 is not in its serial bootloader: auto-reset did not work, GPIO0 was not low at reset, wrong port, or TX/RX swapped.",
            linux: "Check the port is the board's (`ls /dev/ttyUSB*` with and without it plugged in).\nPut it in bootloader mode by hand: hold FLASH/BOOT (GPIO0), press and release RST, release FLASH, then retry (see manual-boot-needed).\nOn a bare module: GPIO0 to GND, GPIO15 to GND, EN/CH_PD and RST to 3.3 V, and the adapter's TX to the module's RX.\nWith a CH340 on kernel 5.13.10–5.14, update the kernel (a ch341 regression broke resets).\nTry a shorter data cable and a lower baud (115200).",
            macos: "Check the port is the board's (`ls /dev/cu.*` with and without it plugged in).\nHold FLASH/BOOT (GPIO0), press and release RST, release FLASH, then retry (see manual-boot-needed).\nOn a bare module: GPIO0 and GPIO15 to GND, EN and RST to 3.3 V, TX to RX crossed.\nFor CH9102 boards, install the WCH driver if the built-in one misbehaves.",
            windows: "Check the COM number in Device Manager > Ports (COM & LPT).\nHold FLASH/BOOT (GPIO0), press and release RST, release FLASH, then retry (see manual-boot-needed).\nOn a bare module: GPIO0 and GPIO15 to GND, EN and RST to 3.3 V, TX to RX crossed.\nUpdate the bridge driver (CP210x VCP / CH341SER / CH343SER / FTDI VCP)."),
        CatalogueEntry(
            id: "manual-boot-needed", title: "Enter the bootloader by hand",
            cause: "The board has no working auto-reset circuit (DTR/RTS not wired), so the host cannot put it into download mode.",
            linux: "Hold the FLASH (or BOOT, GPIO0) button, press and release RST (or EN), then release FLASH; the chip now waits in download mode.\nRun the command again within a few seconds, without the automatic reset if offered (esptool: `--before no-reset`).\nWithout buttons: connect GPIO0 to GND, power-cycle, flash, then remove the wire and reset.",
            macos: "Hold FLASH/BOOT (GPIO0), press and release RST/EN, release FLASH; then run the command again (esptool: `--before no-reset`).\nWithout buttons: GPIO0 to GND while powering up, flash, then remove the wire and reset.",
            windows: "Hold FLASH/BOOT (GPIO0), press and release RST/EN, release FLASH; then run the command again (esptool: `--before no-reset`).\nWithout buttons: GPIO0 to GND while powering up, flash, then remove the wire and reset."),
        CatalogueEntry(
            id: "noisy-link", title: "Garbage on the serial line (Invalid head of packet)",
            cause: "Bytes that are not bootloader replies arrive: the chip booted its firmware and is printing, the cable is poor, or the power sags.",
            linux: "Make sure the chip is in download mode (see manual-boot-needed): a running firmware's output causes this.\nUse a short, good USB data cable directly on the computer (no unpowered hub) and lower the baud to 115200.\nPower: the board needs a stable 3.3 V supply of at least 300 mA; check `dmesg | tail` for USB disconnects.",
            macos: "Make sure the chip is in download mode (see manual-boot-needed).\nUse a short data cable directly on the Mac (no unpowered hub or dongle chain) and 115200 baud.\nPower: at least 300 mA at 3.3 V.",
            windows: "Make sure the chip is in download mode (see manual-boot-needed).\nUse a short data cable directly on the PC (front-panel and hub ports are often weak) and 115200 baud.\nPower: at least 300 mA at 3.3 V."),
        CatalogueEntry(
            id: "link-lost", title: "Serial link lost during the session",
            cause: "The data stream stopped mid-session: the board reset or browned out, the cable moved, or the USB device disconnected.",
            linux: "Check `dmesg | tail` for `USB disconnect` or `ch341-uart converter now disconnected`.\nUse another cable/socket (no hub), keep the board still, and retry at 115200 baud.\nIf it always stops at the same point, the board's power supply is too weak while writing flash.",
            macos: "Check that `/dev/cu.*` still exists (`ls /dev/cu.*`); if it vanished, the USB device disconnected.\nUse another cable/socket (no hub) and retry at 115200 baud.",
            windows: "Check Device Manager > Ports (COM & LPT): if COMx vanished, the USB device disconnected.\nUse another cable/socket (no hub) and retry at 115200 baud."),
        CatalogueEntry(
            id: "remote-port-unreachable", title: "Remote port unreachable or gone",
            cause: "An rfc2217:// or socket:// port could not be reached, or its server closed the connection: the server is not running, listens elsewhere, is busy with another client, or the network dropped.",
            linux: "On the machine with the board, start the server: `espwiz serve --port /dev/ttyUSB0` (add `--listen 0.0.0.0:4000 --allow YOUR-NETWORK/24` to reach it from elsewhere) or `esp_rfc2217_server -p 4000 /dev/ttyUSB0`.\nCheck the host name and TCP port in the URL, `ping HOST`, and that no firewall blocks the port; the server's log shows each connection and refusal.\nIf the connection dropped while writing, the board needs flashing again: run the same command once the server is back.",
            macos: "Start the server on the machine with the board (`espwiz serve --port /dev/ttyUSB0`, or `esp_rfc2217_server -p 4000 PORT` with Python) and check the URL's host and TCP port.\nAllow the connection in the firewall of the machine with the board; the server's log shows each connection and refusal.\nIf the connection dropped while writing, flash the board again once the server is back.",
            windows: "On the Windows machine with the board, run `esp_rfc2217_server -p 4000 COM3` (Python with esptool) and allow it through Windows Defender Firewall.\nCheck the URL's host and TCP port; from WSL2 the Windows host is the default gateway (`ip route show default`).\nIf the connection dropped while writing, flash the board again once the server is back."),
        CatalogueEntry(
            id: "chip-stopped-responding", title: "The chip stopped responding",
            cause: "The bootloader answered at first, then went silent: reset by a power dip, wrong baud after a change, or a disconnected cable.",
            linux: "Press RST, enter download mode again (see manual-boot-needed) and retry at 115200 baud.\nCheck `dmesg | tail` for USB disconnects; use a better cable or a powered hub.",
            macos: "Press RST, enter download mode again and retry at 115200 baud; check `ls /dev/cu.*` still shows the port.",
            windows: "Press RST, enter download mode again and retry at 115200 baud; check Device Manager still shows COMx."),
        CatalogueEntry(
            id: "wrong-chip", title: "This is not an ESP8266",
            cause: "The chip answering is of another family (e.g. ESP32), so ESP8266 firmware and settings do not apply.",
            linux: "Check the module marking: ESP-12/ESP-01/NodeMCU/Wemos D1 mini are ESP8266; ESP32-WROOM/DevKitC are ESP32.\nFor an ESP32 download the ESP32 MicroPython build and flash it with esptool (`esptool --chip esp32 …`); espwiz only flashes ESP8266.",
            macos: "Check the module marking (ESP-12/ESP-01 = ESP8266, ESP32-WROOM = ESP32).\nFor an ESP32 use the ESP32 MicroPython build with esptool; espwiz only flashes ESP8266.",
            windows: "Check the module marking (ESP-12/ESP-01 = ESP8266, ESP32-WROOM = ESP32).\nFor an ESP32 use the ESP32 MicroPython build with esptool; espwiz only flashes ESP8266."),
        CatalogueEntry(
            id: "flash-not-detected", title: "Flash chip not detected",
            cause: "The flash ID reads as 0xFFFFFF/0x000000 or an unknown size: the SPI flash does not answer (bad module, wrong wiring on a bare chip, or a damaged flash).",
            linux: "Power-cycle the board and try again; make sure GPIO15 is pulled to GND and EN to 3.3 V on bare modules.\nIf the ID stays 0xFFFFFF, the flash chip or module is faulty: give the size by hand only if you know it, otherwise replace the module.",
            macos: "Power-cycle the board and try again; check GPIO15 to GND and EN to 3.3 V on bare modules.\nIf the ID stays 0xFFFFFF the flash or module is faulty.",
            windows: "Power-cycle the board and try again; check GPIO15 to GND and EN to 3.3 V on bare modules.\nIf the ID stays 0xFFFFFF the flash or module is faulty."),
    ]
}
