/* Streaming zlib/deflate decoder for the espwiz flasher stub. See stub_inflate.h.
 * Written from the format descriptions in RFC 1950 (zlib) and RFC 1951 (deflate). */
#include "stub_inflate.h"

#define MAX_BITS 15

/* RFC 1951 3.2.5: base lengths and extra bits for length codes 257..285. */
static const uint16_t length_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
};
static const uint8_t length_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
};
/* RFC 1951 3.2.5: base distances and extra bits for distance codes 0..29. */
static const uint16_t distance_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
    257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
};
static const uint8_t distance_extra[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
};
/* RFC 1951 3.2.7: order in which code length code lengths are sent. */
static const uint8_t code_length_order[19] = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
};

static void fail(stub_inflate_t *s, int status)
{
    if (s->status == STUB_INFLATE_OK) {
        s->status = status;
    }
}

/* Next input byte; at the end of input records TRUNCATED and yields 0. */
static uint32_t next_byte(stub_inflate_t *s)
{
    while (s->in == s->in_end) {
        if (s->status != STUB_INFLATE_OK) {
            return 0;
        }
        const uint8_t *data = 0;
        uint32_t length = 0;
        if (!s->refill(s->context, &data, &length)) {
            fail(s, STUB_INFLATE_TRUNCATED);
            return 0;
        }
        s->in = data;
        s->in_end = data + length;
    }
    return *s->in++;
}

/* Reads `n` (0..16) bits, least significant first. */
static uint32_t get_bits(stub_inflate_t *s, uint32_t n)
{
    while (s->bit_count < n) {
        s->bits |= next_byte(s) << s->bit_count;
        s->bit_count += 8;
    }
    uint32_t value = s->bits & ((1u << n) - 1u);
    s->bits >>= n;
    s->bit_count -= n;
    return value;
}

/* Builds a canonical Huffman decoding table from code lengths.
 * Returns 0 for a usable code, -1 for an over-subscribed one. An incomplete code is accepted
 * (RFC 1951 allows a single distance code); decoding an unused code then fails as bad data. */
static int build_huffman(stub_huffman_t *h, const uint8_t *lengths, uint32_t n)
{
    uint16_t offsets[MAX_BITS + 1];
    for (uint32_t i = 0; i <= MAX_BITS; i++) {
        h->counts[i] = 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        h->counts[lengths[i]]++;
    }
    h->counts[0] = 0;
    int32_t left = 1;
    for (uint32_t len = 1; len <= MAX_BITS; len++) {
        left = (left << 1) - (int32_t)h->counts[len];
        if (left < 0) {
            return -1;
        }
    }
    offsets[1] = 0;
    for (uint32_t len = 1; len < MAX_BITS; len++) {
        offsets[len + 1] = (uint16_t)(offsets[len] + h->counts[len]);
    }
    for (uint32_t i = 0; i < n; i++) {
        if (lengths[i] != 0) {
            h->symbols[offsets[lengths[i]]++] = (uint16_t)i;
        }
    }
    return 0;
}

/* Decodes one symbol, reading the code bit by bit (codes are sent most significant bit first). */
static int decode_symbol(stub_inflate_t *s, const stub_huffman_t *h)
{
    int32_t code = 0;  /* code read so far */
    int32_t first = 0; /* first code of the current length */
    int32_t index = 0; /* index of that code's symbol in h->symbols */
    for (uint32_t len = 1; len <= MAX_BITS; len++) {
        code |= (int32_t)get_bits(s, 1);
        int32_t count = h->counts[len];
        if (code - first < count) {
            return h->symbols[index + (code - first)];
        }
        index += count;
        first = (first + count) << 1;
        code <<= 1;
    }
    fail(s, STUB_INFLATE_BAD_DATA);
    return -1;
}

static void adler_update(stub_inflate_t *s, const uint8_t *p, uint32_t n)
{
    uint32_t a = s->adler_a, b = s->adler_b;
    while (n > 0) {
        /* 5552 is the largest run that cannot overflow 32 bits before the modulo (RFC 1950 9.) */
        uint32_t run = n < 5552 ? n : 5552;
        n -= run;
        while (run--) {
            a += *p++;
            b += a;
        }
        a %= 65521u;
        b %= 65521u;
    }
    s->adler_a = a;
    s->adler_b = b;
}

/* Hands everything decoded but not yet flushed to the sink. */
static void flush_output(stub_inflate_t *s)
{
    uint32_t pending = s->produced - s->flushed;
    if (pending == 0 || s->status != STUB_INFLATE_OK) {
        return;
    }
    /* Flushes happen at multiples of STUB_INFLATE_CHUNK, so the pending bytes are contiguous. */
    const uint8_t *start = s->window + (s->flushed & (STUB_INFLATE_WINDOW - 1u));
    adler_update(s, start, pending);
    int err = s->sink(s->context, start, pending);
    s->flushed = s->produced;
    if (err != 0) {
        s->sink_error = err;
        fail(s, STUB_INFLATE_SINK);
    }
}

static void put_byte(stub_inflate_t *s, uint8_t b)
{
    s->window[s->produced & (STUB_INFLATE_WINDOW - 1u)] = b;
    s->produced++;
    if (s->produced - s->flushed == STUB_INFLATE_CHUNK) {
        flush_output(s);
    }
}

static void inflate_stored(stub_inflate_t *s)
{
    s->bits >>= s->bit_count & 7u; /* skip to the byte boundary */
    s->bit_count -= s->bit_count & 7u;
    uint32_t len = get_bits(s, 16);
    uint32_t nlen = get_bits(s, 16);
    if ((len ^ 0xFFFFu) != nlen) {
        fail(s, STUB_INFLATE_BAD_DATA);
        return;
    }
    while (len-- > 0 && s->status == STUB_INFLATE_OK) {
        put_byte(s, (uint8_t)get_bits(s, 8));
    }
}

static void inflate_codes(stub_inflate_t *s)
{
    while (s->status == STUB_INFLATE_OK) {
        int symbol = decode_symbol(s, &s->literal);
        if (symbol < 0) {
            return;
        }
        if (symbol < 256) {
            put_byte(s, (uint8_t)symbol);
            continue;
        }
        if (symbol == 256) {
            return; /* end of block */
        }
        symbol -= 257;
        if (symbol >= 29) {
            fail(s, STUB_INFLATE_BAD_DATA);
            return;
        }
        uint32_t length = length_base[symbol] + get_bits(s, length_extra[symbol]);
        int dsym = decode_symbol(s, &s->distance);
        if (dsym < 0) {
            return;
        }
        if (dsym >= 30) {
            fail(s, STUB_INFLATE_BAD_DATA);
            return;
        }
        uint32_t distance = distance_base[dsym] + get_bits(s, distance_extra[dsym]);
        if (distance > s->produced) {
            fail(s, STUB_INFLATE_BAD_DATA); /* reaches back before the start of the output */
            return;
        }
        while (length-- > 0 && s->status == STUB_INFLATE_OK) {
            put_byte(s, s->window[(s->produced - distance) & (STUB_INFLATE_WINDOW - 1u)]);
        }
    }
}

static void fixed_tables(stub_inflate_t *s)
{
    uint8_t lengths[288];
    uint32_t i = 0;
    for (; i < 144; i++) lengths[i] = 8;
    for (; i < 256; i++) lengths[i] = 9;
    for (; i < 280; i++) lengths[i] = 7;
    for (; i < 288; i++) lengths[i] = 8;
    build_huffman(&s->literal, lengths, 288);
    for (i = 0; i < 30; i++) lengths[i] = 5;
    build_huffman(&s->distance, lengths, 30);
}

static void dynamic_tables(stub_inflate_t *s)
{
    uint8_t lengths[286 + 30];
    uint32_t nlen = get_bits(s, 5) + 257;
    uint32_t ndist = get_bits(s, 5) + 1;
    uint32_t ncode = get_bits(s, 4) + 4;
    if (nlen > 286 || ndist > 30) {
        fail(s, STUB_INFLATE_BAD_DATA);
        return;
    }
    for (uint32_t i = 0; i < 19; i++) {
        lengths[code_length_order[i]] = (uint8_t)(i < ncode ? get_bits(s, 3) : 0);
    }
    if (s->status != STUB_INFLATE_OK) {
        return;
    }
    /* The code-length code is decoded with the literal table's storage. */
    if (build_huffman(&s->literal, lengths, 19) != 0) {
        fail(s, STUB_INFLATE_BAD_DATA);
        return;
    }
    uint32_t index = 0;
    while (index < nlen + ndist && s->status == STUB_INFLATE_OK) {
        int symbol = decode_symbol(s, &s->literal);
        if (symbol < 0) {
            return;
        }
        if (symbol < 16) {
            lengths[index++] = (uint8_t)symbol;
            continue;
        }
        uint8_t value = 0;
        uint32_t repeat;
        if (symbol == 16) {
            if (index == 0) {
                fail(s, STUB_INFLATE_BAD_DATA);
                return;
            }
            value = lengths[index - 1];
            repeat = 3 + get_bits(s, 2);
        } else if (symbol == 17) {
            repeat = 3 + get_bits(s, 3);
        } else {
            repeat = 11 + get_bits(s, 7);
        }
        if (index + repeat > nlen + ndist) {
            fail(s, STUB_INFLATE_BAD_DATA);
            return;
        }
        while (repeat--) {
            lengths[index++] = value;
        }
    }
    if (s->status != STUB_INFLATE_OK) {
        return;
    }
    if (lengths[256] == 0) {
        fail(s, STUB_INFLATE_BAD_DATA); /* no end-of-block code */
        return;
    }
    if (build_huffman(&s->literal, lengths, nlen) != 0 ||
        build_huffman(&s->distance, lengths + nlen, ndist) != 0) {
        fail(s, STUB_INFLATE_BAD_DATA);
    }
}

void stub_inflate_init(stub_inflate_t *s, uint8_t *window, stub_inflate_refill_fn refill,
                       stub_inflate_sink_fn sink, void *context)
{
    s->in = 0;
    s->in_end = 0;
    s->bits = 0;
    s->bit_count = 0;
    s->refill = refill;
    s->sink = sink;
    s->context = context;
    s->status = STUB_INFLATE_OK;
    s->sink_error = 0;
    s->produced = 0;
    s->flushed = 0;
    s->adler_a = 1;
    s->adler_b = 0;
    s->window = window;
}

int stub_inflate_run(stub_inflate_t *s, const uint8_t *data, uint32_t length)
{
    s->in = data;
    s->in_end = data + length;
    /* RFC 1950 2.2: CMF (method 8 = deflate, window <= 32 KiB), FLG (check bits, no dictionary). */
    uint32_t cmf = get_bits(s, 8);
    uint32_t flg = get_bits(s, 8);
    if (s->status != STUB_INFLATE_OK) {
        return s->status;
    }
    if ((cmf & 0x0F) != 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31 != 0 || (flg & 0x20) != 0) {
        fail(s, STUB_INFLATE_BAD_DATA);
        return s->status;
    }
    uint32_t last = 0;
    while (!last && s->status == STUB_INFLATE_OK) {
        last = get_bits(s, 1);
        uint32_t type = get_bits(s, 2);
        if (s->status != STUB_INFLATE_OK) {
            break;
        }
        if (type == 0) {
            inflate_stored(s);
        } else if (type == 1) {
            fixed_tables(s);
            inflate_codes(s);
        } else if (type == 2) {
            dynamic_tables(s);
            inflate_codes(s);
        } else {
            fail(s, STUB_INFLATE_BAD_DATA);
        }
    }
    flush_output(s);
    if (s->status != STUB_INFLATE_OK) {
        return s->status;
    }
    /* RFC 1950: the Adler-32 of the output follows, byte aligned, most significant byte first. */
    s->bits >>= s->bit_count & 7u;
    s->bit_count -= s->bit_count & 7u;
    uint32_t expected = 0;
    for (int i = 0; i < 4; i++) {
        expected = (expected << 8) | get_bits(s, 8);
    }
    if (s->status != STUB_INFLATE_OK) {
        return s->status;
    }
    if (expected != ((s->adler_b << 16) | s->adler_a)) {
        fail(s, STUB_INFLATE_BAD_ADLER);
    }
    return s->status;
}

int stub_inflate_has_trailing_input(const stub_inflate_t *s)
{
    return s->in != s->in_end || s->bit_count >= 8;
}
