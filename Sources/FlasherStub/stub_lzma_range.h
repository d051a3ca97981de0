/* The range decoder of stub_lzma.c: adaptive binary decisions, direct bits and bit trees, as
 * inline functions on a register copy of the coder (rc_t), plus the input refill they fall
 * back to. Included only by stub_lzma.c (it uses the decoder's struct and status codes).
 *
 * The range is renormalised after every decision, so when the last symbol is decoded every
 * byte of a finished stream has been read, and (with an encoder that flushes its low value
 * exactly, as liblzma and the reference encoder do) the code is 0.
 */
#ifndef STUB_LZMA_RANGE_H
#define STUB_LZMA_RANGE_H

#include "stub_lzma.h"

#define TOP (1u << 24)
#define PROB_BITS 11
#define PROB_INIT (1u << (PROB_BITS - 1))
#define MOVE_BITS 5

#define ALWAYS_INLINE inline __attribute__((always_inline))
#define NOINLINE __attribute__((noinline))

/* The range decoder's registers. decode() keeps one in a local variable, so that the compiler
 * holds range, code and the input pointers in registers instead of loading and storing them in
 * the decoder struct for every bit (about 40 % of the instructions per output byte under QEMU).
 * They go back to the struct only around the calls out (refill) and at the end. */
typedef struct {
    uint32_t range;
    uint32_t code;
    const uint8_t *in;
    const uint8_t *in_end;
} rc_t;

static void fail(stub_lzma_t *s, int status)
{
    if (s->status == STUB_LZMA_OK) {
        s->status = status;
    }
}

/* Next input byte; at the end of input records TRUNCATED and yields 0. Reads s->in/in_end:
 * the callers store their local copies first. */
static NOINLINE uint32_t next_byte(stub_lzma_t *s)
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

static ALWAYS_INLINE void normalize(stub_lzma_t *s, rc_t *rc)
{
    if (rc->range < TOP) {
        uint32_t b;
        if (rc->in != rc->in_end) {
            b = *rc->in++;
        } else {
            /* The block is used up: the slow path works on the struct's copy. */
            s->in = rc->in;
            s->in_end = rc->in_end;
            b = next_byte(s);
            rc->in = s->in;
            rc->in_end = s->in_end;
        }
        rc->range <<= 8;
        rc->code = (rc->code << 8) | b;
    }
}

/* Keeps gcc from computing both probability updates before the branch (it hoists them, then
 * merges the two stores into one with a zero-extension): 4 to 5 instructions per decision. */
#define OPAQUE(x) __asm__("" : "+r"(x))
#if defined(__XTENSA__)
#define STORE16(p, v) __asm__ volatile("s16i %0, %1, 0" : : "r"(v), "r"(p) : "memory")
#else
#define STORE16(p, v) (*(p) = (uint16_t)(v))
#endif

/* One adaptive binary decision with the probability probs[node]; returns node * 2 + the bit
 * (so `node` 0 gives the bit itself). Inlined everywhere: it is the decoder's inner loop, 15
 * instructions per decision in a tree walk on the chip (there were 20 before OPAQUE/STORE16
 * and over 30 with the range coder in the struct). */
static ALWAYS_INLINE uint32_t bit(stub_lzma_t *s, rc_t *rc, uint16_t *probs, uint32_t node)
{
    uint16_t *p = &probs[node];
    uint32_t prob = *p;
    uint32_t bound = (rc->range >> PROB_BITS) * prob;
    if (rc->code < bound) {
        rc->range = bound;
        OPAQUE(prob);
        prob += ((1u << PROB_BITS) - prob) >> MOVE_BITS;
        STORE16(p, prob);
        node <<= 1;
    } else {
        rc->range -= bound;
        rc->code -= bound;
        OPAQUE(prob);
        prob -= prob >> MOVE_BITS;
        STORE16(p, prob);
        node = (node << 1) + 1;
    }
    normalize(s, rc);
    return node;
}

/* `count` bits with probability one half, most significant first. */
static ALWAYS_INLINE uint32_t direct_bits(stub_lzma_t *s, rc_t *rc, uint32_t count)
{
    uint32_t value = 0;
    while (count--) {
        rc->range >>= 1;
        uint32_t b = 0;
        if (rc->code >= rc->range) {
            rc->code -= rc->range;
            b = 1;
        }
        value = (value << 1) | b;
        normalize(s, rc);
    }
    return value;
}

/* A `count`-bit value coded most significant bit first through a tree of probabilities
 * (nodes 1 .. 2^count - 1; each node's children are 2n and 2n+1). */
static ALWAYS_INLINE uint32_t tree(stub_lzma_t *s, rc_t *rc, uint16_t *probs, uint32_t count)
{
    uint32_t node = 1;
    uint32_t end = 1u << count;
    do {
        node = bit(s, rc, probs, node);
    } while (node < end);
    return node - end;
}

/* The same tree walked with the value's least significant bit first. */
static ALWAYS_INLINE uint32_t reverse_tree(stub_lzma_t *s, rc_t *rc, uint16_t *probs, uint32_t count)
{
    uint32_t node = 1, value = 0;
    for (uint32_t i = 0; i < count; i++) {
        node = bit(s, rc, probs, node);
        value |= (node & 1u) << i;
    }
    return value;
}

#endif
