/* READ_FLASH (D2) in all its forms: esptool's plain read, espwiz's sparse read (a map of the
 * dirty sectors, with the whole range's MD5 computed while the UART sends) and the scanning
 * read (the stub finds the map itself). Second-stage code (stub_commands.h): uploaded only
 * when a run reads the flash (backup), never for a connect and an unchanged re-flash.
 */
#include "stub_commands.h"
#include "stub_errors.h"
#include "stub_flash_io.h"
#include "stub_hal.h"
#include "stub_md5.h"
#include "stub_range_hash.h"
#include "stub_util.h"
#include "stub_wire.h"

typedef struct {
    uint32_t packet_size;
    uint32_t in_packet;
    stub_md5_t md5;
} read_stream_t;

static void read_chunk(void *context, const uint8_t *data, uint32_t length)
{
    read_stream_t *r = (read_stream_t *)context;
    stub_md5_update(&r->md5, data, length);
    stub_frame_bytes(data, length);
}

/* READ_FLASH's window as esptool's stub takes it: at least one packet in flight, at most 1024,
 * packets of at most 64 KiB (so packet * max_unacked stays below 2^26). */
static void clamp_read_window(uint32_t *packet, uint32_t *max_unacked)
{
    if (*max_unacked == 0) {
        *max_unacked = 1;
    }
    if (*max_unacked > 1024) {
        *max_unacked = 1024;
    }
    if (*packet > 0x10000) {
        *packet = 0x10000;
    }
}

/* Waits for the host's next acknowledgement of a sparse READ_FLASH stream (the bytes it has
 * received so far, u32) and takes it when it is plausible. Returns 0 when the link is gone. */
static int receive_ack(uint32_t sent, uint32_t *acked)
{
    if (!stub_receive_frame()) {
        return 0;
    }
    if (stub_cmd_len == 4) {
        uint32_t count = stub_le32(stub_cmd_buf);
        if (count > *acked && count <= sent) {
            *acked = count;
        }
    }
    return 1;
}

static void read_sparse(const uint8_t *data, uint32_t size_field);

void stub_cmd_read_flash(const uint8_t *data, uint32_t size_field)
{
    if (size_field > 16) {
        read_sparse(data, size_field);
        return;
    }
    if (size_field != 16) {
        stub_respond(OP_READ_FLASH, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    uint32_t offset = stub_le32(data);
    uint32_t length = stub_le32(data + 4);
    uint32_t packet = stub_le32(data + 8);
    uint32_t max_unacked = stub_le32(data + 12);
    if (packet == 0) {
        stub_respond(OP_READ_FLASH, 0, 0, 0, STUB_BAD_BLOCKSIZE);
        return;
    }
    if (!stub_range_ok(offset, length)) {
        stub_respond(OP_READ_FLASH, 0, 0, 0, STUB_FAILED_SPI_OP);
        return;
    }
    clamp_read_window(&packet, &max_unacked);
    uint32_t window_bytes = packet * max_unacked; /* at most 2^26: no overflow */
    stub_respond(OP_READ_FLASH, 0, 0, 0, STUB_OK);
    /* Data goes out as raw frames of `packet` bytes; the host acknowledges each with a frame
     * holding the total received so far (u32); at most max_unacked packets are outstanding;
     * a final frame carries the 16-byte MD5 of everything sent (esptool loader.py read_flash). */
    read_stream_t r;
    r.packet_size = packet;
    stub_md5_init(&r.md5);
    uint32_t sent = 0, acked = 0;
    while (acked < length) {
        while (sent < length && sent - acked < window_bytes) {
            uint32_t n = length - sent;
            if (n > packet) {
                n = packet;
            }
            stub_frame_start();
            if (stub_flash_stream(offset + sent, n, read_chunk, &r) != STUB_OK) {
                stub_frame_end();
                return;
            }
            stub_frame_end();
            sent += n;
        }
        if (!stub_receive_frame()) {
            return;
        }
        if (stub_cmd_len == 4) {
            uint32_t total = stub_le32(stub_cmd_buf);
            if (total > acked && total <= sent) {
                acked = total;
            }
        }
    }
    uint8_t digest[16];
    stub_md5_final(&r.md5, digest);
    stub_frame_start();
    stub_frame_bytes(digest, 16);
    stub_frame_end();
}

/* ---- sparse READ_FLASH (espwiz's own extension of D2) ----
 *
 * Request: offset, length (both whole sectors, at most 16 MiB), packet size, max unacked, flags
 * (bit 0: re-read blank sectors for the MD5), then the dirty-sector bitmap of the range
 * (BlankScanBitmap layout, as FLASH_BLANK_SCAN answered it). The reply's value is the number of
 * bytes that will be sent: the dirty sectors, concatenated in address order, in raw frames of
 * `packet` bytes acknowledged as in READ_FLASH. The final 16-byte frame is the MD5 of the whole
 * range (stub_range_hash.h), computed while the UART sends, so no separate SPI_FLASH_MD5 pass
 * is needed. esptool always sends 16 bytes, so plain READ_FLASH is unchanged. */

#define SPARSE_HASH_BUFFER 1024u
#define SPARSE_MAX_LENGTH (16u * 1024u * 1024u)

static stub_range_hash_t range_hash;

static void range_hash_idle(void) { stub_range_hash_step(&range_hash); }

static void send_chunk(void *context, const uint8_t *data, uint32_t length)
{
    (void)context;
    stub_frame_bytes(data, length);
}

static int sector_dirty(const uint8_t *bitmap, uint32_t index) { return (bitmap[index / 8] >> (index % 8)) & 1; }

/* Sends `n` bytes of the dirty-sector stream from *cursor (a byte position in the range, always
 * inside a dirty sector, or the range's length at the end), moving it on. */
static int send_dirty(const uint8_t *bitmap, uint32_t offset, uint32_t length, uint32_t *cursor, uint32_t n)
{
    while (n != 0) {
        uint32_t in_sector = STUB_SECTOR_SIZE - (*cursor % STUB_SECTOR_SIZE);
        uint32_t take = n < in_sector ? n : in_sector;
        if (stub_flash_stream(offset + *cursor, take, send_chunk, 0) != STUB_OK) {
            return STUB_FAILED_SPI_OP;
        }
        *cursor += take;
        n -= take;
        while (*cursor < length && *cursor % STUB_SECTOR_SIZE == 0 && !sector_dirty(bitmap, *cursor / STUB_SECTOR_SIZE)) {
            *cursor += STUB_SECTOR_SIZE; /* skip blank sectors */
        }
    }
    return STUB_OK;
}

/* The scanning sparse read (flags bit 1, no bitmap): one pass over the range. The hash
 * (stub_range_hash, scan mode) reads every sector once, hashes it and marks the dirty ones, in
 * the TX idle hook while the UART sends, and here when the sender has caught up with it. Each
 * dirty sector goes out as one raw frame of 4096 bytes (read again from the flash) as soon as
 * the scan has passed it, acknowledged like READ_FLASH's packets; the reply's value is 0 (the
 * total is not known yet). After the last acknowledgement one frame carries the map (as
 * FLASH_BLANK_SCAN's bitmap) and the 16-byte MD5 of the whole range: never 4096 bytes long. */
static void read_scanning(uint32_t offset, uint32_t length, uint32_t window_bytes, uint8_t *bitmap, uint32_t *buffer)
{
    uint32_t sectors = length / STUB_SECTOR_SIZE;
    stub_respond(OP_READ_FLASH, 0, 0, 0, STUB_OK);
    stub_range_hash_begin_scan(&range_hash, offset, length, bitmap, buffer, SPARSE_HASH_BUFFER);
    hal_set_tx_idle(range_hash_idle);
    uint32_t next = 0, sent = 0, acked = 0;
    for (;;) {
        while (next < sectors && sent - acked < window_bytes) {
            if (next >= stub_range_hash_scanned(&range_hash)) {
                if (!stub_range_hash_step(&range_hash) && next >= stub_range_hash_scanned(&range_hash)) {
                    next = sectors; /* the flash read failed: the MD5 below tells the host */
                }
                continue;
            }
            if (sector_dirty(bitmap, next)) {
                uint32_t cursor = next * STUB_SECTOR_SIZE;
                stub_frame_start();
                int rc = stub_flash_stream(offset + cursor, STUB_SECTOR_SIZE, send_chunk, 0);
                stub_frame_end();
                if (rc != STUB_OK) {
                    hal_set_tx_idle(0);
                    return;
                }
                sent += STUB_SECTOR_SIZE;
            }
            next++;
        }
        if (next == sectors && acked == sent) {
            break;
        }
        if (!receive_ack(sent, &acked)) {
            hal_set_tx_idle(0);
            return;
        }
    }
    hal_set_tx_idle(0);
    uint8_t digest[16];
    if (stub_range_hash_finish(&range_hash, digest) != STUB_OK) {
        stub_memset(digest, 0, sizeof digest); /* the host's check fails and it reads again */
    }
    stub_frame_start();
    stub_frame_bytes(bitmap, (sectors + 7u) / 8u);
    stub_frame_bytes(digest, 16);
    stub_frame_end();
}

static void read_sparse(const uint8_t *data, uint32_t size_field)
{
    uint32_t offset = stub_le32(data);
    uint32_t length = stub_le32(data + 4);
    uint32_t packet = stub_le32(data + 8);
    uint32_t max_unacked = stub_le32(data + 12);
    uint32_t flags = size_field >= 20 ? stub_le32(data + 16) : 0;
    uint32_t sectors = length / STUB_SECTOR_SIZE;
    int scan = size_field == 20 && (flags & 2u) != 0; /* no map: the stub finds it (read_scanning) */
    if (size_field < 20 || (offset % STUB_SECTOR_SIZE) != 0 || (length % STUB_SECTOR_SIZE) != 0 ||
        (!scan && size_field - 20 != (sectors + 7u) / 8u)) {
        stub_respond(OP_READ_FLASH, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    if (packet == 0) {
        stub_respond(OP_READ_FLASH, 0, 0, 0, STUB_BAD_BLOCKSIZE);
        return;
    }
    if (!stub_range_ok(offset, length) || length > SPARSE_MAX_LENGTH) {
        stub_respond(OP_READ_FLASH, 0, 0, 0, STUB_FAILED_SPI_OP);
        return;
    }
    if (stub_decoder_busy()) {
        /* A compressed write is under way: its decoder owns the work area. */
        stub_respond(OP_READ_FLASH, 0, 0, 0, STUB_NOT_IN_FLASH_MODE);
        return;
    }
    clamp_read_window(&packet, &max_unacked);
    /* The acknowledgements overwrite stub_cmd_buf: the bitmap (at most 512 bytes) and the hash's read
     * buffer live in the decoders' work area, free while no compressed session is open. */
    uint8_t *bitmap = (uint8_t *)stub_work_area();
    uint32_t *buffer = stub_work_area() + 1024u / 4u;
    if (scan) {
        read_scanning(offset, length, packet * max_unacked, bitmap, buffer);
        return;
    }
    uint32_t map_bytes = size_field - 20;
    stub_memcpy(bitmap, data + 20, map_bytes);
    uint32_t total = 0;
    for (uint32_t i = 0; i < sectors; i++) {
        total += sector_dirty(bitmap, i) ? STUB_SECTOR_SIZE : 0;
    }
    stub_respond(OP_READ_FLASH, total, 0, 0, STUB_OK);
    stub_range_hash_begin(&range_hash, offset, length, bitmap, (int)(flags & 1u), buffer, SPARSE_HASH_BUFFER);
    hal_set_tx_idle(range_hash_idle);
    uint32_t window_bytes = packet * max_unacked;
    uint32_t cursor = 0;
    while (cursor < length && !sector_dirty(bitmap, cursor / STUB_SECTOR_SIZE)) {
        cursor += STUB_SECTOR_SIZE;
    }
    uint32_t sent = 0, acked = 0;
    int hashed = 0;
    uint8_t digest[16];
    while (acked < total || !hashed) {
        while (sent < total && sent - acked < window_bytes) {
            uint32_t n = total - sent < packet ? total - sent : packet;
            stub_frame_start();
            int rc = send_dirty(bitmap, offset, length, &cursor, n);
            stub_frame_end();
            if (rc != STUB_OK) {
                hal_set_tx_idle(0);
                return;
            }
            sent += n;
        }
        if (sent == total && !hashed) {
            /* Everything is queued: finish the hash while the last bytes leave and the
             * acknowledgements arrive (the RX interrupt keeps them). */
            hal_set_tx_idle(0);
            if (stub_range_hash_finish(&range_hash, digest) != STUB_OK) {
                stub_memset(digest, 0, sizeof digest); /* the host's check fails and it reads again */
            }
            hashed = 1;
            continue;
        }
        if (!receive_ack(sent, &acked)) {
            hal_set_tx_idle(0);
            return;
        }
    }
    stub_frame_start();
    stub_frame_bytes(digest, 16);
    stub_frame_end();
}
