extension ExplainRule {
    /// Opening the serial port: OS errors by their numbers (the words are localised), wrong ports,
    /// missing drivers, ports taken by other programs.
    static let portRules: [ExplainRule] = [
        .phrases("brltty-grabs-port", 95, ["brltty"]),
        .phrases("modemmanager-probing", 90, ["modemmanager"]),
        ExplainRule("modemmanager-probing", 82, "a busy `/dev/ttyACM*` port (ModemManager probes CDC-ACM ports)") { facts in
            guard facts.portBusyOnPOSIX, facts.has("/dev/ttyacm") else { return nil }
            return "a /dev/ttyACM port was busy: on Linux that is usually ModemManager probing a new modem-like device"
        },
        ExplainRule("port-busy", 85, "Windows error 5 in pySerial's `PermissionError(13, '…', None, 5)` (any language)") { facts in
            facts.windowsErrors.contains(5) ? "Windows error 5 (access denied) when opening the port: another program has it open" : nil
        },
        ExplainRule("port-busy", 80, "`[Errno 16]`, `Device or resource busy`, `Resource busy`") { facts in
            facts.portBusyOnPOSIX ? "the port was busy (errno 16): another program has it open" : nil
        },
        ExplainRule("port-not-found", 85, "Windows errors 2/3 (`The system cannot find the file specified`, any language)") { facts in
            facts.windowsErrors.contains(where: { $0 == 2 || $0 == 3 }) ? "Windows error 2 (no such device) when opening the port: that COM name does not exist" : nil
        },
        ExplainRule("port-not-found", 84, "`[Errno 2] No such file or directory` on a `/dev/…` port") { facts in
            guard facts.posixErrors.contains(2) || facts.has("no such file or directory"), facts.has("/dev/"),
                  !facts.has(".bin'") else { return nil }
            return "the port's device file does not exist (errno 2)"
        },
        ExplainRule("driver-error", 88, "Windows errors 31/433/121/87 when opening or configuring a COM port (any language)") { facts in
            guard let code = facts.windowsErrors.first(where: { [31, 433, 121, 87, 1167].contains($0) }), code != 1167 else { return nil }
            let meaning = [31: "a device attached to the system is not functioning", 433: "a device that does not exist was specified",
                           121: "the semaphore timeout expired", 87: "the parameter is incorrect"][code] ?? ""
            return "Windows error \(code) (\(meaning)): the USB-serial driver failed, not the board"
        },
        .phrases("permission-denied", 86, ["add user into dialout", "add user into uucp"]),
        ExplainRule("permission-denied", 88, "`[Errno 13] Permission denied` on a `/dev/…` port") { facts in
            guard facts.windowsErrors.isEmpty, facts.posixErrors.contains(13) || facts.has("permission denied"),
                  facts.has("/dev/") || facts.has("dialout") else { return nil }
            return "the system refused to open the port for this user (errno 13)"
        },
        ExplainRule("port-busy", 40, "`Could not open …, the port is busy or doesn't exist`") { facts in
            facts.has("the port is busy or doesn't exist") ? "esptool could not open the port (busy or missing)" : nil
        },
        ExplainRule("link-lost", 84, "`device reports readiness to read but returned no data`, `[Errno 6]`/`[Errno 5]`, Windows error 1167") { facts in
            if facts.posixErrors.contains(where: { $0 == 5 || $0 == 6 || $0 == 19 }) || facts.windowsErrors.contains(1167) {
                return "the USB device vanished while in use (I/O error)"
            }
            return facts.any(["device reports readiness to read", "device not configured", "input/output error", "clearcommerror failed", "writefile failed"])
                .map { "the text says \"\($0)\": the USB serial device went away" }
        },
        .phrases("link-lost", 78, ["serial data stream stopped", "a serial exception error occurred", "device disconnected"]),
        ExplainRule("wrong-port", 86, "a port that is never a USB adapter (`ttyS*`, `ttyAMA*`, `serial0`, Bluetooth) and no chip answer") { facts in
            guard facts.portIsNotAnAdapter, !facts.run.answeredBeforeFailure, let port = facts.run.port else { return nil }
            return "the tool used \(facts.asWritten(port)), which is a built-in or Bluetooth port, not the board's USB-serial adapter"
        },
        ExplainRule("wrong-port", 35, "COM1 and no chip answer (COM1 is usually the motherboard's own port)") { facts in
            facts.run.port == "com1" && !facts.run.answeredBeforeFailure ? "the tool used COM1, which on most PCs is the motherboard's own port" : nil
        },
        .phrases("port-busy", 75, ["failed to open serial port", "failed to execute 'open' on 'serialport'"]),
        .phrases("port-not-found", 60, ["the port doesn't exist"]),
        ExplainRule("port-not-found", 70, "Arduino IDE's `Board at COMx is not available`") { facts in
            facts.text.lines.contains { $0.contains("board at ") && $0.contains("is not available") } ? "the IDE says the selected port is not available" : nil
        },
        ExplainRule("driver-missing", 80, "Device Manager code 28 (drivers not installed), any language") { facts in
            facts.has("(code 28)") ? "Device Manager reports code 28: no driver installed for the device" : nil
        },
        ExplainRule("driver-error", 78, "Device Manager codes 10 and 43, a PL2303 'phased out' clone") { facts in
            if let code = ["(code 10)", "(code 43)"].first(where: { facts.has($0) }) { return "Device Manager reports \(code.dropFirst().dropLast()): the driver could not start the device" }
            return facts.has("phased out") ? "the Prolific driver refuses this (clone) PL2303 chip" : nil
        },
        .phrases("port-not-found", 70, ["does not exist or your board is not connected", "the selected serial port does not exist"]),
        ExplainRule("driver-missing", 90, "`modprobe: FATAL: Module cp210x/ch341 not found`") { facts in
            facts.has("modprobe: fatal: module") ? "the kernel has no driver module for the USB-serial bridge" : nil
        },
        ExplainRule("driver-missing", 76, "a USB-serial bridge listed by USB id (10c4, 1a86, 0403, 067b) but no serial port") { facts in
            guard facts.any(["10c4", "1a86", "0403", "067b"]) != nil, facts.run.port == nil,
                  facts.any(["ttyusb", "usbserial", "slab_usbtouart", "wchusbserial", "com3", "connecting"]) == nil else { return nil }
            return "the USB bridge chip is listed, but no serial port was created for it"
        },
        ExplainRule("driver-missing", 82, "no serial port found on a Mac") { facts in
            guard facts.noPortsFound, facts.any(["/dev/cu.", "/dev/tty.", "/users/", "macos", "mac os"]) != nil else { return nil }
            return "no serial port appeared on macOS, which needs the bridge driver (CP210x / CH34x)"
        },
        ExplainRule("no-serial-ports", 80, "`on any of the 0 available serial ports`, `Found 0 serial ports`, Thonny's `Couldn't find the device`, PlatformIO's `Please specify upload_port`") { facts in
            facts.noPortsFound ? "the tool found no serial port at all" : nil
        },
    ]
}

extension PasteFacts {
    /// errno 16 or its words.
    var portBusyOnPOSIX: Bool {
        posixErrors.contains(16) || has("device or resource busy") || has("resource busy")
    }

    /// The tool found no serial port at all.
    var noPortsFound: Bool {
        any(["on any of the 0 available serial ports", "found 0 serial ports", "no serial ports found", "no serial port found",
             "couldn't find the device automatically", "please specify `upload_port`", "please specify upload_port"]) != nil
    }
}
