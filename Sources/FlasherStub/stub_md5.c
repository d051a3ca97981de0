/* MD5 (RFC 1321) for the espwiz flasher stub. See stub_md5.h. */
#include "stub_md5.h"
#include "stub_util.h"

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

/* The four round functions (RFC 1321 section 3.4), F and G in their one-operation-shorter
 * equivalent forms. */
#define MD5_F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MD5_G(x, y, z) ((y) ^ ((z) & ((x) ^ (y))))
#define MD5_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD5_I(x, y, z) ((y) ^ ((x) | ~(z)))

/* One step: a = b + ((a + fn(b, c, d) + word + constant) <<< shift). */
#define MD5_STEP(fn, a, b, c, d, word, constant, shift)                 \
    do {                                                                \
        (a) += fn((b), (c), (d)) + (word) + (constant);                 \
        (a) = ((a) << (shift)) | ((a) >> (32 - (shift)));               \
        (a) += (b);                                                     \
    } while (0)

/* Each round is a loop of four steps with their shifts as constants, so no step tests which
 * round it is in and no shift is looked up: MD5 is the stub's costliest per-byte work after
 * decoding (every READ_FLASH, SPI_FLASH_MD5 and backup hashes each byte), and this form takes
 * about half the instructions of a loop over 64 generic steps, for a few hundred bytes of code. */
/* Input words read straight from the byte buffer (may_alias: they were written as bytes). */
typedef uint32_t __attribute__((may_alias)) md5_word_t;

static void md5_compress(uint32_t state[4], const uint8_t *p)
{
    uint32_t m[16];
    const md5_word_t *x = m;
    if (((uintptr_t)p & 3) == 0) {
        x = (const md5_word_t *)p;  /* the lx106 is little-endian, as MD5's words are */
    } else {
        for (int i = 0; i < 16; i++) {
            m[i] = (uint32_t)p[i * 4] | ((uint32_t)p[i * 4 + 1] << 8) |
                   ((uint32_t)p[i * 4 + 2] << 16) | ((uint32_t)p[i * 4 + 3] << 24);
        }
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    const uint32_t *t = md5_sine;
    for (int i = 0; i < 16; i += 4, t += 4) {
        MD5_STEP(MD5_F, a, b, c, d, x[i], t[0], 7);
        MD5_STEP(MD5_F, d, a, b, c, x[i + 1], t[1], 12);
        MD5_STEP(MD5_F, c, d, a, b, x[i + 2], t[2], 17);
        MD5_STEP(MD5_F, b, c, d, a, x[i + 3], t[3], 22);
    }
    /* Rounds 2-4 take the words in the orders (1 + 5i), (5 + 3i) and 7i, mod 16. */
    for (uint32_t g = 1, n = 0; n < 4; n++, t += 4, g = (g + 20) & 15) {
        MD5_STEP(MD5_G, a, b, c, d, x[g], t[0], 5);
        MD5_STEP(MD5_G, d, a, b, c, x[(g + 5) & 15], t[1], 9);
        MD5_STEP(MD5_G, c, d, a, b, x[(g + 10) & 15], t[2], 14);
        MD5_STEP(MD5_G, b, c, d, a, x[(g + 15) & 15], t[3], 20);
    }
    for (uint32_t g = 5, n = 0; n < 4; n++, t += 4, g = (g + 12) & 15) {
        MD5_STEP(MD5_H, a, b, c, d, x[g], t[0], 4);
        MD5_STEP(MD5_H, d, a, b, c, x[(g + 3) & 15], t[1], 11);
        MD5_STEP(MD5_H, c, d, a, b, x[(g + 6) & 15], t[2], 16);
        MD5_STEP(MD5_H, b, c, d, a, x[(g + 9) & 15], t[3], 23);
    }
    for (uint32_t g = 0, n = 0; n < 4; n++, t += 4, g = (g + 28) & 15) {
        MD5_STEP(MD5_I, a, b, c, d, x[g], t[0], 6);
        MD5_STEP(MD5_I, d, a, b, c, x[(g + 7) & 15], t[1], 10);
        MD5_STEP(MD5_I, c, d, a, b, x[(g + 14) & 15], t[2], 15);
        MD5_STEP(MD5_I, b, c, d, a, x[(g + 21) & 15], t[3], 21);
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
