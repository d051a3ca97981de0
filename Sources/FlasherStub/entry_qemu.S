/* Entry of the QEMU test build.
 *
 * qemu-system-xtensa 7.2 "-M sim -cpu lx106" loads the ELF given with -kernel, but the machine
 * reset that follows puts the PC at the core's reset vector, 0x50000000 (observed with
 * "-d in_asm": the first instruction fetched is at 0x50000000, not at the ELF entry).
 * So a trampoline is linked there; it sets a stack and jumps to qemu_main.
 */
    .section .reset_vector, "ax"
    .global _qemu_reset
_qemu_reset:
    j       1f
    .align  4
2:  .word   _qemu_start
1:  l32r    a2, 2b
    jx      a2

    .section .text.qemu_start, "ax"
    .literal_position
    .align  4
    .global _qemu_start
_qemu_start:
    movi    a1, _qemu_stack_top
    movi    a2, qemu_main
    callx0  a2
3:  j       3b
