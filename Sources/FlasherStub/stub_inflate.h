/* Streaming zlib/deflate decoder (RFC 1950 + RFC 1951), written for the espwiz flasher stub.
 *
 * The compressed stream arrives in pieces (one FLASH_DEFL_DATA block at a time). The decoder
 * pulls input through a refill callback, so it can run as one call while the protocol layer
 * receives and acknowledges the following blocks inside that callback. Output goes through a
 * 32 KiB window (the deflate maximum back-reference distance) and is handed to a sink in
 * 4 KiB pieces, which the stub writes to flash.
 */
#ifndef STUB_INFLATE_H
#define STUB_INFLATE_H

#include <stdint.h>

#define STUB_INFLATE_WINDOW 32768u
#define STUB_INFLATE_CHUNK 4096u

/* Results of stub_inflate_run. */
enum {
    STUB_INFLATE_OK = 0,        /* stream complete and the Adler-32 matched */
    STUB_INFLATE_BAD_DATA = 1,  /* malformed header, code or distance */
    STUB_INFLATE_TRUNCATED = 2, /* input ended before the stream did */
    STUB_INFLATE_BAD_ADLER = 3, /* decoded fine but the Adler-32 did not match */
    STUB_INFLATE_SINK = 4,      /* the sink refused output (see sink_error) */
};

/* Supplies the next piece of input. Returns 0 when there is no more input. */
typedef int (*stub_inflate_refill_fn)(void *context, const uint8_t **data, uint32_t *length);
/* Consumes decoded output. Returns 0 to continue, or a non-zero error code to stop. */
typedef int (*stub_inflate_sink_fn)(void *context, const uint8_t *data, uint32_t length);

typedef struct {
    uint16_t counts[16];   /* number of codes of each bit length */
    uint16_t symbols[288]; /* symbols ordered by code */
} stub_huffman_t;

typedef struct {
    /* input */
    const uint8_t *in;
    const uint8_t *in_end;
    uint32_t bits;
    uint32_t bit_count;
    stub_inflate_refill_fn refill;
    stub_inflate_sink_fn sink;
    void *context;
    /* state */
    int status;
    int sink_error;
    uint32_t produced; /* bytes decoded so far */
    uint32_t flushed;  /* bytes handed to the sink */
    uint32_t adler_a;
    uint32_t adler_b;
    uint8_t *window;   /* STUB_INFLATE_WINDOW bytes, 4-byte aligned */
    stub_huffman_t literal;
    stub_huffman_t distance;
} stub_inflate_t;

/* Prepares a decoder. `window` must hold STUB_INFLATE_WINDOW bytes. */
void stub_inflate_init(stub_inflate_t *s, uint8_t *window, stub_inflate_refill_fn refill,
                       stub_inflate_sink_fn sink, void *context);

/* Decodes one whole zlib stream, starting with `data` and pulling the rest through refill. */
int stub_inflate_run(stub_inflate_t *s, const uint8_t *data, uint32_t length);

/* True when input bytes are left over after a successful stream end. */
int stub_inflate_has_trailing_input(const stub_inflate_t *s);

#endif
