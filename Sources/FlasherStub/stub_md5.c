/* MD5 (RFC 1321) for the espwiz flasher stub. See stub_md5.h. */
#include "stub_md5.h"
#include "stub_util.h"

/* Per-round shift amounts, four per round (RFC 1321 section 3.4). */
static const uint8_t md5_shift[16] = {
    7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21,
};

/* T[i] = floor(2^32 * |sin(i + 1)|) (RFC 1321 section 3.4). */
static const uint32_t md5_sine[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

static uint32_t rotate_left(uint32_t x, uint32_t n) { return (x << n) | (x >> (32 - n)); }

static void md5_compress(uint32_t state[4], const uint8_t *p)
{
    uint32_t m[16];
    for (int i = 0; i < 16; i++) {
        m[i] = (uint32_t)p[i * 4] | ((uint32_t)p[i * 4 + 1] << 8) |
               ((uint32_t)p[i * 4 + 2] << 16) | ((uint32_t)p[i * 4 + 3] << 24);
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g;
        int round = i >> 4;
        if (round == 0) {
            f = (b & c) | (~b & d);
            g = i;
        } else if (round == 1) {
            f = (d & b) | (~d & c);
            g = (5 * i + 1) & 15;
        } else if (round == 2) {
            f = b ^ c ^ d;
            g = (3 * i + 5) & 15;
        } else {
            f = c ^ (b | ~d);
            g = (7 * i) & 15;
        }
        uint32_t next = b + rotate_left(a + f + md5_sine[i] + m[g], md5_shift[(round << 2) | (i & 3)]);
        a = d;
        d = c;
        c = b;
        b = next;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
}

void stub_md5_init(stub_md5_t *ctx)
{
    ctx->state[0] = 0x67452301;
    ctx->state[1] = 0xefcdab89;
    ctx->state[2] = 0x98badcfe;
    ctx->state[3] = 0x10325476;
    ctx->length_lo = 0;
    ctx->length_hi = 0;
}

void stub_md5_update(stub_md5_t *ctx, const uint8_t *data, uint32_t len)
{
    uint32_t used = ctx->length_lo & 63;
    uint32_t before = ctx->length_lo;
    ctx->length_lo += len;
    if (ctx->length_lo < before) {
        ctx->length_hi++;
    }
    if (used != 0) {
        uint32_t take = 64 - used;
        if (take > len) {
            take = len;
        }
        stub_memcpy(ctx->block + used, data, take);
        data += take;
        len -= take;
        if (used + take < 64) {
            return;
        }
        md5_compress(ctx->state, ctx->block);
    }
    while (len >= 64) {
        md5_compress(ctx->state, data);
        data += 64;
        len -= 64;
    }
    if (len != 0) {
        stub_memcpy(ctx->block, data, len);
    }
}

void stub_md5_final(stub_md5_t *ctx, uint8_t digest[16])
{
    uint32_t bits_lo = ctx->length_lo << 3;
    uint32_t bits_hi = (ctx->length_hi << 3) | (ctx->length_lo >> 29);
    uint8_t pad[72];
    uint32_t used = ctx->length_lo & 63;
    uint32_t pad_len = (used < 56) ? (56 - used) : (120 - used);
    stub_memset(pad, 0, sizeof pad);
    pad[0] = 0x80;
    stub_md5_update(ctx, pad, pad_len);
    uint8_t length_bytes[8];
    for (int i = 0; i < 4; i++) {
        length_bytes[i] = (uint8_t)(bits_lo >> (8 * i));
        length_bytes[4 + i] = (uint8_t)(bits_hi >> (8 * i));
    }
    stub_md5_update(ctx, length_bytes, 8);
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            digest[i * 4 + j] = (uint8_t)(ctx->state[i] >> (8 * j));
        }
    }
}
