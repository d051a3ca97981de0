/* Freestanding memory helpers. GCC may also emit calls to memcpy/memset for struct
 * copies and large initialisers, so those names are provided here too. */
#include "stub_util.h"

void stub_memcpy(void *dst, const void *src, uint32_t n)
{
    uint8_t *d = (uint8_t *)dst;
    const uint8_t *s = (const uint8_t *)src;
    while (n--) {
        *d++ = *s++;
    }
}

void stub_memset(void *dst, int value, uint32_t n)
{
    uint8_t *d = (uint8_t *)dst;
    while (n--) {
        *d++ = (uint8_t)value;
    }
}

void *memcpy(void *dst, const void *src, unsigned int n);
void *memset(void *dst, int value, unsigned int n);

void *memcpy(void *dst, const void *src, unsigned int n)
{
    stub_memcpy(dst, src, n);
    return dst;
}

void *memset(void *dst, int value, unsigned int n)
{
    stub_memset(dst, value, n);
    return dst;
}

/* Unsigned 32-bit division by shift and subtract. Debian's libgcc for xtensa-lx106 does not
 * ship __udivsi3/__umodsi3, which GCC calls for divisions by non-powers of two. */
static uint32_t divide(uint32_t n, uint32_t d, uint32_t *remainder)
{
    uint32_t q = 0, r = 0;
    if (d == 0) {
        *remainder = n;
        return 0xFFFFFFFFu;
    }
    for (int bit = 31; bit >= 0; bit--) {
        r = (r << 1) | ((n >> bit) & 1u);
        if (r >= d) {
            r -= d;
            q |= 1u << bit;
        }
    }
    *remainder = r;
    return q;
}

uint32_t __udivsi3(uint32_t n, uint32_t d);
uint32_t __umodsi3(uint32_t n, uint32_t d);

uint32_t __udivsi3(uint32_t n, uint32_t d)
{
    uint32_t r;
    return divide(n, d, &r);
}

uint32_t __umodsi3(uint32_t n, uint32_t d)
{
    uint32_t r;
    divide(n, d, &r);
    return r;
}
