/* Streaming raw LZMA1 decoder for the espwiz flasher stub. See stub_lzma.h.
 *
 * Written for espwiz from the LZMA format as published (Igor Pavlov's format description,
 * lzma-specification.txt): an adaptive binary range decoder with 11-bit probabilities; literals
 * coded bit by bit in a tree chosen by the lc high bits of the previous byte and the lp low bits
 * of the position, or against the byte at the last match distance right after a match; a
 * 12-state machine; matches with a length coder and distance slots (plain bit-tree values, then
 * reverse bit-trees, then direct bits with four reverse-coded align bits); four repeat distances.
 */
#include "stub_lzma.h"

#define TOP (1u << 24)
#define PROB_BITS 11
#define PROB_INIT (1u << (PROB_BITS - 1))
#define MOVE_BITS 5

#define STATES 12
#define POS_STATES_MAX 16 /* pb <= 4 */
#define LEN_STATES 4      /* distance slot trees by match length 2, 3, 4, 5+ */
#define MATCH_LEN_MIN 2
#define MATCH_LEN_MAX 273
#define END_MARKER 0xFFFFFFFFu

/* Length coder: choice, choice 2, 8 low and 8 mid symbols per position state, 256 high symbols. */
#define LEN_CHOICE 0
#define LEN_CHOICE2 1
#define LEN_LOW 2
#define LEN_MID (LEN_LOW + POS_STATES_MAX * 8)
#define LEN_HIGH (LEN_MID + POS_STATES_MAX * 8)
#define LEN_PROBS (LEN_HIGH + 256)

/* Probability table layout (indices into s->probs). */
#define P_IS_MATCH 0
#define P_IS_REP (P_IS_MATCH + STATES * POS_STATES_MAX)
#define P_IS_REP_G0 (P_IS_REP + STATES)
#define P_IS_REP_G1 (P_IS_REP_G0 + STATES)
#define P_IS_REP_G2 (P_IS_REP_G1 + STATES)
#define P_IS_REP0_LONG (P_IS_REP_G2 + STATES)
#define P_DIST_SLOT (P_IS_REP0_LONG + STATES * POS_STATES_MAX)
#define P_DIST_SPECIAL (P_DIST_SLOT + LEN_STATES * 64) /* slots 4..13: 114 reverse-tree nodes */
#define P_ALIGN (P_DIST_SPECIAL + 114)
#define P_LEN (P_ALIGN + 16)
#define P_REP_LEN (P_LEN + LEN_PROBS)
#define P_LITERAL (P_REP_LEN + LEN_PROBS)

#if P_LITERAL != STUB_LZMA_BASE_PROBS
#error "probability layout does not match STUB_LZMA_BASE_PROBS"
#endif

static void fail(stub_lzma_t *s, int status)
{
    if (s->status == STUB_LZMA_OK) {
        s->status = status;
    }
}

/* Next input byte; at the end of input records TRUNCATED and yields 0. */
static uint32_t next_byte(stub_lzma_t *s)
{
    while (s->in == s->in_end) {
        if (s->status != STUB_LZMA_OK) {
            return 0;
        }
        const uint8_t *data = 0;
        uint32_t length = 0;
        if (!s->refill(s->context, &data, &length)) {
            fail(s, STUB_LZMA_TRUNCATED);
            return 0;
        }
        s->in = data;
        s->in_end = data + length;
    }
    return *s->in++;
}

/* True when more input exists (pulls the next block if the current one is used up). */
static int more_input(stub_lzma_t *s)
{
    while (s->in == s->in_end) {
        const uint8_t *data = 0;
        uint32_t length = 0;
        if (!s->refill(s->context, &data, &length)) {
            return 0;
        }
        s->in = data;
        s->in_end = data + length;
    }
    return 1;
}

/* ---- range decoder ----
 * The range is renormalised after every decision, so when the last symbol is decoded every
 * byte of a finished stream has been read, and (with an encoder that flushes its low value
 * exactly, as liblzma and the reference encoder do) the code is 0. */

static inline __attribute__((always_inline)) void normalize(stub_lzma_t *s)
{
    if (s->range < TOP) {
        s->range <<= 8;
        s->code = (s->code << 8) | (s->in != s->in_end ? *s->in++ : next_byte(s));
    }
}

/* One adaptive binary decision (inlined: it is the decoder's inner loop; about 30 % fewer
 * instructions per output byte under QEMU than as a call, for about 1.5 KiB of code). */
static inline __attribute__((always_inline)) uint32_t bit(stub_lzma_t *s, uint16_t *p)
{
    uint32_t prob = *p;
    uint32_t bound = (s->range >> PROB_BITS) * prob;
    uint32_t b;
    if (s->code < bound) {
        s->range = bound;
        *p = (uint16_t)(prob + (((1u << PROB_BITS) - prob) >> MOVE_BITS));
        b = 0;
    } else {
        s->range -= bound;
        s->code -= bound;
        *p = (uint16_t)(prob - (prob >> MOVE_BITS));
        b = 1;
    }
    normalize(s);
    return b;
}

/* `count` bits with probability one half, most significant first. */
static uint32_t direct_bits(stub_lzma_t *s, uint32_t count)
{
    uint32_t value = 0;
    while (count--) {
        s->range >>= 1;
        uint32_t b = 0;
        if (s->code >= s->range) {
            s->code -= s->range;
            b = 1;
        }
        value = (value << 1) | b;
        normalize(s);
    }
    return value;
}

/* A `count`-bit value coded most significant bit first through a tree of probabilities
 * (nodes 1 .. 2^count - 1; each node's children are 2n and 2n+1). */
static uint32_t tree(stub_lzma_t *s, uint16_t *probs, uint32_t count)
{
    uint32_t node = 1;
    for (uint32_t i = 0; i < count; i++) {
        node = (node << 1) | bit(s, &probs[node]);
    }
    return node - (1u << count);
}

/* The same tree walked with the value's least significant bit first. */
static uint32_t reverse_tree(stub_lzma_t *s, uint16_t *probs, uint32_t count)
{
    uint32_t node = 1, value = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t b = bit(s, &probs[node]);
        node = (node << 1) | b;
        value |= b << i;
    }
    return value;
}

/* ---- output window ---- */

/* Hands the bytes between flush_from and pos to the sink. */
static void flush(stub_lzma_t *s)
{
    uint32_t pending = s->pos - s->flush_from;
    if (pending != 0 && s->status == STUB_LZMA_OK) {
        int err = s->sink(s->context, s->window + s->flush_from, pending);
        if (err != 0) {
            s->sink_error = err;
            fail(s, STUB_LZMA_SINK);
        }
    }
    s->flush_from = s->pos;
    if (s->pos == s->window_size) {
        s->pos = 0;
        s->flush_from = 0;
    }
}

static inline void put(stub_lzma_t *s, uint32_t byte)
{
    s->window[s->pos++] = (uint8_t)byte;
    s->produced++;
    /* Flushed pieces stay whole words (CHUNK and the window size are multiples of 4). */
    if (s->pos - s->flush_from == STUB_LZMA_CHUNK || s->pos == s->window_size) {
        flush(s);
    }
}

/* Reads `length` bytes of earlier output starting at output position `from` into s->far;
 * returns a pointer to the first one, or 0 after recording a failure. The bytes lie more than
 * a window back, so they were flushed, in whole words, and programmed. */
static const uint8_t *read_back(stub_lzma_t *s, uint32_t from, uint32_t length)
{
    uint32_t base = from & ~3u;
    uint32_t span = (from - base + length + 3u) & ~3u;
    s->far_reads++;
    int err = s->history(s->context, base, s->far, span);
    if (err != 0) {
        s->sink_error = err;
        fail(s, STUB_LZMA_HISTORY);
        return 0;
    }
    return (const uint8_t *)s->far + (from - base);
}

/* The byte `distance` (>= 1, <= produced) bytes back. */
static uint32_t byte_back(stub_lzma_t *s, uint32_t distance)
{
    if (distance <= s->window_size) {
        uint32_t i = s->pos >= distance ? s->pos - distance : s->pos + s->window_size - distance;
        return s->window[i];
    }
    const uint8_t *p = read_back(s, s->produced - distance, 1);
    return p ? *p : 0;
}

/* Copies `length` bytes from `distance` bytes back. */
static void copy_match(stub_lzma_t *s, uint32_t distance, uint32_t length)
{
    if (distance > s->produced) {
        fail(s, STUB_LZMA_BAD_DATA); /* reaches before the start of this session's output */
        return;
    }
    if (length > s->size - s->produced) {
        fail(s, STUB_LZMA_TOO_MUCH);
        return;
    }
    if (distance <= s->window_size) {
        uint32_t from = s->pos >= distance ? s->pos - distance : s->pos + s->window_size - distance;
        while (length-- != 0) {
            uint32_t b = s->window[from++];
            if (from == s->window_size) {
                from = 0;
            }
            put(s, b);
        }
        return;
    }
    /* Further back than the window: read it from flash. With distance > window >= length the
     * source never overlaps the bytes being produced. */
    const uint8_t *p = read_back(s, s->produced - distance, length);
    if (p == 0) {
        return;
    }
    while (length-- != 0) {
        put(s, *p++);
    }
}

/* ---- symbols ---- */

static uint32_t decode_length(stub_lzma_t *s, uint16_t *probs, uint32_t pos_state)
{
    if (!bit(s, &probs[LEN_CHOICE])) {
        return tree(s, &probs[LEN_LOW + pos_state * 8], 3);
    }
    if (!bit(s, &probs[LEN_CHOICE2])) {
        return 8 + tree(s, &probs[LEN_MID + pos_state * 8], 3);
    }
    return 16 + tree(s, &probs[LEN_HIGH], 8);
}

/* Match distance minus one; END_MARKER for the end-of-payload marker. `length` is 0-based. */
static uint32_t decode_distance(stub_lzma_t *s, uint32_t length)
{
    uint32_t len_state = length < LEN_STATES - 1 ? length : LEN_STATES - 1;
    uint32_t slot = tree(s, &s->probs[P_DIST_SLOT + len_state * 64], 6);
    if (slot < 4) {
        return slot;
    }
    uint32_t footer = (slot >> 1) - 1;
    uint32_t distance = (2u | (slot & 1u)) << footer;
    if (slot < 14) {
        /* Each slot's reverse tree starts right after the previous slot's nodes. */
        return distance + reverse_tree(s, &s->probs[P_DIST_SPECIAL + distance - slot - 1], footer);
    }
    distance += direct_bits(s, footer - 4) << 4;
    return distance + reverse_tree(s, &s->probs[P_ALIGN], 4);
}

static void decode_literal(stub_lzma_t *s)
{
    uint32_t previous = s->produced != 0 ? byte_back(s, 1) : 0;
    uint32_t context = ((s->produced & s->lp_mask) << s->lc) + (previous >> (8 - s->lc));
    uint16_t *probs = &s->probs[P_LITERAL + STUB_LZMA_LITERAL_PROBS * context];
    uint32_t symbol = 1;
    if (s->state >= 7) {
        /* Right after a match: code against the byte at the last distance while the bits agree
         * (trees 0x100 and 0x200, by the match bit); after the first difference, plainly. */
        uint32_t match = byte_back(s, s->rep[0] + 1);
        while (symbol < 0x100) {
            uint32_t match_bit = (match >> 7) & 1u;
            match <<= 1;
            uint32_t b = bit(s, &probs[((1u + match_bit) << 8) + symbol]);
            symbol = (symbol << 1) | b;
            if (b != match_bit) {
                break;
            }
        }
    }
    while (symbol < 0x100) {
        symbol = (symbol << 1) | bit(s, &probs[symbol]);
    }
    put(s, symbol & 0xFFu);
    s->state = s->state < 4 ? 0 : (s->state < 10 ? s->state - 3 : s->state - 6);
}

/* Decodes one literal or match. Returns 1 for the end-of-payload marker. */
static int decode_symbol(stub_lzma_t *s)
{
    uint32_t pos_state = s->produced & s->pb_mask;
    uint32_t state = s->state;
    if (!bit(s, &s->probs[P_IS_MATCH + state * POS_STATES_MAX + pos_state])) {
        decode_literal(s);
        return 0;
    }
    uint32_t length;
    if (bit(s, &s->probs[P_IS_REP + state])) {
        if (!bit(s, &s->probs[P_IS_REP_G0 + state])) {
            if (!bit(s, &s->probs[P_IS_REP0_LONG + state * POS_STATES_MAX + pos_state])) {
                /* "short rep": one byte from the last distance */
                s->state = state < 7 ? 9 : 11;
                if (s->rep[0] >= s->produced) {
                    fail(s, STUB_LZMA_BAD_DATA);
                    return 0;
                }
                if (s->produced == s->size) {
                    fail(s, STUB_LZMA_TOO_MUCH);
                    return 0;
                }
                put(s, byte_back(s, s->rep[0] + 1));
                return 0;
            }
        } else {
            uint32_t distance;
            if (!bit(s, &s->probs[P_IS_REP_G1 + state])) {
                distance = s->rep[1];
            } else {
                if (!bit(s, &s->probs[P_IS_REP_G2 + state])) {
                    distance = s->rep[2];
                } else {
                    distance = s->rep[3];
                    s->rep[3] = s->rep[2];
                }
                s->rep[2] = s->rep[1];
            }
            s->rep[1] = s->rep[0];
            s->rep[0] = distance;
        }
        length = decode_length(s, &s->probs[P_REP_LEN], pos_state);
        s->state = state < 7 ? 8 : 11;
    } else {
        s->rep[3] = s->rep[2];
        s->rep[2] = s->rep[1];
        s->rep[1] = s->rep[0];
        length = decode_length(s, &s->probs[P_LEN], pos_state);
        s->state = state < 7 ? 7 : 10;
        s->rep[0] = decode_distance(s, length);
        if (s->rep[0] == END_MARKER) {
            return 1;
        }
    }
    if (s->status == STUB_LZMA_OK) {
        copy_match(s, s->rep[0] + 1, length + MATCH_LEN_MIN);
    }
    return 0;
}

/* ---- public ---- */

uint32_t stub_lzma_probs_bytes(uint32_t lc, uint32_t lp)
{
    return (STUB_LZMA_BASE_PROBS + (STUB_LZMA_LITERAL_PROBS << (lc + lp))) * 2u;
}

int stub_lzma_init(stub_lzma_t *s, uint8_t properties, uint32_t size, void *work, uint32_t work_size,
                   stub_lzma_refill_fn refill, stub_lzma_sink_fn sink, stub_lzma_history_fn history,
                   void *context)
{
    if (properties >= 9 * 5 * 5) {
        return STUB_LZMA_BAD_PROPS;
    }
    uint32_t lc = properties % 9u;
    uint32_t lp = (properties / 9u) % 5u;
    uint32_t pb = properties / 45u;
    if (lc + lp > 8) {
        return STUB_LZMA_BAD_PROPS; /* the table size below would not fit in 32 bits */
    }
    uint32_t probs_bytes = (stub_lzma_probs_bytes(lc, lp) + 3u) & ~3u;
    if (probs_bytes > work_size || ((work_size - probs_bytes) & ~3u) < STUB_LZMA_MIN_WINDOW) {
        return STUB_LZMA_BAD_PROPS;
    }
    s->in = 0;
    s->in_end = 0;
    s->refill = refill;
    s->sink = sink;
    s->history = history;
    s->context = context;
    s->range = 0xFFFFFFFFu;
    s->code = 0;
    s->probs = (uint16_t *)work;
    s->lc = lc;
    s->lp_mask = (1u << lp) - 1u;
    s->pb_mask = (1u << pb) - 1u;
    s->state = 0;
    s->rep[0] = s->rep[1] = s->rep[2] = s->rep[3] = 0;
    s->window = (uint8_t *)work + probs_bytes;
    s->window_size = (work_size - probs_bytes) & ~3u;
    s->pos = 0;
    s->flush_from = 0;
    s->size = size;
    s->produced = 0;
    s->far_reads = 0;
    s->status = STUB_LZMA_OK;
    s->sink_error = 0;
    s->end_marker = 0;
    uint32_t count = probs_bytes / 2u;
    for (uint32_t i = 0; i < count; i++) {
        s->probs[i] = PROB_INIT;
    }
    return STUB_LZMA_OK;
}

int stub_lzma_run(stub_lzma_t *s, const uint8_t *data, uint32_t length)
{
    s->in = data;
    s->in_end = data + length;
    /* The range coder's first byte is always 0 (the encoder's initial cache byte). */
    if (next_byte(s) != 0 && s->status == STUB_LZMA_OK) {
        fail(s, STUB_LZMA_BAD_DATA);
    }
    for (int i = 0; i < 4; i++) {
        s->code = (s->code << 8) | next_byte(s);
    }
    if (s->status == STUB_LZMA_OK && s->code == 0xFFFFFFFFu) {
        fail(s, STUB_LZMA_BAD_DATA); /* code must stay below range */
    }
    while (s->status == STUB_LZMA_OK && s->produced < s->size) {
        if (decode_symbol(s)) {
            fail(s, STUB_LZMA_TRUNCATED); /* an end marker before the declared size */
        }
    }
    flush(s);
    if (s->status != STUB_LZMA_OK || s->code == 0) {
        return s->status; /* finished cleanly: nothing of the range coder is left over */
    }
    /* Something remains: it can only be an end-of-payload marker (a match with the
     * distance 0xFFFFFFFF). A literal or a real match would be output past the size. */
    if (!more_input(s)) {
        fail(s, STUB_LZMA_BAD_DATA); /* leftover range-coder state and no marker */
        return s->status;
    }
    uint32_t pos_state = s->produced & s->pb_mask;
    if (!bit(s, &s->probs[P_IS_MATCH + s->state * POS_STATES_MAX + pos_state]) ||
        bit(s, &s->probs[P_IS_REP + s->state])) {
        fail(s, STUB_LZMA_TOO_MUCH); /* a literal or repeated match: output past the size */
        return s->status;
    }
    uint32_t marker_length = decode_length(s, &s->probs[P_LEN], pos_state);
    if (decode_distance(s, marker_length) != END_MARKER) {
        fail(s, STUB_LZMA_TOO_MUCH); /* a real match: output past the size */
    }
    if (s->status == STUB_LZMA_OK && s->code != 0) {
        fail(s, STUB_LZMA_BAD_DATA);
    }
    s->end_marker = s->status == STUB_LZMA_OK;
    return s->status;
}

int stub_lzma_has_trailing_input(const stub_lzma_t *s)
{
    return s->in != s->in_end;
}
