extension ErrorCatalogue {
    /// Problems choosing and downloading a MicroPython build (`espwiz firmware`, `espwiz flash` without a file).
    static let downloadEntries: [CatalogueEntry] = [
        CatalogueEntry(
            id: "firmware-index-layout", title: "The list of builds looks different",
            cause: "The page that lists MicroPython's ESP8266 builds does not link to files named as espwiz expects: micropython.org changed its layout, the --firmware-index URL is wrong, or a login page answered instead.",
            linux: "Update espwiz.\nOr download the .bin from https://micropython.org/download/ESP8266_GENERIC/ yourself and run `espwiz flash FILE`.\nA mirror or a folder of .bin files works too: `espwiz firmware list --firmware-index /path/to/folder`.",
            macos: "Update espwiz.\nOr download the .bin from https://micropython.org/download/ESP8266_GENERIC/ yourself and run `espwiz flash FILE`.",
            windows: "Update espwiz.\nOr download the .bin from https://micropython.org/download/ESP8266_GENERIC/ yourself (right-click > Save link as) and flash it with `espwiz flash FILE`."),
        CatalogueEntry(
            id: "firmware-version-not-offered", title: "That MicroPython version is not on offer",
            cause: "--micropython names a version (or `preview`) that the list of builds does not have.",
            linux: "Run `espwiz firmware list` to see the versions on offer, then pass one with --micropython, or leave the option out for the latest stable release.",
            macos: "Run `espwiz firmware list` to see the versions on offer, then pass one with --micropython.",
            windows: "Run `espwiz firmware list` to see the versions on offer, then pass one with --micropython."),
        CatalogueEntry(
            id: "firmware-variant-not-offered", title: "No build for this flash size",
            cause: "The board needs a small-flash build (FLASH_1M for 1 MB boards such as the ESP-01S, FLASH_512K for 512 KB) but the list offers only builds for bigger flash. Since v1.20 the generic build needs 2 MB; flashed on 1 MB it reports success and leaves a board that does not boot.",
            linux: "Use the version the message suggests with --micropython, or download the FLASH_1M/FLASH_512K .bin by hand and run `espwiz flash FILE`.",
            macos: "Use the version the message suggests with --micropython, or download the matching .bin by hand and flash it with `espwiz flash FILE`.",
            windows: "Use the version the message suggests with --micropython, or download the matching .bin by hand and flash it with `espwiz flash FILE`."),
        CatalogueEntry(
            id: "firmware-no-build-for-flash", title: "No MicroPython build fits this flash",
            cause: "The flash is smaller than 512 KB (the smallest build), or the ROMFS build was asked for on a board under 2 MB.",
            linux: "Check the measured size with `espwiz probe`. Leave out --romfs on boards under 2 MB. Boards under 512 KB cannot run MicroPython.",
            macos: "Check the measured size with `espwiz probe`. Leave out --romfs on boards under 2 MB.",
            windows: "Check the measured size with `espwiz probe`. Leave out --romfs on boards under 2 MB."),
        CatalogueEntry(
            id: "download-not-found", title: "The firmware file is not on the server (404)",
            cause: "The list of builds points at a file that the server does not have: a stale cached list, an incomplete mirror or a moved file.",
            linux: "Run `espwiz firmware list` to read the list again.\nCheck the --firmware-index URL, or download the file by hand from https://micropython.org/download/ESP8266_GENERIC/.",
            macos: "Run `espwiz firmware list` to read the list again, or download the file by hand.",
            windows: "Run `espwiz firmware list` to read the list again, or download the file by hand."),
        CatalogueEntry(
            id: "download-server-error", title: "The download server answered with an error",
            cause: "The server returned an error status (5xx or another non-success code); espwiz tried once more.",
            linux: "Wait a few minutes and try again, or use a mirror with --firmware-index URL.",
            macos: "Wait a few minutes and try again, or use a mirror with --firmware-index URL.",
            windows: "Wait a few minutes and try again, or use a mirror with --firmware-index URL."),
        CatalogueEntry(
            id: "download-offline", title: "No network, and no copy in the cache",
            cause: "The server (or the proxy) could not be reached, and the build was never downloaded before on this machine.",
            linux: "Check the connection and the proxy: `echo $https_proxy $no_proxy`.\nOn a machine with network run `espwiz firmware get --flash-size 1MB --out DIR`, copy the file over and flash it with `espwiz flash FILE`.",
            macos: "Check the connection and the proxy (`echo $https_proxy`), or fetch the file on another machine with `espwiz firmware get --out DIR`.",
            windows: "Check the connection and the proxy settings, or fetch the file on another machine with `espwiz firmware get --out DIR`."),
        CatalogueEntry(
            id: "download-timeout", title: "The download timed out",
            cause: "The server or the proxy stopped sending data for longer than the timeout, twice.",
            linux: "Try again on a steadier connection, or use a nearer mirror with --firmware-index URL.",
            macos: "Try again on a steadier connection, or use a nearer mirror with --firmware-index URL.",
            windows: "Try again on a steadier connection, or use a nearer mirror with --firmware-index URL."),
        CatalogueEntry(
            id: "download-truncated", title: "The download was cut off",
            cause: "The connection ended before the whole file arrived (a dropped Wi-Fi link, a proxy limit). The partial file was thrown away.",
            linux: "Run the command again; the file is only kept once it is complete and checked.",
            macos: "Run the command again; the file is only kept once it is complete and checked.",
            windows: "Run the command again; the file is only kept once it is complete and checked."),
        CatalogueEntry(
            id: "download-html-page", title: "A web page arrived instead of the firmware",
            cause: "A Wi-Fi login page (captive portal), a proxy's block page or an error page answered in place of the .bin. Saved as firmware it would be flashed as garbage; espwiz refuses it.",
            linux: "Open any web page in a browser and log in to the network, or set https_proxy, then try again.",
            macos: "Open any web page in Safari and log in to the network, or set https_proxy, then try again.",
            windows: "Open any web page in a browser and log in to the network, or set the proxy, then try again."),
        CatalogueEntry(
            id: "download-check-failed", title: "The downloaded file fails the firmware check",
            cause: "The bytes are not an intact MicroPython image (bad checksum, size word or MD5 trailer), or its banner names another build or version than the one asked for.",
            linux: "Run the command again; if it keeps failing, the mirror serves a damaged or wrong file: use another one with --firmware-index URL, or download by hand.",
            macos: "Run the command again, or use another mirror with --firmware-index URL.",
            windows: "Run the command again, or use another mirror with --firmware-index URL."),
        CatalogueEntry(
            id: "download-proxy", title: "The proxy asks for a login",
            cause: "The HTTP proxy answered 407 Proxy Authentication Required.",
            linux: "Put the login into the variable: `export https_proxy=http://USER:PASSWORD@proxy:3128`.",
            macos: "Put the login into the variable: `export https_proxy=http://USER:PASSWORD@proxy:3128`.",
            windows: "Set the variable with the login: `set https_proxy=http://USER:PASSWORD@proxy:3128`."),
        CatalogueEntry(
            id: "download-cannot-write", title: "Cannot write the downloaded firmware",
            cause: "The cache folder, the --out folder or a local --firmware-index path cannot be written or read.",
            linux: "Check the folder's permissions and free space (`df -h`), or choose another folder with --out DIR; ESPWIZ_STATE_DIR moves the cache.",
            macos: "Check the folder's permissions and free space, or choose another folder with --out DIR.",
            windows: "Check the folder's permissions and free space, or choose another folder with --out DIR."),
    ]
}
