/* The first stage's side of the second-stage upload (stub_stage2.h): MEM_* into the RAM the
 * linker reserved for the decoders, and the check that they are all there. */
#include "stub_stage2.h"
#include "stub_errors.h"
#include "stub_util.h"

/* From the linker script: where the second stage's code and data go. */
extern uint32_t _stage2_text_start[], _stage2_text_end[];
extern uint32_t _stage2_data_start[], _stage2_data_end[];
extern const uint32_t stub_stage2_id;

static struct {
    uint32_t address;   /* of the open MEM_BEGIN */
    uint32_t size;
    uint32_t block_size;
    uint32_t next_seq;
    uint32_t received;  /* bytes stored by MEM_DATA since the stub started */
    int open;
    int ready;
} load;

int stub_stage2_ready(void) { return load.ready; }

static uint32_t stage2_bytes(void)
{
    return (uint32_t)((uintptr_t)_stage2_text_end - (uintptr_t)_stage2_text_start) +
           (uint32_t)((uintptr_t)_stage2_data_end - (uintptr_t)_stage2_data_start);
}

static int inside(uint32_t address, uint32_t size, const uint32_t *start, const uint32_t *end)
{
    uint32_t from = (uint32_t)(uintptr_t)start, to = (uint32_t)(uintptr_t)end;
    return address >= from && address <= to && size <= to - address;
}

uint8_t stub_stage2_mem_begin(const uint8_t *data, uint32_t size_field)
{
    load.open = 0;
    if (size_field != 16) {
        return STUB_BAD_DATA_LEN;
    }
    uint32_t size = stub_le32(data), block_size = stub_le32(data + 8), address = stub_le32(data + 12);
    if ((address & 3u) != 0 || (size & 3u) != 0 || block_size == 0 || (block_size & 3u) != 0) {
        return STUB_BAD_DATA_LEN; /* IRAM takes whole 32-bit words only */
    }
    if (!inside(address, size, _stage2_text_start, _stage2_text_end) &&
        !inside(address, size, _stage2_data_start, _stage2_data_end)) {
        return STUB_FAILED_SPI_OP; /* never overwrite the running first stage or its buffers */
    }
    load.address = address;
    load.size = size;
    load.block_size = block_size;
    load.next_seq = 0;
    load.open = 1;
    load.ready = 0;
    return STUB_OK;
}

uint8_t stub_stage2_mem_data(const uint8_t *data, uint32_t size_field, uint32_t checksum)
{
    if (!load.open) {
        return STUB_NOT_IN_FLASH_MODE;
    }
    if (size_field < 16 || stub_le32(data) != size_field - 16) {
        return STUB_BAD_DATA_LEN;
    }
    const uint8_t *block = data + 16;
    uint32_t length = size_field - 16;
    uint32_t sum = 0xEF;
    for (uint32_t i = 0; i < length; i++) {
        sum ^= block[i];
    }
    if (sum != checksum) {
        return STUB_BAD_DATA_CHECKSUM;
    }
    uint32_t seq = stub_le32(data + 4);
    if (seq + 1 == load.next_seq) {
        return STUB_OK; /* a repeat (its acknowledgement was lost): already stored */
    }
    uint32_t offset = seq * load.block_size;
    if (seq != load.next_seq || (length & 3u) != 0 || length > load.block_size || offset > load.size ||
        length > load.size - offset) {
        return STUB_BAD_DATA_LEN;
    }
    /* Word stores: IRAM faults on byte stores. The block sits word aligned in the command buffer
     * (8-byte header + 16-byte MEM_DATA header), but assemble the words anyway. */
    volatile uint32_t *dst = (volatile uint32_t *)(uintptr_t)(load.address + offset);
    for (uint32_t i = 0; i < length; i += 4) {
        dst[i / 4] = stub_le32(block + i);
    }
    load.next_seq++;
    load.received += length;
    return STUB_OK;
}

uint8_t stub_stage2_mem_end(uint32_t size_field)
{
    if (size_field != 8) {
        return STUB_BAD_DATA_LEN;
    }
    load.open = 0;
    /* Every byte of both sections at least once, and the identity word in place. */
    if (load.received < stage2_bytes() || *(const volatile uint32_t *)&stub_stage2_id != STUB_STAGE2_MAGIC) {
        return STUB_NOT_ENOUGH_DATA;
    }
    load.ready = 1;
    return STUB_OK;
}
