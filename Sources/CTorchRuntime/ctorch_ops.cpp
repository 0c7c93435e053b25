#include "ctorch_internal.hpp"

using namespace ctorch;

#define UNARY(name, expr) \
    ct_tensor name(ct_tensor a, char **err) { return guarded(err, [&] { const at::Tensor &x = unwrap(a); return wrap(expr); }); }
#define BINARY(name, expr) \
    ct_tensor name(ct_tensor a, ct_tensor b, char **err) { \
        return guarded(err, [&] { const at::Tensor &x = unwrap(a); const at::Tensor &y = unwrap(b); return wrap(expr); }); \
    }
#define SCALAR(name, expr) \
    ct_tensor name(ct_tensor a, double s, char **err) { return guarded(err, [&] { const at::Tensor &x = unwrap(a); return wrap(expr); }); }

extern "C" {

BINARY(ct_add, x + y)
BINARY(ct_sub, x - y)
BINARY(ct_mul, x * y)
BINARY(ct_div, x / y)
BINARY(ct_matmul, at::matmul(x, y))
BINARY(ct_eq, at::eq(x, y))
SCALAR(ct_add_scalar, x + s)
SCALAR(ct_mul_scalar, x * s)
SCALAR(ct_pow_scalar, at::pow(x, s))
SCALAR(ct_gt_scalar, at::gt(x, s))
UNARY(ct_neg, -x)
UNARY(ct_exp, at::exp(x))
UNARY(ct_log, at::log(x))
UNARY(ct_sqrt, at::sqrt(x))
UNARY(ct_abs, at::abs(x))
UNARY(ct_sum, x.sum())
UNARY(ct_mean, x.mean())
UNARY(ct_relu, at::relu(x))
UNARY(ct_tanh, at::tanh(x))
UNARY(ct_sigmoid, at::sigmoid(x))

ct_tensor ct_sum_dim(ct_tensor a, int64_t dim, int keepdim, char **err) {
    return guarded(err, [&] { return wrap(unwrap(a).sum(dim, keepdim != 0)); });
}

ct_tensor ct_mean_dim(ct_tensor a, int64_t dim, int keepdim, char **err) {
    return guarded(err, [&] { return wrap(unwrap(a).mean(dim, keepdim != 0)); });
}

ct_tensor ct_argmax(ct_tensor a, int64_t dim, char **err) {
    return guarded(err, [&] { return wrap(unwrap(a).argmax(dim)); });
}

ct_tensor ct_softmax(ct_tensor a, int64_t dim, char **err) {
    return guarded(err, [&] { return wrap(at::softmax(unwrap(a), dim)); });
}

ct_tensor ct_log_softmax(ct_tensor a, int64_t dim, char **err) {
    return guarded(err, [&] { return wrap(at::log_softmax(unwrap(a), dim)); });
}

ct_tensor ct_reshape(ct_tensor a, const int64_t *shape, int ndim, char **err) {
    return guarded(err, [&] { return wrap(unwrap(a).reshape(at::IntArrayRef(shape, (size_t)ndim))); });
}

ct_tensor ct_flatten(ct_tensor a, int64_t start_dim, char **err) {
    return guarded(err, [&] { return wrap(unwrap(a).flatten(start_dim)); });
}

ct_tensor ct_permute(ct_tensor a, const int64_t *d, int ndim, char **err) {
    return guarded(err, [&] { return wrap(unwrap(a).permute(at::IntArrayRef(d, (size_t)ndim))); });
}

ct_tensor ct_cat(const ct_tensor *ts, int n, int64_t dim, char **err) {
    return guarded(err, [&] { return wrap(at::cat(unwrap_list(ts, n), dim)); });
}

ct_tensor ct_index_select(ct_tensor a, int64_t dim, ct_tensor index, char **err) {
    return guarded(err, [&] { return wrap(at::index_select(unwrap(a), dim, unwrap(index))); });
}

ct_tensor ct_narrow(ct_tensor a, int64_t dim, int64_t start, int64_t length, char **err) {
    return guarded(err, [&] { return wrap(unwrap(a).narrow(dim, start, length)); });
}

ct_tensor ct_clamp(ct_tensor a, double lo, double hi, char **err) {
    return guarded(err, [&] { return wrap(at::clamp(unwrap(a), lo, hi)); });
}

} // extern "C"
