/* Entry of the device build: the address the host passes to MEM_END.
 *
 * The ROM loader calls the entry point; returning from it would come back into the loader.
 * Instead the return address register a0 is set to 0x400010a8, the place in the ROM boot code
 * that goes on to start the firmware in flash, so that when stub_device_main returns (after
 * RUN_USER_CODE) the user's firmware runs. The address is a fact taken from esptool's
 * flasher_stub/stub_flasher.c (ESP8266 entry wrapper); the code is ours.
 */
    .section .text.stub_entry, "ax"
    .literal_position
    .align  4
    .global stub_entry
stub_entry:
    movi    a0, 0x400010a8
    j       stub_device_main
