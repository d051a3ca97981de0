/* The second stage's identity word: linked at the start of its data (esp8266.ld), so the first
 * stage can tell that the decoders it is about to call were really uploaded. */
#include "stub_stage2.h"

const uint32_t stub_stage2_id __attribute__((used, section(".rodata.stage2_id"))) = STUB_STAGE2_MAGIC;
