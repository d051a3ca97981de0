/* The second stage's command handlers, and what of the first stage's session state they use.
 *
 * stub_read.c (READ_FLASH in all its forms, the range hash) and stub_clean_cmd.c
 * (FLASH_BLANK_SCAN, CLEAN_BEGIN/FINISH, the idle work) are linked into the second stage
 * (esp8266.ld, by object name). The first stage's dispatcher calls them only once
 * stub_stage2_ready() says they are uploaded, and answers "not implemented" (FF) before.
 */
#ifndef STUB_COMMANDS_H
#define STUB_COMMANDS_H

#include <stdint.h>

/* READ_FLASH (D2): plain (16-byte request), sparse (with a map) or scanning (stub_read.c). */
void stub_cmd_read_flash(const uint8_t *data, uint32_t size_field);

/* FLASH_BLANK_SCAN (E3) and CLEAN_BEGIN / CLEAN_FINISH (E4, E5) (stub_clean_cmd.c). */
void stub_cmd_blank_scan(const uint8_t *data, uint32_t size_field);
void stub_cmd_clean(uint8_t op, const uint8_t *data, uint32_t size_field);

/* One unit of background work while the receiver waits: the clean, then the read-back hash of
 * what the write session has programmed up to `programmed_end` (stub_clean_cmd.c). */
void stub_stage2_idle(uint32_t programmed_end);

/* From stub_decode.c: true while a compressed write's decoder owns the work area. */
int stub_decoder_busy(void);

/* From stub_decode.c: the decoders' work area (STUB_WORK_SIZE bytes), free for other
 * commands while no compressed session is open (stub_decoder_busy() is false). */
#define STUB_WORK_SIZE 36864u
uint32_t *stub_work_area(void);

#endif
