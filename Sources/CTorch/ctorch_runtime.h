// Shared by the loader's two files; never seen by Swift.
#pragma once

/// One function of the runtime: its name and where its address goes.
typedef struct {
    const char *name;
    void **slot;
} ct_binding;

extern const ct_binding ct_bindings[];
extern const int ct_binding_count;

/// Loads the runtime if needed; exits with a message naming the fix when it
/// cannot be loaded (a caller that wants to handle that calls ct_runtime_load first).
void ct_runtime_require(void);
