#include "ctorch_internal.hpp"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/version.h>

using namespace ctorch;

namespace ctorch {

at::ScalarType to_scalar(int dtype) {
    switch (dtype) {
    case CT_FLOAT32: return at::kFloat;
    case CT_FLOAT64: return at::kDouble;
    case CT_INT64: return at::kLong;
    case CT_UINT8: return at::kByte;
    case CT_INT32: return at::kInt;
    case CT_BOOL: return at::kBool;
    }
    throw std::invalid_argument("unknown MedAug dtype code " + std::to_string(dtype));
}

int from_scalar(at::ScalarType s) {
    switch (s) {
    case at::kFloat: return CT_FLOAT32;
    case at::kDouble: return CT_FLOAT64;
    case at::kLong: return CT_INT64;
    case at::kByte: return CT_UINT8;
    case at::kInt: return CT_INT32;
    case at::kBool: return CT_BOOL;
    default: throw std::invalid_argument(std::string("dtype not exposed to MedAug: ") + c10::toString(s));
    }
}

at::Device to_device(int device_type, int index) {
    if (device_type == CT_CPU) return at::Device(at::kCPU);
    if (device_type == CT_CUDA) return at::Device(at::kCUDA, (c10::DeviceIndex)index);
    throw std::invalid_argument("unknown device type " + std::to_string(device_type));
}

} // namespace ctorch

static std::vector<int64_t> dims(const int64_t *shape, int ndim) { return std::vector<int64_t>(shape, shape + ndim); }

extern "C" {

void ct_string_free(char *s) { std::free(s); }

const char *ct_torch_version(void) { return TORCH_VERSION; }

int ct_cuda_is_available(void) {
    try { return at::hasCUDA() && at::detail::getCUDAHooks().deviceCount() > 0 ? 1 : 0; } catch (...) { return 0; }
}

int ct_cuda_device_count(void) {
    try { return at::hasCUDA() ? (int)at::detail::getCUDAHooks().deviceCount() : 0; } catch (...) { return 0; }
}

void ct_manual_seed(uint64_t seed, char **err) {
    guarded(err, [&] { at::manual_seed(seed); return 0; });
}

void ct_set_num_threads(int n, char **err) {
    guarded(err, [&] { at::set_num_threads(n); return 0; });
}

int ct_get_num_threads(void) { return at::get_num_threads(); }

int ct_set_grad_enabled(int enabled) {
    bool prev = c10::GradMode::is_enabled();
    c10::GradMode::set_enabled(enabled != 0);
    return prev ? 1 : 0;
}

void ct_set_deterministic(int on, char **err) {
    guarded(err, [&] {
        at::globalContext().setDeterministicCuDNN(on != 0);
        at::globalContext().setBenchmarkCuDNN(on == 0);
        return 0;
    });
}

ct_tensor ct_tensor_from_data(const void *data, int dtype, const int64_t *shape, int ndim, char **err) {
    return guarded(err, [&]() -> ct_tensor {
        at::Tensor t = at::empty(dims(shape, ndim), at::TensorOptions().dtype(to_scalar(dtype)));
        if (t.numel() > 0) std::memcpy(t.data_ptr(), data, t.numel() * t.element_size());
        return wrap(std::move(t));
    });
}

ct_tensor ct_tensor_full(const int64_t *shape, int ndim, double value, int dtype, char **err) {
    return guarded(err, [&] { return wrap(at::full(dims(shape, ndim), value, at::TensorOptions().dtype(to_scalar(dtype)))); });
}

ct_tensor ct_tensor_randn(const int64_t *shape, int ndim, int dtype, char **err) {
    return guarded(err, [&] { return wrap(at::randn(dims(shape, ndim), at::TensorOptions().dtype(to_scalar(dtype)))); });
}

ct_tensor ct_tensor_rand(const int64_t *shape, int ndim, int dtype, char **err) {
    return guarded(err, [&] { return wrap(at::rand(dims(shape, ndim), at::TensorOptions().dtype(to_scalar(dtype)))); });
}

ct_tensor ct_tensor_arange(int64_t n, int dtype, char **err) {
    return guarded(err, [&] { return wrap(at::arange(n, at::TensorOptions().dtype(to_scalar(dtype)))); });
}

void ct_tensor_free(ct_tensor t) { delete t; }

int ct_tensor_shape(ct_tensor t, int64_t *out, int cap, char **err) {
    return guarded(err, [&] {
        auto sizes = unwrap(t).sizes();
        for (int i = 0; i < (int)sizes.size() && i < cap; i++) out[i] = sizes[i];
        return (int)sizes.size();
    });
}

int ct_tensor_dtype(ct_tensor t, char **err) {
    return guarded(err, [&] { return from_scalar(unwrap(t).scalar_type()); });
}

int64_t ct_tensor_numel(ct_tensor t, char **err) {
    return guarded(err, [&] { return (int64_t)unwrap(t).numel(); });
}

int ct_tensor_device(ct_tensor t, int *index, char **err) {
    return guarded(err, [&] {
        auto d = unwrap(t).device();
        if (index) *index = d.has_index() ? d.index() : 0;
        return d.is_cuda() ? (int)CT_CUDA : (int)CT_CPU;
    });
}

void ct_tensor_copy_to(ct_tensor t, void *out, int dtype, int64_t count, char **err) {
    guarded(err, [&] {
        at::Tensor c = unwrap(t).detach().to(at::kCPU, to_scalar(dtype)).contiguous();
        if (c.numel() != count)
            throw std::invalid_argument("copy_to: tensor has " + std::to_string(c.numel()) +
                                        " elements, caller expected " + std::to_string(count));
        if (count > 0) std::memcpy(out, c.data_ptr(), count * c.element_size());
        return 0;
    });
}

ct_tensor ct_tensor_to(ct_tensor t, int device_type, int device_index, int dtype, char **err) {
    return guarded(err, [&] {
        const at::Tensor &x = unwrap(t);
        at::ScalarType s = dtype < 0 ? x.scalar_type() : to_scalar(dtype);
        return wrap(x.to(to_device(device_type, device_index), s));
    });
}

ct_tensor ct_tensor_detach(ct_tensor t, char **err) {
    return guarded(err, [&] { return wrap(unwrap(t).detach()); });
}

ct_tensor ct_tensor_clone(ct_tensor t, char **err) {
    return guarded(err, [&] { return wrap(unwrap(t).clone()); });
}

ct_tensor ct_tensor_shallow(ct_tensor t, char **err) {
    return guarded(err, [&] { return wrap(unwrap(t)); });
}

void ct_tensor_set_requires_grad(ct_tensor t, int on, char **err) {
    guarded(err, [&] { t->t.requires_grad_(on != 0); return 0; });
}

int ct_tensor_requires_grad(ct_tensor t, char **err) {
    return guarded(err, [&] { return unwrap(t).requires_grad() ? 1 : 0; });
}

ct_tensor ct_tensor_grad(ct_tensor t, char **err) {
    return guarded(err, [&]() -> ct_tensor {
        const at::Tensor &g = unwrap(t).grad();
        if (!g.defined()) return nullptr;
        return wrap(g);
    });
}

void ct_tensor_zero_grad(ct_tensor t, char **err) {
    guarded(err, [&] {
        at::Tensor &g = t->t.mutable_grad();
        if (g.defined()) g = at::Tensor();
        return 0;
    });
}

void ct_tensor_backward(ct_tensor t, char **err) {
    guarded(err, [&] { unwrap(t).backward(); return 0; });
}

void ct_tensor_copy_(ct_tensor dst, ct_tensor src, char **err) {
    guarded(err, [&] {
        at::NoGradGuard no_grad;
        dst->t.copy_(unwrap(src));
        return 0;
    });
}

double ct_tensor_item(ct_tensor t, char **err) {
    return guarded(err, [&] { return unwrap(t).item<double>(); });
}

} // extern "C"
