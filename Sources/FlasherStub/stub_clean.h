/* Background clean: scan a flash range for sectors that hold data and erase them, a little at
 * a time, while the stub waits for the host (portable).
 *
 * CLEAN_BEGIN (0xE4, espwiz's own) hands the stub the range outside the image that must end up
 * all 0xFF. From then on, whenever the receive path finds no byte waiting (stub_rx_idle, called
 * by the HAL), the stub does one bounded unit of the job: a 256-byte piece of the blank scan, or
 * one erase (a 64 KiB block where a block wholly inside the range has STUB_CLEAN_BLOCK_THRESHOLD
 * dirty sectors or more, else a 4 KiB sector). The UART interrupt keeps filling the receive ring
 * meanwhile, so no byte is lost. CLEAN_FINISH (0xE5) does what is left and answers with the
 * map of the sectors that held data (all erased now).
 */
#ifndef STUB_CLEAN_H
#define STUB_CLEAN_H

#include <stdint.h>

/* Largest range: 16 MiB, one bit per 4 KiB sector. */
#define STUB_CLEAN_MAX_SECTORS 4096u
/* Dirty sectors in a block from which the whole block is erased (CleanFlashPlan's threshold). */
#define STUB_CLEAN_BLOCK_THRESHOLD 4u
/* Bytes read per scan step. */
#define STUB_CLEAN_PIECE 256u

/* What a finished job did, for the reply (all counts in the job's range). */
typedef struct {
    uint32_t dirty;               /* sectors that held data */
    uint32_t background_scanned;  /* sectors whose scan finished in idle time */
    uint32_t background_erases;   /* erases (block or sector) done in idle time */
    uint32_t block_erases;        /* 64 KiB block erases in all */
    uint32_t sector_erases;       /* 4 KiB sector erases in all */
} stub_clean_report_t;

/* Starts a job over `sectors` sectors from `address` (sector aligned, at most
 * STUB_CLEAN_MAX_SECTORS); a job already running is dropped (its erases stay done). */
void stub_clean_begin(uint32_t address, uint32_t sectors);

/* True when a job covers exactly this range. */
int stub_clean_is(uint32_t address, uint32_t sectors);

/* True when a running job's range overlaps [address, address + length). */
int stub_clean_overlaps(uint32_t address, uint32_t length);

/* Does one unit of work; returns 1 when it did some, 0 when there is nothing (left) to do. */
int stub_clean_step(void);

/* Does everything left, ends the job and fills `report`; the bitmap of the sectors that held
 * data (bit i % 8 of byte i / 8) stays readable through stub_clean_bitmap until the next begin.
 * Returns STUB_OK or the first flash failure (STUB_FAILED_SPI_OP). */
int stub_clean_finish(stub_clean_report_t *report);

/* The job's bitmap ((sectors + 7) / 8 bytes). */
const uint8_t *stub_clean_bitmap(void);

#endif
