/*
 * The arithmetic limit: how many vector instructions a core retires per second in the mix a SHA-1 kernel
 * issues, with twelve independent chains so nothing waits on a result. Compared with the instructions a
 * PBKDF2 guess needs, it bounds what any kernel of that instruction set can reach on this core.
 */
#include "peak.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include "cpu.h"

#define CHAINS ".irp r,0,1,2,3,4,5,6,7,8,9,10,11\n\t"
#define EACH(op) CHAINS op "\n\t.endr\n\t"
#define CLOBBERS "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", \
                 "xmm11", "xmm12", "xmm13"

/* Per chain and pass: 4 additions, 3 rotations, 2 three-input logic operations, 1 xor (as in a round). */
__attribute__((target("avx512f"))) static uint64_t avx512_mix(uint64_t passes) {
  for (uint64_t i = 0; i < passes; i++) {
    __asm__ volatile(EACH("vpaddd %%zmm12, %%zmm\\r, %%zmm\\r")
                     EACH("vprold $5, %%zmm\\r, %%zmm\\r")
                     EACH("vpaddd %%zmm13, %%zmm\\r, %%zmm\\r")
                     EACH("vpternlogd $0x96, %%zmm12, %%zmm13, %%zmm\\r")
                     EACH("vpaddd %%zmm12, %%zmm\\r, %%zmm\\r")
                     EACH("vprold $30, %%zmm\\r, %%zmm\\r")
                     EACH("vpxord %%zmm13, %%zmm\\r, %%zmm\\r")
                     EACH("vpaddd %%zmm12, %%zmm\\r, %%zmm\\r")
                     EACH("vprold $1, %%zmm\\r, %%zmm\\r")
                     EACH("vpternlogd $0xCA, %%zmm12, %%zmm13, %%zmm\\r")
                     :
                     :
                     : CLOBBERS);
  }
  __asm__ volatile("vzeroupper" ::: CLOBBERS);
  return passes * 12 * 10;
}

/* Per chain and pass: 2 additions, 3 shifts, 5 logic operations (rotations cost two shifts and an or). */
__attribute__((target("avx2"))) static uint64_t avx2_mix(uint64_t passes) {
  for (uint64_t i = 0; i < passes; i++) {
    __asm__ volatile(EACH("vpaddd %%ymm12, %%ymm\\r, %%ymm\\r")
                     EACH("vpslld $5, %%ymm\\r, %%ymm\\r")
                     EACH("vpsrld $27, %%ymm\\r, %%ymm\\r")
                     EACH("vpor %%ymm13, %%ymm\\r, %%ymm\\r")
                     EACH("vpxor %%ymm12, %%ymm\\r, %%ymm\\r")
                     EACH("vpand %%ymm13, %%ymm\\r, %%ymm\\r")
                     EACH("vpaddd %%ymm12, %%ymm\\r, %%ymm\\r")
                     EACH("vpslld $30, %%ymm\\r, %%ymm\\r")
                     EACH("vpxor %%ymm13, %%ymm\\r, %%ymm\\r")
                     EACH("vpor %%ymm12, %%ymm\\r, %%ymm\\r")
                     :
                     :
                     : CLOBBERS);
  }
  __asm__ volatile("vzeroupper" ::: CLOBBERS);
  return passes * 12 * 10;
}

uint64_t vector_mix(const char *isa, uint64_t passes) {
  if (strcmp(isa, "avx512") == 0 && cpu_has_avx512()) return avx512_mix(passes);
  if (strcmp(isa, "avx2") == 0 && cpu_has_avx2()) return avx2_mix(passes);
  return 0;
}
#else
uint64_t vector_mix(const char *isa, uint64_t passes) {
  (void)isa;
  (void)passes;
  return 0;
}
#endif
