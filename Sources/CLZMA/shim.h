#include <lzma.h>

/* liblzma's function-like macros do not reach Swift: the same values as constants. */
static const lzma_vli espwiz_lzma_filter_lzma1ext = LZMA_FILTER_LZMA1EXT;
static const lzma_vli espwiz_lzma_vli_unknown = LZMA_VLI_UNKNOWN;

/* Options for a raw LZMA1 stream of `size` bytes as espwiz's stub takes it: xz's strongest preset,
 * the given lc/lp/pb, a dictionary as large as the data (4 KiB to 1 GiB), the size known (no end
 * marker written), and for decoding an end marker accepted right after the last byte. The one
 * place both the encoder (ESPLoader) and the simulated stub's decoder (ESPSimulator) set them. */
static inline lzma_options_lzma espwiz_lzma_raw_options(uint32_t lc, uint32_t lp, uint32_t pb, uint64_t size,
                                                        int accept_end_marker)
{
    lzma_options_lzma options;
    lzma_lzma_preset(&options, 9 | LZMA_PRESET_EXTREME);
    options.lc = lc;
    options.lp = lp;
    options.pb = pb;
    options.dict_size = size < 4096 ? 4096u : size > (1u << 30) ? (1u << 30) : (uint32_t)size;
    options.ext_flags = accept_end_marker ? LZMA_LZMA1EXT_ALLOW_EOPM : 0;
    options.ext_size_low = (uint32_t)size;
    options.ext_size_high = (uint32_t)(size >> 32);
    return options;
}
