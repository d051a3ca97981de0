// espwiz is built and tested on Linux only: serial ports through termios2 and sysfs, pseudo-
// terminals, Glibc. Other systems stop here with one clear message instead of a wall of errors
// from the calls below. Windows users run it in WSL2 with usbipd-win passing the USB serial
// adapter through (see README.md, "What runs where").
#if !os(Linux)
#error("espwiz builds only on Linux (on Windows: inside WSL2, with usbipd-win passing the USB serial adapter through). See README.md, 'What runs where'.")
#endif

/// The platform espwiz is built for (the only one: Linux).
public enum PlatformSupport {
    /// Where espwiz runs, in words, for messages and docs.
    public static let summary = "Linux (and Windows through WSL2 with usbipd-win)"
}
