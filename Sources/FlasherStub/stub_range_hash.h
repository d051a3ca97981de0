/* Whole-range MD5 of a sparse read, computed in small steps while the UART transmits (portable).
 *
 * The sparse READ_FLASH sends only the dirty sectors; this hashes the whole range in address
 * order, independently of what is being sent: dirty sectors are read from the flash again (a
 * second read, so the host's check compares two reads of every sent byte), blank sectors are
 * read again too when `reread_blank` is set, else hashed as 0xFF (what the blank scan found).
 * Each step does a bounded piece of work (one flash read of at most `buffer_size` bytes, or MD5
 * of at most STUB_RANGE_HASH_STEP bytes), so it fits in the time the UART's FIFO takes to drain.
 */
#ifndef STUB_RANGE_HASH_H
#define STUB_RANGE_HASH_H

#include <stdint.h>
#include "stub_md5.h"

#define STUB_RANGE_HASH_STEP 256u /* bytes hashed per step: about 80 us at 52 MHz */

typedef struct {
    stub_md5_t md5;
    uint32_t address;        /* start of the range (sector aligned) */
    uint32_t length;         /* bytes in the range (whole sectors) */
    uint32_t hashed;         /* bytes hashed so far */
    uint8_t *bitmap;         /* one bit per sector, set = dirty (BlankScanBitmap layout) */
    int reread_blank;
    int scan;                /* build `bitmap` while hashing: every piece is read, non-0xFF ones mark their sector */
    uint32_t *buffer;        /* read buffer (4-byte aligned) */
    uint32_t buffer_size;    /* a multiple of 4 that divides 4096 */
    uint32_t filled;         /* bytes in buffer */
    uint32_t used;           /* ... of which hashed */
    int fill_blank;          /* the current piece is a blank sector hashed as 0xFF */
    int error;               /* STUB_OK or the flash read's failure */
} stub_range_hash_t;

void stub_range_hash_begin(stub_range_hash_t *h, uint32_t address, uint32_t length, uint8_t *bitmap,
                           int reread_blank, uint32_t *buffer, uint32_t buffer_size);

/* Like stub_range_hash_begin, but the hash also finds the map (the scanning sparse read):
 * `bitmap` is cleared, and every sector is read once; a sector is known blank or dirty once
 * `hashed` has passed its end (stub_range_hash_scanned). `buffer_size` a multiple of 32. */
void stub_range_hash_begin_scan(stub_range_hash_t *h, uint32_t address, uint32_t length, uint8_t *bitmap,
                                uint32_t *buffer, uint32_t buffer_size);

/* Sectors from the start whose bit in the map is final (all of it when the scan is done). */
static inline uint32_t stub_range_hash_scanned(const stub_range_hash_t *h) { return h->hashed / 4096u; }

/* Does one bounded piece of work. Returns 1 while work remains, 0 when done (or failed). */
int stub_range_hash_step(stub_range_hash_t *h);

/* Runs the remaining steps and writes the digest. Returns STUB_OK or STUB_FAILED_SPI_OP. */
int stub_range_hash_finish(stub_range_hash_t *h, uint8_t digest[16]);

#endif
