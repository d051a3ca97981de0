#!/usr/bin/env python3
"""esptool's esp_rfc2217_server in front of an `espwiz simulate` board (for tests).

A pty has no modem lines: pySerial's DTR/RTS ioctls fail on it with ENOTTY. This wrapper sends
every DTR/RTS change the server makes (pySerial's setters and esp-pylib's atomic TIOCMSET) to the
simulated board's control socket as `lines <dtr> <rts>`, and reports CTS/DSR/RI/CD as inactive.
It also binds the listening socket to 127.0.0.1 instead of every interface.

Usage: esp-rfc2217-sim-server.py CONTROL_SOCKET [esp_rfc2217_server arguments...]
Run it with the Python of the venv that has esptool 5.6.0 (scripts/setup-test-deps.sh).
"""
import socket
import sys

import serial.serialposix as serialposix
import esp_pylib.serial_reset as serial_reset

control_path = sys.argv.pop(1)


def send_lines(dtr, rts):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(control_path)
        s.sendall(f"lines {int(bool(dtr))} {int(bool(rts))}\n".encode())
        s.recv(4096)


def update_lines(self):
    send_lines(self._dtr_state, self._rts_state)


def set_dtr_rts(port, dtr=False, rts=False):
    # Keep pySerial's idea of the lines in step, as TIOCMSET would on a real port.
    port._dtr_state = dtr
    port._rts_state = rts
    send_lines(dtr, rts)


serialposix.Serial._update_dtr_state = update_lines
serialposix.Serial._update_rts_state = update_lines
for name in ("cts", "dsr", "ri", "cd"):
    setattr(serialposix.Serial, name, property(lambda self: False))
serial_reset.set_dtr_rts = set_dtr_rts

_bind = socket.socket.bind


def loopback_bind(self, address):
    if isinstance(address, tuple) and address[0] == "":
        address = ("127.0.0.1",) + tuple(address[1:])
    return _bind(self, address)


socket.socket.bind = loopback_bind

from esp_rfc2217_server import cli  # noqa: E402  (after the patches)

cli()
