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
#include "stub_lzma_range.h"

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

/* ---- output window ----
 * Output goes into the circular window at `pos`; the bytes from flush_from on are handed to
 * the sink when pos reaches the flush limit: a whole chunk after flush_from, or the window's
 * end. decode() keeps pos and the limit in locals, so each output byte costs one compare. */

static uint32_t flush_limit(const stub_lzma_t *s)
{
    uint32_t limit = s->flush_from + STUB_LZMA_CHUNK;
    return limit < s->window_size ? limit : s->window_size;
}

/* Hands the bytes between flush_from and pos to the sink; returns the next flush limit. */
static NOINLINE uint32_t flush(stub_lzma_t *s)
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
    return flush_limit(s);
}

/* Reads `length` bytes of earlier output starting at output position `from` into s->far;
 * returns a pointer to the first one, or 0 after recording a failure. The bytes lie more than
 * a window back, so they were flushed, in whole words, and programmed. */
static NOINLINE const uint8_t *read_back(stub_lzma_t *s, uint32_t from, uint32_t length)
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

/* The byte `distance` (>= 1, <= produced) bytes back from window index `pos`. */
static ALWAYS_INLINE uint32_t byte_back(stub_lzma_t *s, uint32_t pos, uint32_t produced, uint32_t distance)
{
    if (distance <= s->window_size) {
        uint32_t i = pos >= distance ? pos - distance : pos + s->window_size - distance;
        return s->window[i];
    }
    const uint8_t *p = read_back(s, produced - distance, 1);
    return p ? *p : 0;
}

/* ---- symbols ---- */

static ALWAYS_INLINE uint32_t decode_length(stub_lzma_t *s, rc_t *rc, uint16_t *probs, uint32_t pos_state)
{
    /* One tree walk for the three cases (low, mid: 3 bits; high: 8 bits), to keep the code small. */
    uint32_t base = 0, count = 3;
    if (!bit(s, rc, &probs[LEN_CHOICE], 0)) {
        probs += LEN_LOW + pos_state * 8;
    } else if (!bit(s, rc, &probs[LEN_CHOICE2], 0)) {
        probs += LEN_MID + pos_state * 8;
        base = 8;
    } else {
        probs += LEN_HIGH;
        base = 16;
        count = 8;
    }
    return base + tree(s, rc, probs, count);
}

/* Match distance minus one; END_MARKER for the end-of-payload marker. `length` is 0-based. */
static ALWAYS_INLINE uint32_t decode_distance(stub_lzma_t *s, rc_t *rc, uint16_t *probs, uint32_t length)
{
    uint32_t len_state = length < LEN_STATES - 1 ? length : LEN_STATES - 1;
    uint32_t slot = tree(s, rc, &probs[P_DIST_SLOT + len_state * 64], 6);
    if (slot < 4) {
        return slot;
    }
    uint32_t footer = (slot >> 1) - 1;
    uint32_t distance = (2u | (slot & 1u)) << footer;
    uint16_t *reverse;
    if (slot < 14) {
        /* Each slot's reverse tree starts right after the previous slot's nodes. */
        reverse = &probs[P_DIST_SPECIAL + distance - slot - 1];
    } else {
        distance += direct_bits(s, rc, footer - 4) << 4;
        reverse = &probs[P_ALIGN];
        footer = 4;
    }
    return distance + reverse_tree(s, rc, reverse, footer);
}

/* Decodes the stream: the symbol loop until the declared size is produced, then, when the
 * range coder has something left, the end-of-payload marker (anything else there is output
 * past the size). One function, so that the range coder and the output position stay in
 * registers; the rare paths (refill, flush, read-back) are calls. */
/* The register allocator's options for this function only: with one allocation region for the
 * whole function, no induction-variable rewriting and no tail merging, Debian's xtensa gcc
 * spills less around the literal run (measured, StubInstructionCountTests: 139.97 -> 138.75
 * instructions per output byte; other combinations tried were worse). */
#if defined(__GNUC__) && !defined(__clang__)
#define DECODE_OPTIONS __attribute__((optimize("ira-region=one", "no-ivopts", "no-tree-tail-merge")))
#else
#define DECODE_OPTIONS
#endif
static DECODE_OPTIONS void decode(stub_lzma_t *s)
{
    rc_t rc = { s->range, s->code, s->in, s->in_end };
    uint16_t *const probs = s->probs;
    uint8_t *const window = s->window;
    const uint32_t window_size = s->window_size;
    const uint32_t size = s->size;
    uint32_t pos = s->pos;
    uint32_t limit = flush_limit(s);
    uint32_t produced = s->produced;
    uint32_t state = s->state;
    /* The last distance stays in a register; the three older ones, used only by repeated
     * matches, in the struct (fewer values for the registers means fewer spills). */
    uint32_t rep0 = s->rep[0];
    /* The previous output byte (the literal context): only this call produces output. */
    uint32_t previous = 0;

#define FLUSH_IF_FULL()             \
    if (pos == limit) {             \
        s->pos = pos;               \
        limit = flush(s);           \
        pos = s->pos;               \
    }

    while (s->status == STUB_LZMA_OK) {
        if (produced >= size) {
            s->pos = pos;
            limit = flush(s);
            pos = s->pos;
            if (s->status != STUB_LZMA_OK || rc.code == 0) {
                break; /* finished cleanly: nothing of the range coder is left over */
            }
            /* Something remains: it can only be an end-of-payload marker (a match with the
             * distance 0xFFFFFFFF). A literal or a real match would be output past the size. */
            s->in = rc.in;
            s->in_end = rc.in_end;
            if (!more_input(s)) {
                fail(s, STUB_LZMA_BAD_DATA); /* leftover range-coder state and no marker */
                break;
            }
            rc.in = s->in;
            rc.in_end = s->in_end;
        }
        /* A symbol that starts at the declared size can only be the end marker. */
#define TAIL (produced >= size)
        /* pos is produced modulo a multiple of 16 (stub_lzma_init): the same low bits. */
        uint32_t pos_state = pos & s->pb_mask;
        if (!bit(s, &rc, &probs[P_IS_MATCH + state * POS_STATES_MAX + pos_state], 0)) {
            if (TAIL) {
                fail(s, STUB_LZMA_TOO_MUCH); /* a literal: output past the size */
                break;
            }
            /* A run of literals: until a match, the declared size or the flush limit, with
             * only pos counting (produced catches up when the run ends), so that the values
             * the match path needs stay out of the registers. */
            uint32_t start = pos;
            uint32_t stop = size - produced < limit - pos ? pos + (size - produced) : limit;
            uint32_t symbol = 1;
            /* (p << lc) + (previous >> (8 - lc)) as one shift: previous is below 256. */
            uint16_t *lit = s->literal_probs
                          + STUB_LZMA_LITERAL_PROBS * ((((pos & s->lp_mask) << 8) | previous) >> s->lit_shift);
            if (state >= 7) {
                /* Right after a match: code against the byte at the last distance while the
                 * bits agree (trees 0x100 and 0x200, by the match bit); after the first
                 * difference, plainly. */
                uint32_t match = byte_back(s, pos, produced, rep0 + 1) << 1;
                do {
                    uint32_t match_bit = (match >> 8) & 1u;
                    match <<= 1;
                    symbol = bit(s, &rc, lit + ((1u + match_bit) << 8), symbol);
                    if ((symbol & 1u) != match_bit) {
                        break;
                    }
                } while (symbol < 0x100);
            }
            /* The state after this literal; below 7 from here on, so each further literal's
             * step is just "minus 3, at least 0". */
            state = state < 4 ? 0 : (state < 10 ? state - 3 : state - 6);
            for (;;) {
                while (symbol < 0x100) {
                    symbol = bit(s, &rc, lit, symbol);
                }
                window[pos++] = (uint8_t)symbol;
                if (pos == stop) {
                    break;
                }
                if (bit(s, &rc, &probs[P_IS_MATCH + state * POS_STATES_MAX + (pos & s->pb_mask)], 0)) {
                    produced += pos - start;
                    pos_state = pos & s->pb_mask;
                    goto match;
                }
                int32_t next = (int32_t)state - 3;
                state = next > 0 ? (uint32_t)next : 0;
                lit = s->literal_probs
                    + STUB_LZMA_LITERAL_PROBS * ((((pos & s->lp_mask) << 8) | (symbol & 0xFFu)) >> s->lit_shift);
                symbol = 1;
            }
            previous = symbol & 0xFFu;
            produced += pos - start;
            FLUSH_IF_FULL();
            continue;
        }
    match:;
        uint16_t *length_probs = &probs[P_LEN];
        int repeated = bit(s, &rc, &probs[P_IS_REP + state], 0);
        if (repeated) {
            if (TAIL) {
                fail(s, STUB_LZMA_TOO_MUCH); /* a repeated match: output past the size */
                break;
            }
            /* Which of the four distances: the G0, G1 and G2 decisions (stride STATES) in one
             * loop, one copy of the decision's code for the three. */
            uint32_t which = 0;
            while (which < 3 && bit(s, &rc, &probs[P_IS_REP_G0 + which * STATES + state], 0)) {
                which++;
            }
            if (which == 0) {
                if (!bit(s, &rc, &probs[P_IS_REP0_LONG + state * POS_STATES_MAX + pos_state], 0)) {
                    /* "short rep": one byte from the last distance */
                    state = state < 7 ? 9 : 11;
                    if (rep0 >= produced) {
                        fail(s, STUB_LZMA_BAD_DATA);
                        continue;
                    }
                    previous = byte_back(s, pos, produced, rep0 + 1);
                    window[pos++] = (uint8_t)previous;
                    produced++;
                    FLUSH_IF_FULL();
                    continue;
                }
            } else {
                /* The chosen distance moves to the front; the ones before it move back one. */
                uint32_t distance = s->rep[which];
                for (; which > 1; which--) {
                    s->rep[which] = s->rep[which - 1];
                }
                s->rep[1] = rep0;
                rep0 = distance;
            }
            length_probs = &probs[P_REP_LEN];
        }
        uint32_t length = decode_length(s, &rc, length_probs, pos_state);
        if (repeated) {
            state = state < 7 ? 8 : 11;
        } else {
            s->rep[3] = s->rep[2];
            s->rep[2] = s->rep[1];
            s->rep[1] = rep0;
            state = state < 7 ? 7 : 10;
            rep0 = decode_distance(s, &rc, probs, length);
            if (TAIL) {
                if (rep0 != END_MARKER) {
                    fail(s, STUB_LZMA_TOO_MUCH); /* a real match: output past the size */
                }
                if (s->status == STUB_LZMA_OK && rc.code != 0) {
                    fail(s, STUB_LZMA_BAD_DATA);
                }
                s->end_marker = s->status == STUB_LZMA_OK;
                break;
            }
            if (rep0 == END_MARKER) {
                fail(s, STUB_LZMA_TRUNCATED); /* an end marker before the declared size */
                break;
            }
        }
        if (s->status != STUB_LZMA_OK) {
            break;
        }
        /* Copy the match. */
        uint32_t distance = rep0 + 1;
        length += MATCH_LEN_MIN;
        if (distance > produced) {
            fail(s, STUB_LZMA_BAD_DATA); /* reaches before the start of this session's output */
            break;
        }
        if (length > size - produced) {
            fail(s, STUB_LZMA_TOO_MUCH);
            break;
        }
        const uint8_t *far = 0;
        uint32_t from = 0;
        if (distance <= window_size) {
            from = pos >= distance ? pos - distance : pos + window_size - distance;
        } else {
            /* Further back than the window: read it from flash. With distance > window >=
             * length the source never overlaps the bytes being produced. */
            far = read_back(s, produced - distance, length);
            if (far == 0) {
                break;
            }
        }
        produced += length;
        /* In runs up to the next flush limit (and, from the window, up to its end). Byte by
         * byte: a source closer than the length overlaps the bytes being written. */
        do {
            uint32_t n = limit - pos;
            if (n > length) {
                n = length;
            }
            const uint8_t *src;
            if (far == 0) {
                if (n > window_size - from) {
                    n = window_size - from;
                }
                src = window + from;
                from += n;
                if (from == window_size) {
                    from = 0;
                }
            } else {
                src = far;
                far += n;
            }
            length -= n;
            uint8_t *dst = window + pos;
            uint8_t *end = dst + n;
            pos += n;
            /* Two bytes a turn, each stored before the next is loaded, so that a source one
             * byte back (a run) still reads what was just written. */
            if (n & 1u) {
                *dst++ = *src++;
            }
            while (dst != end) {
                dst[0] = src[0];
                dst[1] = src[1];
                dst += 2;
                src += 2;
            }
            previous = dst[-1];
            FLUSH_IF_FULL();
        } while (length != 0);
    }
#undef FLUSH_IF_FULL
#undef TAIL
    s->range = rc.range;
    s->code = rc.code;
    s->in = rc.in;
    s->in_end = rc.in_end;
    s->pos = pos;
    s->produced = produced;
    s->state = state;
    s->rep[0] = rep0;
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
    s->literal_probs = s->probs + P_LITERAL;
    s->lc = lc;
    s->lit_shift = 8u - lc;
    s->lp_mask = (1u << lp) - 1u;
    s->pb_mask = (1u << pb) - 1u;
    s->state = 0;
    s->rep[0] = s->rep[1] = s->rep[2] = s->rep[3] = 0;
    s->window = (uint8_t *)work + probs_bytes;
    /* A multiple of 16, so that the window index has the output position's low bits (the
     * position state and literal position use up to 4 of them). Still at least the minimum:
     * STUB_LZMA_MIN_WINDOW leaves more than 16 bytes to spare. */
    s->window_size = (work_size - probs_bytes) & ~15u;
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
    decode(s);
    /* decode() flushed what it produced, unless it failed: then nothing more goes to the sink,
     * but the window's bookkeeping ends as before. */
    (void)flush(s);
    return s->status;
}

int stub_lzma_has_trailing_input(const stub_lzma_t *s)
{
    return s->in != s->in_end;
}
