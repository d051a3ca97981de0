/* Streaming raw LZMA1 decoder, written for the espwiz flasher stub (FLASH_LZMA_*).
 *
 * Input is a raw LZMA1 stream: no .lzma header, the properties byte arrives separately, the
 * uncompressed size is known in advance, and decoding stops when that many bytes were produced.
 * An end-of-payload marker right after the last byte is accepted (and nothing else after it).
 *
 * Like stub_inflate, the decoder pulls its input through a refill callback and hands its output
 * to a sink, so the protocol layer can acknowledge the following blocks inside refill.
 *
 * Memory: one caller-supplied work area holds the probability table (whose size depends on
 * lc + lp) and, in the rest, a circular window of recent output. The host compresses with a
 * dictionary as large as the image, so matches may reach further back than that window: those
 * bytes are read back from flash through a history callback. The decoder only asks for bytes it
 * has already handed to the sink, in pieces that are multiples of 4 bytes from a multiple of 4
 * (flushes are always whole words until the final one), so they have been programmed by then.
 */
#ifndef STUB_LZMA_H
#define STUB_LZMA_H

#include <stdint.h>

/* Output is handed to the sink in pieces of at most this many bytes. */
#define STUB_LZMA_CHUNK 4096u
/* Probabilities that do not depend on lc/lp (pb up to 4): see the layout in stub_lzma.c. */
#define STUB_LZMA_BASE_PROBS 1846u
/* Literal probabilities per lc/lp context. */
#define STUB_LZMA_LITERAL_PROBS 0x300u
/* Smallest window the decoder accepts: a whole chunk plus the longest match (273 bytes) and
 * word rounding, so that anything outside the window has been flushed. */
#define STUB_LZMA_MIN_WINDOW (STUB_LZMA_CHUNK + 512u)

/* Results of stub_lzma_run and stub_lzma_init. */
enum {
    STUB_LZMA_OK = 0,
    STUB_LZMA_BAD_DATA = 1,    /* first byte not 0, distance before the start, bad final state */
    STUB_LZMA_TRUNCATED = 2,   /* input ended (or an end marker came) before the declared size */
    STUB_LZMA_TOO_MUCH = 3,    /* output past the declared size, or data after the end */
    STUB_LZMA_SINK = 4,        /* the sink refused output (see sink_error) */
    STUB_LZMA_HISTORY = 5,     /* the history callback failed (see sink_error) */
    STUB_LZMA_BAD_PROPS = 6,   /* stub_lzma_init: invalid byte, or lc+lp too large for the work area */
};

/* Supplies the next piece of input. Returns 0 when there is no more input. */
typedef int (*stub_lzma_refill_fn)(void *context, const uint8_t **data, uint32_t *length);
/* Consumes decoded output. Returns 0 to continue, or a non-zero error code to stop. */
typedef int (*stub_lzma_sink_fn)(void *context, const uint8_t *data, uint32_t length);
/* Reads back `length` (multiple of 4) bytes of earlier output, starting at output position
 * `position` (multiple of 4), into `dst` (4-byte aligned). Returns 0 or a non-zero error code. */
typedef int (*stub_lzma_history_fn)(void *context, uint32_t position, void *dst, uint32_t length);

typedef struct {
    /* input */
    const uint8_t *in;
    const uint8_t *in_end;
    stub_lzma_refill_fn refill;
    stub_lzma_sink_fn sink;
    stub_lzma_history_fn history;
    void *context;
    /* range decoder */
    uint32_t range;
    uint32_t code;
    /* model */
    uint16_t *probs;
    uint16_t *literal_probs; /* probs + the literal coders' offset */
    uint32_t lc;
    uint32_t lit_shift;   /* 8 - lc: the previous byte's bits that select the literal coder */
    uint32_t lp_mask;
    uint32_t pb_mask;
    uint32_t state;
    uint32_t rep[4];   /* last four match distances, minus one */
    /* output */
    uint8_t *window;
    uint32_t window_size; /* multiple of 16 (the low bits of pos are those of produced) */
    uint32_t pos;         /* next write index in the window */
    uint32_t flush_from;  /* window index of the first byte not yet handed to the sink */
    uint32_t size;        /* bytes to produce */
    uint32_t produced;
    uint32_t far_reads;   /* how often output was read back through `history` */
    int status;
    int sink_error;
    int end_marker;       /* an end-of-payload marker followed the last byte */
    uint32_t far[70];     /* read-back buffer: a longest match (273) plus word rounding */
} stub_lzma_t;

/* Bytes of work area the probabilities take for these properties. */
uint32_t stub_lzma_probs_bytes(uint32_t lc, uint32_t lp);

/* Prepares a decoder for `size` output bytes with the properties byte (pb*5+lp)*9+lc.
 * `work` (4-byte aligned, `work_size` bytes) holds the probabilities and the window.
 * Returns STUB_LZMA_OK, or STUB_LZMA_BAD_PROPS when the byte is invalid or the window left
 * for these lc/lp would be smaller than STUB_LZMA_MIN_WINDOW. */
int stub_lzma_init(stub_lzma_t *s, uint8_t properties, uint32_t size, void *work, uint32_t work_size,
                   stub_lzma_refill_fn refill, stub_lzma_sink_fn sink, stub_lzma_history_fn history,
                   void *context);

/* Decodes the whole stream, starting with `data` and pulling the rest through refill. */
int stub_lzma_run(stub_lzma_t *s, const uint8_t *data, uint32_t length);

/* True when input bytes are left over after a successful end. */
int stub_lzma_has_trailing_input(const stub_lzma_t *s);

#endif
