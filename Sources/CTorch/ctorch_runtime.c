// Finds and loads libMedAugTorchRuntime.so (which links libtorch) the first
// time a network function is called, so that loading libtorch and its CUDA
// libraries (about 0.4 s and 500 MB of address space) is paid only by the
// commands that run networks.
#define _GNU_SOURCE
#include "ctorch.h"
#include "ctorch_runtime.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RUNTIME_NAME "libMedAugTorchRuntime.so"

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static pthread_once_t find_once = PTHREAD_ONCE_INIT;
static atomic_int loaded;
static char *load_error;
static char runtime_path[PATH_MAX + sizeof(RUNTIME_NAME) + 2];

void ct_string_free(char *s) { free(s); }
void ct_buffer_free(uint8_t *p) { free(p); }

static void find_runtime(void) {
    const char *override = getenv("MEDAUG_TORCH_RUNTIME");
    if (override && *override) {
        snprintf(runtime_path, sizeof runtime_path, "%s", override);
        return;
    }
    // Beside the executable: where `swift build` puts the library product.
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            snprintf(runtime_path, sizeof runtime_path, "%s/%s", exe, RUNTIME_NAME);
            return;
        }
    }
    snprintf(runtime_path, sizeof runtime_path, "%s", RUNTIME_NAME);
}

static void set_error(const char *what, const char *detail) {
    size_t len = strlen(what) + strlen(detail) + 3;
    load_error = malloc(len);
    if (load_error) snprintf(load_error, len, "%s: %s", what, detail);
}

static void load(void) {
    pthread_once(&find_once, find_runtime);
    // RTLD_LOCAL: libtorch's symbols stay out of the global scope.
    void *handle = dlopen(runtime_path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *detail = dlerror();
        set_error("cannot load the torch runtime", detail ? detail : runtime_path);
        return;
    }
    for (int i = 0; i < ct_binding_count; i++) {
        void *fn = dlsym(handle, ct_bindings[i].name);
        if (!fn) {
            // A runtime built from other sources than this executable.
            char detail[PATH_MAX + 128];
            snprintf(detail, sizeof detail, "%s has no %s (rebuild it with this executable)", runtime_path,
                     ct_bindings[i].name);
            set_error("the torch runtime does not match", detail);
            return;
        }
        *ct_bindings[i].slot = fn;
    }
    atomic_store_explicit(&loaded, 1, memory_order_release);
}

int ct_runtime_load(char **err) {
    if (err) *err = NULL;
    pthread_once(&load_once, load);
    if (atomic_load_explicit(&loaded, memory_order_acquire)) return 1;
    if (err) *err = strdup(load_error ? load_error : "cannot load the torch runtime");
    return 0;
}

const char *ct_runtime_path(void) {
    pthread_once(&find_once, find_runtime);
    return runtime_path;
}

void ct_runtime_require(void) {
    if (__builtin_expect(atomic_load_explicit(&loaded, memory_order_acquire), 1)) return;
    char *err = NULL;
    if (ct_runtime_load(&err)) return;
    // Reached only by callers that did not ask first (Torch.loadRuntime() does).
    fprintf(stderr, "medaug: %s\nNetworks need the torch wheel and the runtime built beside medaug: run `make setup` and `make build`.\n",
            err ? err : "cannot load the torch runtime");
    exit(70);
}
