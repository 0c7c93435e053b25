#ifndef MEDAUG_PROCESS_SETUP_H
#define MEDAUG_PROCESS_SETUP_H
// Process-wide tuning that only an executable should choose: a library
// linked into someone else's program must not change its allocator.
#ifdef __cplusplus
extern "C" {
#endif

/// Keeps large freed blocks in the heap instead of returning them to the
/// kernel at once (glibc mallopt); a no-op elsewhere. Returns 1 when the
/// settings took effect, so that a test can see they are not compiled away.
int mc_tune_allocator(void);

/// Progress written to a log file arrives line by line, not in 4 KB blocks.
void mc_line_buffer_stdout(void);

#ifdef __cplusplus
}
#endif
#endif
