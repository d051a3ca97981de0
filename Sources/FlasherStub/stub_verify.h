/* Read-back MD5 in idle time: hash a write session's programmed bytes, read back from the flash,
 * while the stub waits for the host, so the SPI_FLASH_MD5 that follows the write only has the
 * last bytes left to read (portable).
 *
 * The digest is of what the flash holds (each piece is read back after it was programmed), not
 * of what was received. It stays valid because nothing writes or erases the session's bytes
 * once programmed: the writer only moves forward, a background clean never overlaps a session
 * (begin_session finishes it first), and every ERASE_*, CLEAN_BEGIN or new BEGIN calls
 * stub_verify_drop.
 */
#ifndef STUB_VERIFY_H
#define STUB_VERIFY_H

#include <stdint.h>
#include "stub_md5.h"

/* Starts hashing from `start` (word aligned; a new write session's first address). */
void stub_verify_begin(uint32_t start);

/* Forgets the running hash (the flash under it may change). */
void stub_verify_drop(void);

/* Hashes one piece (at most 64 bytes) of [hashed, programmed_end). Returns 1 when it did. */
int stub_verify_step(uint32_t programmed_end);

/* When the running hash starts at `address` and covers no more than `length` bytes, copies it
 * to `ctx`, sets `*hashed_to` to the first address not yet hashed and returns 1; else 0. */
int stub_verify_take(uint32_t address, uint32_t length, stub_md5_t *ctx, uint32_t *hashed_to);

#endif
