/* Run-time CPU feature checks shared by the kernel tables. */
#ifndef RECLAIM_CPU_H
#define RECLAIM_CPU_H

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static inline int cpu_has_avx2(void) { return __builtin_cpu_supports("avx2"); }
static inline int cpu_has_avx512(void) { return __builtin_cpu_supports("avx512f"); }
static inline int cpu_has_sha(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  return (b & (1u << 29)) != 0 && __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("ssse3");
}
#endif

#endif
