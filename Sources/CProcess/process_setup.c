#include "process_setup.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void mc_tune_allocator(void) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

#include <stdio.h>

void mc_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }
