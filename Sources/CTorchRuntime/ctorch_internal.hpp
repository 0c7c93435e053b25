// Shared by the shim's translation units; never seen by Swift.
#pragma once
#ifdef MEDAUG_LIBTORCH_MISSING
#error "libtorch not found at " MEDAUG_LIBTORCH_DIR ". Run 'make setup' (or scripts/setup.sh) to install the pinned torch wheel; set MEDAUG_HOME if your cache lives elsewhere."
#endif

// The declarations Swift sees, through the loader target (Sources/CTorch).
#include "../CTorch/include/ctorch.h"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

struct ct_tensor_s {
    at::Tensor t;
};

namespace ctorch {

inline void set_error(char **err, const char *msg) {
    if (!err) return;
    *err = strdup(msg ? msg : "unknown error");
}

// One catch for every entry point: a C++ exception must never unwind into Swift.
template <typename F>
auto guarded(char **err, F &&f) -> decltype(f()) {
    if (err) *err = nullptr;
    try {
        return f();
    } catch (const c10::Error &e) {
        set_error(err, e.what_without_backtrace());
    } catch (const std::exception &e) {
        set_error(err, e.what());
    } catch (...) {
        set_error(err, "unknown C++ exception in libtorch");
    }
    return decltype(f())();
}

at::ScalarType to_scalar(int dtype);
int from_scalar(at::ScalarType s);
at::Device to_device(int device_type, int index);

inline ct_tensor wrap(at::Tensor t) { return new ct_tensor_s{std::move(t)}; }

inline const at::Tensor &unwrap(ct_tensor t) {
    if (!t) throw std::invalid_argument("null tensor handle");
    return t->t;
}

inline std::vector<at::Tensor> unwrap_list(const ct_tensor *ts, int n) {
    std::vector<at::Tensor> v;
    v.reserve(n);
    for (int i = 0; i < n; i++) v.push_back(unwrap(ts[i]));
    return v;
}

inline std::optional<at::Tensor> optional(ct_tensor t) {
    if (!t) return std::nullopt;
    return t->t;
}

} // namespace ctorch
