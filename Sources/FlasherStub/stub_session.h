/* Flash write sessions: their state and the dispatcher's flags, shared by the first stage's
 * protocol (stub_protocol.c, stub_session.c) and the second stage's decoder glue (stub_decode.c).
 */
#ifndef STUB_SESSION_H
#define STUB_SESSION_H

#include <stdint.h>
#include "stub_flash_writer.h"
#include "stub_stage2.h"
#include "stub_verify.h"

enum { STUB_MODE_IDLE = 0, STUB_MODE_PLAIN = 1, STUB_MODE_DEFLATE = 2, STUB_MODE_LZMA = 3 };

/* The open FLASH_BEGIN / FLASH_DEFL_BEGIN / FLASH_LZMA_BEGIN session. */
typedef struct {
    int mode;
    uint8_t error;          /* sticky failure found while writing */
    uint32_t size;          /* bytes to write (uncompressed) */
    uint32_t next_seq;
    int inflate_started;    /* the decoder (inflate or LZMA) has been started */
    int inflate_done;       /* ... and has returned */
    stub_flash_writer_t writer;
} stub_session_t;

extern stub_session_t stub_session;
extern int stub_run_user_code;  /* RUN_USER_CODE arrived: leave the command loop */
extern int stub_inflating;      /* inside stub_inflate_run or stub_lzma_run: data blocks feed the decoder */
extern int stub_deferred;       /* stub_cmd_buf holds a command to dispatch after the decoder returns */

/* FLASH_BEGIN / FLASH_DEFL_BEGIN / FLASH_LZMA_BEGIN (stub_session.c): checks the request and
 * opens the session; returns the status to answer. A compressed mode needs the second stage (FF). */
uint8_t stub_session_begin(int mode, const uint8_t *data, uint32_t size_field);

/* FLASH_DATA / FLASH_DEFL_DATA / FLASH_LZMA_DATA (stub_session.c): checks, acknowledges, then
 * writes or decodes the block. */
void stub_session_data(uint8_t op, const uint8_t *data, uint32_t size_field, uint32_t checksum);

/* FLASH_END / FLASH_DEFL_END / FLASH_LZMA_END (stub_session.c): closes the session and answers. */
void stub_session_end(uint8_t op, const uint8_t *data, uint32_t size_field);

/* Drops the read-back hash (second-stage code) when that stage is there; before, none exists. */
static inline void stub_verify_drop_loaded(void)
{
    if (stub_stage2_ready()) {
        stub_verify_drop();
    }
}

/* Dispatches the command in stub_cmd_buf (first stage). */
void stub_dispatch(void);

/* Second stage (stub_decode.c): starts an LZMA session's decoder for `size` output bytes with
 * the BEGIN's properties word. Returns STUB_OK or STUB_INFLATE_ERROR (bad properties). */
uint8_t stub_decode_lzma_begin(uint32_t properties, uint32_t size);

/* Second stage (stub_decode.c): a checked, acknowledged data block of the compressed session:
 * handed to the running decoder, or the decoder is started with it. */
void stub_decode_block(const uint8_t *block, uint32_t length);

#endif
