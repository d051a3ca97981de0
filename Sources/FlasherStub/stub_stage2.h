/* The stub's second stage: the decoders and their glue, READ_FLASH, the blank scan, the
 * background clean and the read-back hash, uploaded only when a run needs one of them.
 *
 * The first stage (sync, registers, MD5, erase, plain writes, baud change, MEM_*) is what the ROM
 * loader uploads at connect. The linker puts the second stage's objects (esp8266.ld, qemu.ld:
 * EXCLUDE_FILE lists) into their own sections; the host loads them into RAM through the running
 * stub with MEM_BEGIN / MEM_DATA / MEM_END, and only then does the first stage open a compressed
 * session or run one of their commands (before, it answers FF, "not implemented"), so it never
 * jumps into code that is not there.
 */
#ifndef STUB_STAGE2_H
#define STUB_STAGE2_H

#include <stdint.h>

/* The word at the start of the second stage's data (stub_stage2_id.c). */
#define STUB_STAGE2_MAGIC 0x32647a77u /* "wzd2" */

/* Non-zero once MEM_END has checked a complete second stage. */
int stub_stage2_ready(void);

/* MEM_BEGIN: size, blocks, block size, address; the range must lie inside the second stage's
 * code or data (C4 otherwise), word aligned (C0). */
uint8_t stub_stage2_mem_begin(const uint8_t *data, uint32_t size_field);

/* MEM_DATA: length, sequence, 0, 0, then the bytes (whole words), XOR checksum as for flash data. */
uint8_t stub_stage2_mem_data(const uint8_t *data, uint32_t size_field, uint32_t checksum);

/* MEM_END: flag, entry (neither used: the stub keeps running). Marks the second stage ready
 * when every one of its bytes arrived and its magic word is there (C8 otherwise). */
uint8_t stub_stage2_mem_end(uint32_t size_field);

#endif
