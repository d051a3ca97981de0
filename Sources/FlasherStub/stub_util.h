/* Small freestanding helpers for the espwiz flasher stub (no C library on the chip). */
#ifndef STUB_UTIL_H
#define STUB_UTIL_H

#include <stdint.h>

void stub_memcpy(void *dst, const void *src, uint32_t n);
void stub_memset(void *dst, int value, uint32_t n);

/* Little-endian 32-bit load from a byte pointer (any alignment). */
static inline uint32_t stub_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Little-endian 32-bit store to a byte pointer (any alignment). */
static inline void stub_put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

#endif
