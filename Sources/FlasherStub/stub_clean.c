/* Background clean (see stub_clean.h). */
#include "stub_clean.h"
#include "stub_blank_scan.h"
#include "stub_errors.h"
#include "stub_hal.h"
#include "stub_util.h"

#define SECTOR_SIZE 4096u
#define SECTORS_PER_BLOCK 16u

static struct {
    int active;
    uint32_t base;          /* first address (sector aligned) */
    uint32_t sectors;
    uint32_t scan_sector;   /* sectors before this are scanned */
    uint32_t scan_offset;   /* bytes of scan_sector read and found blank */
    uint32_t erase_sector;  /* dirty sectors before this are erased (after the scan) */
    uint8_t error;          /* first flash failure, sticky */
    int in_finish;          /* work done now is not idle time */
    stub_clean_report_t report;
} job;
static uint8_t bitmap[STUB_CLEAN_MAX_SECTORS / 8u];
static uint32_t piece[STUB_CLEAN_PIECE / 4u];

static int is_dirty(uint32_t s) { return (bitmap[s / 8u] >> (s % 8u)) & 1u; }

void stub_clean_begin(uint32_t address, uint32_t sectors)
{
    stub_memset(&job, 0, sizeof job);
    stub_memset(bitmap, 0, sizeof bitmap);
    job.active = 1;
    job.base = address;
    job.sectors = sectors;
}

int stub_clean_is(uint32_t address, uint32_t sectors)
{
    return job.active && job.base == address && job.sectors == sectors;
}

int stub_clean_overlaps(uint32_t address, uint32_t length)
{
    uint32_t end = job.base + job.sectors * SECTOR_SIZE;
    return job.active && length != 0 && address < end && (address >= job.base || job.base - address < length);
}

/* One piece of the scan: a dirty piece ends its sector's scan (the rest need not be read). */
static void scan_piece(void)
{
    uint32_t s = job.scan_sector;
    if (hal_flash_read(job.base + s * SECTOR_SIZE + job.scan_offset, piece, STUB_CLEAN_PIECE) != HAL_OK) {
        job.error = STUB_FAILED_SPI_OP;
        return;
    }
    int dirty = !stub_blank_all_erased(piece, STUB_CLEAN_PIECE / 4u);
    if (dirty) {
        bitmap[s / 8u] |= (uint8_t)(1u << (s % 8u));
        job.report.dirty++;
    }
    job.scan_offset += STUB_CLEAN_PIECE;
    if (dirty || job.scan_offset == SECTOR_SIZE) {
        job.scan_sector++;
        job.scan_offset = 0;
        if (!job.in_finish) {
            job.report.background_scanned++;
        }
    }
}

/* The next erase: skips blank sectors, then erases the block of the next dirty sector when the
 * block lies wholly inside the range and holds enough dirty sectors, else that sector. */
static void erase_next(void)
{
    while (job.erase_sector < job.sectors && !is_dirty(job.erase_sector)) {
        job.erase_sector++;
    }
    if (job.erase_sector == job.sectors) {
        return;
    }
    uint32_t s = job.erase_sector;
    uint32_t address = job.base + s * SECTOR_SIZE;
    uint32_t block_address = address & ~(SECTORS_PER_BLOCK * SECTOR_SIZE - 1u);
    uint32_t first = (block_address - job.base) / SECTOR_SIZE; /* valid when the block starts inside */
    int rc;
    uint32_t count = 0;
    if (block_address >= job.base && first + SECTORS_PER_BLOCK <= job.sectors) {
        for (uint32_t i = first; i < first + SECTORS_PER_BLOCK; i++) {
            count += (uint32_t)is_dirty(i);
        }
    }
    if (count >= STUB_CLEAN_BLOCK_THRESHOLD) {
        rc = hal_flash_erase_block(block_address / (SECTORS_PER_BLOCK * SECTOR_SIZE));
        job.erase_sector = first + SECTORS_PER_BLOCK;
        job.report.block_erases++;
    } else {
        rc = hal_flash_erase_sector(address / SECTOR_SIZE);
        job.erase_sector = s + 1u;
        job.report.sector_erases++;
    }
    if (rc != HAL_OK) {
        job.error = STUB_FAILED_SPI_OP;
    } else if (!job.in_finish) {
        job.report.background_erases++;
    }
}

int stub_clean_step(void)
{
    if (!job.active || job.error != STUB_OK) {
        return 0;
    }
    if (job.scan_sector < job.sectors) {
        scan_piece();
        return 1;
    }
    if (job.erase_sector < job.sectors) {
        erase_next();
        return 1;
    }
    return 0;
}

int stub_clean_finish(stub_clean_report_t *report)
{
    job.in_finish = 1;
    while (stub_clean_step()) {
    }
    job.active = 0;
    *report = job.report;
    return job.error;
}

const uint8_t *stub_clean_bitmap(void) { return bitmap; }
