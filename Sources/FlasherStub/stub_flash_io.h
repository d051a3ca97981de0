/* Flash access shared by the command handlers of both stages: the address limit and streamed reads. */
#ifndef STUB_FLASH_IO_H
#define STUB_FLASH_IO_H

#include <stdint.h>

/* Addresses must stay below this (the chip's size, or less after SPI_SET_PARAMS). */
extern uint32_t stub_flash_limit;

/* The flash_stream read buffer (STUB_SCRATCH_SIZE bytes); free between commands. */
extern uint32_t stub_scratch[];

/* True when [address, address + length) lies inside the flash. */
int stub_range_ok(uint32_t address, uint32_t length);

typedef void (*stub_chunk_fn)(void *context, const uint8_t *data, uint32_t length);

/* Reads [address, address+length) in pieces (any alignment) and passes them to fn.
 * Returns STUB_OK or STUB_FAILED_SPI_OP. */
int stub_flash_stream(uint32_t address, uint32_t length, stub_chunk_fn fn, void *context);

#endif
