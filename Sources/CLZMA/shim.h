#include <lzma.h>

/* liblzma's function-like macros do not reach Swift: the same values as constants. */
static const lzma_vli espwiz_lzma_filter_lzma1ext = LZMA_FILTER_LZMA1EXT;
static const lzma_vli espwiz_lzma_vli_unknown = LZMA_VLI_UNKNOWN;
static const uint32_t espwiz_lzma_preset_extreme = LZMA_PRESET_EXTREME;
static const uint32_t espwiz_lzma_allow_eopm = LZMA_LZMA1EXT_ALLOW_EOPM;
