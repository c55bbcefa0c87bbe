#ifndef RECLAIM_PEAK_H
#define RECLAIM_PEAK_H
#include <stdint.h>

/*
 * Runs `passes` of the SHA-1 instruction mix of `isa` ("avx512" or "avx2") and returns the vector
 * instructions executed (time it from outside), or 0 when this CPU or build lacks the instruction set.
 */
uint64_t vector_mix(const char *isa, uint64_t passes);
#endif
