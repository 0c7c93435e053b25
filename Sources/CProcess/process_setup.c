#include "process_setup.h"
// <stdio.h> first: it defines __GLIBC__ (through <features.h>), which the
// test below needs; without it the tuning silently compiles away.
#include <stdio.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int mc_tune_allocator(void) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, 256 << 20) == 1;
#else
    return 0;
#endif
}

void mc_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }
