/* UART divider arithmetic for CHANGE_BAUDRATE (portable, proven in the QEMU test build).
 *
 * The ESP8266 ROM cannot report its crystal frequency, but it autobauded to the host's
 * rate, so divider x current baud = the UART clock. The new divider is that clock / new baud.
 * (Approach described in esptool's flasher_stub/stub_io.c; facts only. UART0 CLKDIV is at
 * 0x60000014, low 20 bits, per the ESP8266 SDK uart_register.h in MicroPython
 * ports/esp8266/uart_register.h.)
 */
#ifndef STUB_BAUD_H
#define STUB_BAUD_H

#include <stdint.h>

#define STUB_UART_CLKDIV_REG 0x60000014u
#define STUB_UART_CLKDIV_MASK 0x000FFFFFu

/* The divider for `new_baud`, given the current divider and the rate it produces.
 * A current rate of 0 (as sent to ROM loaders) is taken as 115200. */
static inline uint32_t stub_baud_divider(uint32_t current_divider, uint32_t current_baud, uint32_t new_baud)
{
    current_divider &= STUB_UART_CLKDIV_MASK;
    if (current_baud == 0) {
        current_baud = 115200;
    }
    if (new_baud == 0 || current_divider == 0 || current_baud > 0xFFFFFFFFu / current_divider) {
        return current_divider;
    }
    uint32_t clock = current_divider * current_baud; /* about 52 MHz on a 26 MHz board */
    return (clock + new_baud / 2) / new_baud;
}

#endif
