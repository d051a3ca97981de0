/// Pictures for boards without a USB port: the ESP-01 wiring and the manual bootloader button sequence,
/// as compact text (for the terminal UI and the docs) and as SVG files (for the docs).
public enum WiringDiagram {
    /// ESP-01 on a 3.3 V USB-serial adapter, wired for flashing.
    public static let text = """
    USB-serial adapter (set to 3.3 V)       ESP-01
    TX   ------------------------------->   RX
    RX   <-------------------------------   TX
    3V3  ---+--------------------------->   VCC (3.3 V)
            '--------------------------->   CH_PD / EN
    GND  -------+----------------------->   GND
                '- - - - - - - - - - - ->   GPIO0  (only while flashing)
                                            RST, GPIO2: leave unconnected
    3.3 V only: 5 V on VCC destroys the ESP8266.
    GPIO0 to GND at power-up or reset = flashing mode;
    remove the GPIO0 wire and reset to run MicroPython.
    """

    /// Entering the bootloader by hand on a board with FLASH (GPIO0) and RESET buttons.
    public static let buttonSequenceText = """
    1. hold FLASH     [FLASH]=down  [RESET]=up      GPIO0 low
    2. tap RESET      [FLASH]=down  [RESET]=tap     chip restarts, reads GPIO0 low
    3. release FLASH  [FLASH]=up    [RESET]=up      chip waits in the bootloader
    (ESP-01 without buttons: GPIO0 to GND, then briefly connect RST to GND
     or unplug and replug power; remove the GPIO0 wire after flashing.)
    """

    /// An image shipped with the docs.
    public struct Image: Sendable, Equatable {
        /// File name in the images folder.
        public var fileName: String
        /// Alternative text.
        public var altText: String
        /// Width and height from the SVG's viewBox, in pixels.
        public var width: Int
        /// Height in pixels.
        public var height: Int
        /// The SVG document.
        public var svg: String
    }

    /// The ESP-01 wiring picture.
    public static var wiringImage: Image {
        Image(fileName: "esp01-wiring.svg",
              altText: "ESP-01 wiring: adapter TX to ESP RX, RX to TX, 3.3 V to VCC and CH_PD, GND to GND, GPIO0 to GND for flashing",
              width: 640, height: 360, svg: String(decoding: PackageResources.esp01_wiring_svg, as: UTF8.self))
    }

    /// The bootloader button-sequence picture.
    public static var buttonSequenceImage: Image {
        Image(fileName: "manual-boot-buttons.svg",
              altText: "Manual bootloader entry: hold FLASH, tap RESET, release FLASH",
              width: 640, height: 240, svg: String(decoding: PackageResources.manual_boot_buttons_svg, as: UTF8.self))
    }

    /// Every image.
    public static var images: [Image] { [wiringImage, buttonSequenceImage] }
}
