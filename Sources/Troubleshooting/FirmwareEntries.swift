extension ErrorCatalogue {
    /// Problems with the firmware file.
    static let firmwareEntries: [CatalogueEntry] = [
        CatalogueEntry(
            id: "firmware-not-found", title: "Firmware file not found",
            cause: "No file exists at the path given for the firmware.",
            linux: "Check the name and folder: `ls -l ~/Downloads/*.bin`.\nDrag the file from the file manager into the terminal to paste its exact path, and quote paths with spaces.\nDownload the build from https://micropython.org/download/ESP8266_GENERIC/ if you do not have it.",
            macos: "Check the name and folder: `ls -l ~/Downloads/*.bin`.\nDrag the file from Finder into Terminal to paste its exact path.\nDownload the build from https://micropython.org/download/ESP8266_GENERIC/.",
            windows: "Check the name in File Explorer (turn on View > File name extensions: `firmware.bin.bin` is a common surprise).\nShift+right-click the file > Copy as path, and paste that path.\nDownload the build from https://micropython.org/download/ESP8266_GENERIC/."),
        CatalogueEntry(
            id: "firmware-unreadable", title: "Firmware file cannot be read",
            cause: "The path exists but cannot be read: missing read permission, a device or pipe instead of a file, or a disk error.",
            linux: "Check permissions: `ls -l <file>`; fix with `chmod a+r <file>` (or `sudo chown $USER <file>` if root owns it).\nCopy it to a local folder if it sits on a network or removable drive.",
            macos: "Check permissions: `ls -l <file>`; fix with `chmod a+r <file>`.\nIf Terminal lacks access to Downloads/Desktop, allow it in System Settings > Privacy & Security > Files and Folders.",
            windows: "Right-click the file > Properties > Security and give your user Read permission; or copy it to your Documents folder.\nIf it is blocked (downloaded from the internet), tick Unblock in Properties > General."),
        CatalogueEntry(
            id: "firmware-is-directory", title: "Firmware path is a folder",
            cause: "The path names a directory, not the .bin file inside it.",
            linux: "List the folder: `ls <folder>` and give the full path of the .bin file inside.",
            macos: "List the folder: `ls <folder>` and give the full path of the .bin file inside (drag the file, not the folder, into Terminal).",
            windows: "Open the folder in File Explorer, Shift+right-click the .bin file > Copy as path, and use that path."),
        CatalogueEntry(
            id: "firmware-empty", title: "Firmware file is empty",
            cause: "The file has 0 bytes: the download was interrupted or saved wrongly.",
            linux: "Delete it and download again; check the size with `ls -l` (MicroPython for ESP8266 is about 600 KB or more).",
            macos: "Delete it and download again; check the size with `ls -l` or Finder's Get Info.",
            windows: "Delete it and download again; check the size in File Explorer (about 600 KB or more)."),
        CatalogueEntry(
            id: "not-an-esp-image", title: "Not an ESP8266 firmware image",
            cause: "The file does not start with the ESP image byte 0xE9: it is a .zip, .elf, .hex, .uf2, an HTML page saved by the browser, or something else.",
            linux: "Download the `.bin` for ESP8266 from https://micropython.org/download/ESP8266_GENERIC/ (right-click > Save link as).\nCheck the type: `file <file>` and `head -c 4 <file> | xxd` should start with `e9`.",
            macos: "Download the `.bin` for ESP8266 from https://micropython.org/download/ESP8266_GENERIC/ (Control-click > Download Linked File).\nCheck: `head -c 4 <file> | xxd` should start with `e9`.",
            windows: "Download the `.bin` for ESP8266 from https://micropython.org/download/ESP8266_GENERIC/ (right-click > Save link as).\nMake sure the name ends in `.bin` (turn on View > File name extensions) and is not a .zip."),
        CatalogueEntry(
            id: "not-micropython", title: "Image is not MicroPython",
            cause: "The file is a valid ESP8266 image but has no MicroPython banner or size/MD5 trailer (another firmware, a pre-1.8.3 build, or half of a split build).",
            linux: "To install MicroPython, download the combined `.bin` from https://micropython.org/download/ESP8266_GENERIC/.\nIf you really want this other firmware, it can still be flashed; the MicroPython checks just do not apply.",
            macos: "To install MicroPython, download the combined `.bin` from https://micropython.org/download/ESP8266_GENERIC/; other firmware can still be flashed.",
            windows: "To install MicroPython, download the combined `.bin` from https://micropython.org/download/ESP8266_GENERIC/; other firmware can still be flashed."),
        CatalogueEntry(
            id: "sdk-v2-image", title: "SDK 'v2' image, not a standalone image",
            cause: "The file starts with 0xEA: it is made for the Espressif SDK second-stage bootloader at another offset, not for offset 0.",
            linux: "Download the MicroPython `.bin` for ESP8266 instead, or flash this file together with its boot_v1.x.bin at the offsets its vendor documents.",
            macos: "Download the MicroPython `.bin` for ESP8266 instead, or flash the file with its bootloader at the vendor's offsets.",
            windows: "Download the MicroPython `.bin` for ESP8266 instead, or flash the file with its bootloader at the vendor's offsets."),
        CatalogueEntry(
            id: "wrong-chip-image", title: "Image built for another chip",
            cause: "The image is for an ESP32-family chip (extended header with a chip id) or loads outside the ESP8266 memory map.",
            linux: "Download the ESP8266 build (ESP8266_GENERIC) from https://micropython.org/download/ESP8266_GENERIC/, not an ESP32 or ESP32-C3/S2/S3 build.",
            macos: "Download the ESP8266 build (ESP8266_GENERIC) from https://micropython.org/download/ESP8266_GENERIC/.",
            windows: "Download the ESP8266 build (ESP8266_GENERIC) from https://micropython.org/download/ESP8266_GENERIC/."),
        CatalogueEntry(
            id: "firmware-truncated", title: "Firmware file is truncated",
            cause: "The file ends early (in the header, a segment, before the checksum or before MicroPython's MD5 trailer): an interrupted download or copy.",
            linux: "Delete it and download again; compare the size with the one on the download page (`ls -l <file>`).\nIf you copied it from another machine, copy it again and compare `sha256sum` on both.",
            macos: "Delete it and download again; compare `shasum -a 256 <file>` with a fresh copy.",
            windows: "Delete it and download again; compare `certutil -hashfile <file> SHA256` with a fresh copy."),
        CatalogueEntry(
            id: "firmware-bad-checksum", title: "Image checksum is wrong",
            cause: "The boot image's checksum byte does not match its segments, so the ROM would print `csum err` and refuse to boot it.",
            linux: "Download the firmware again (the file was modified or corrupted); check with `sha256sum <file>`.",
            macos: "Download the firmware again; check with `shasum -a 256 <file>`.",
            windows: "Download the firmware again; check with `certutil -hashfile <file> SHA256`."),
        CatalogueEntry(
            id: "firmware-corrupt", title: "Firmware file is corrupt",
            cause: "MicroPython's size word or MD5 trailer does not match the content: the file was damaged or modified.",
            linux: "Download the firmware again; do not open and re-save it in an editor.\nCheck the copy with `sha256sum <file>`.",
            macos: "Download the firmware again; check with `shasum -a 256 <file>`.",
            windows: "Download the firmware again; check with `certutil -hashfile <file> SHA256`."),
        CatalogueEntry(
            id: "firmware-too-large", title: "Firmware is larger than the flash",
            cause: "The file does not fit in the board's flash chip (e.g. a standard build on a 512 KB ESP-01).",
            linux: "Download the build for your flash size: `ESP8266_GENERIC-FLASH_512K-…bin` for 512 KB, `ESP8266_GENERIC-FLASH_1M-…bin` for 1 MB (older names `esp8266-512k-…`, `esp8266-1m-…`).",
            macos: "Download the build for your flash size: `ESP8266_GENERIC-FLASH_512K-…bin` (512 KB) or `ESP8266_GENERIC-FLASH_1M-…bin` (1 MB).",
            windows: "Download the build for your flash size: `ESP8266_GENERIC-FLASH_512K-…bin` (512 KB) or `ESP8266_GENERIC-FLASH_1M-…bin` (1 MB)."),
        CatalogueEntry(
            id: "firmware-wrong-variant", title: "Build variant does not match the flash size",
            cause: "MicroPython builds target a flash size (standard: 2 MB+, FLASH_1M, FLASH_512K); this one needs more flash than the board has, or wastes most of it.",
            linux: "Download the variant for your flash: `ESP8266_GENERIC-<date>-<ver>.bin` (2 MB or more), `ESP8266_GENERIC-FLASH_1M-<date>-<ver>.bin` (1 MB), `ESP8266_GENERIC-FLASH_512K-<date>-<ver>.bin` (512 KB); before v1.21 they were `esp8266-…`, `esp8266-1m-…`, `esp8266-512k-…`.",
            macos: "Download the variant for your flash: standard (2 MB+), FLASH_1M (1 MB) or FLASH_512K (512 KB) from https://micropython.org/download/ESP8266_GENERIC/.",
            windows: "Download the variant for your flash: standard (2 MB+), FLASH_1M (1 MB) or FLASH_512K (512 KB) from https://micropython.org/download/ESP8266_GENERIC/."),
    ]
}
