#ifndef MEDAUG_CTORCH_H
#define MEDAUG_CTORCH_H
// The C ABI between Swift and libtorch. Handles are opaque; no libtorch type
// crosses this line. Every call that can fail takes `char **err` last: on a
// C++ exception the message is stored there (malloc'ed, release with
// ct_string_free) and the return value is NULL / 0. On success *err is NULL.
// Returned tensor handles are owned by the caller (ct_tensor_free).
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_tensor_s *ct_tensor;
typedef struct ct_optimizer_s *ct_optimizer;

// dtypes, as MedAug names them (mapped to at::ScalarType inside the shim).
enum { CT_FLOAT32 = 0, CT_FLOAT64 = 1, CT_INT64 = 2, CT_UINT8 = 3, CT_INT32 = 4, CT_BOOL = 5 };
// device types
enum { CT_CPU = 0, CT_CUDA = 1 };

// ---- loading ---------------------------------------------------------------
// libtorch is loaded on first use, not at process start: these functions are
// trampolines (ctorch_loader.c) into libMedAugTorchRuntime.so, which links
// libtorch. The runtime is looked for at $MEDAUG_TORCH_RUNTIME, else beside
// the executable. ct_string_free and ct_buffer_free need no runtime.

/// Loads the runtime (once per process). 1 when loaded; else 0 and *err says
/// which file could not be loaded and why.
int ct_runtime_load(char **err);
/// Where the runtime is (or would be) loaded from.
const char *ct_runtime_path(void);

// ---- runtime -------------------------------------------------------------
void ct_string_free(char *s);
const char *ct_torch_version(void);
int ct_cuda_is_available(void);
int ct_cuda_device_count(void);
void ct_manual_seed(uint64_t seed, char **err);
void ct_set_num_threads(int n, char **err);
int ct_get_num_threads(void);
/// Enables or disables autograd recording on this thread; returns the previous state.
int ct_set_grad_enabled(int enabled);
/// Makes cuDNN deterministic (and disables its benchmark autotuner).
void ct_set_deterministic(int on, char **err);

// ---- tensors -------------------------------------------------------------
ct_tensor ct_tensor_from_data(const void *data, int dtype, const int64_t *shape, int ndim, char **err);
ct_tensor ct_tensor_full(const int64_t *shape, int ndim, double value, int dtype, char **err);
ct_tensor ct_tensor_randn(const int64_t *shape, int ndim, int dtype, char **err);
ct_tensor ct_tensor_rand(const int64_t *shape, int ndim, int dtype, char **err);
ct_tensor ct_tensor_arange(int64_t n, int dtype, char **err);
void ct_tensor_free(ct_tensor t);
int ct_tensor_shape(ct_tensor t, int64_t *out, int cap, char **err);
int ct_tensor_dtype(ct_tensor t, char **err);
int64_t ct_tensor_numel(ct_tensor t, char **err);
/// Device of the tensor: type in the return value, index in *index.
int ct_tensor_device(ct_tensor t, int *index, char **err);
void ct_tensor_copy_to(ct_tensor t, void *out, int dtype, int64_t count, char **err);
ct_tensor ct_tensor_to(ct_tensor t, int device_type, int device_index, int dtype /* -1 keeps */, char **err);
ct_tensor ct_tensor_detach(ct_tensor t, char **err);
ct_tensor ct_tensor_clone(ct_tensor t, char **err);
/// Another handle on the same tensor (shared storage and autograd identity).
ct_tensor ct_tensor_shallow(ct_tensor t, char **err);
void ct_tensor_set_requires_grad(ct_tensor t, int on, char **err);
int ct_tensor_requires_grad(ct_tensor t, char **err);
/// The gradient, or NULL when none has been computed.
ct_tensor ct_tensor_grad(ct_tensor t, char **err);
void ct_tensor_zero_grad(ct_tensor t, char **err);
void ct_tensor_backward(ct_tensor t, char **err);
/// dst.copy_(src) without recording autograd: loading weights in place.
void ct_tensor_copy_(ct_tensor dst, ct_tensor src, char **err);
double ct_tensor_item(ct_tensor t, char **err);

// ---- elementwise and reductions ------------------------------------------
ct_tensor ct_add(ct_tensor a, ct_tensor b, char **err);
ct_tensor ct_sub(ct_tensor a, ct_tensor b, char **err);
ct_tensor ct_mul(ct_tensor a, ct_tensor b, char **err);
ct_tensor ct_div(ct_tensor a, ct_tensor b, char **err);
ct_tensor ct_add_scalar(ct_tensor a, double s, char **err);
ct_tensor ct_mul_scalar(ct_tensor a, double s, char **err);
ct_tensor ct_pow_scalar(ct_tensor a, double s, char **err);
ct_tensor ct_neg(ct_tensor a, char **err);
ct_tensor ct_exp(ct_tensor a, char **err);
ct_tensor ct_log(ct_tensor a, char **err);
ct_tensor ct_sqrt(ct_tensor a, char **err);
ct_tensor ct_abs(ct_tensor a, char **err);
ct_tensor ct_matmul(ct_tensor a, ct_tensor b, char **err);
ct_tensor ct_sum(ct_tensor a, char **err);
ct_tensor ct_mean(ct_tensor a, char **err);
ct_tensor ct_sum_dim(ct_tensor a, int64_t dim, int keepdim, char **err);
ct_tensor ct_mean_dim(ct_tensor a, int64_t dim, int keepdim, char **err);
ct_tensor ct_argmax(ct_tensor a, int64_t dim, char **err);
ct_tensor ct_eq(ct_tensor a, ct_tensor b, char **err);
ct_tensor ct_gt_scalar(ct_tensor a, double s, char **err);
ct_tensor ct_softmax(ct_tensor a, int64_t dim, char **err);
ct_tensor ct_log_softmax(ct_tensor a, int64_t dim, char **err);
ct_tensor ct_reshape(ct_tensor a, const int64_t *shape, int ndim, char **err);
ct_tensor ct_flatten(ct_tensor a, int64_t start_dim, char **err);
ct_tensor ct_permute(ct_tensor a, const int64_t *dims, int ndim, char **err);
ct_tensor ct_cat(const ct_tensor *ts, int n, int64_t dim, char **err);
ct_tensor ct_index_select(ct_tensor a, int64_t dim, ct_tensor index, char **err);
ct_tensor ct_narrow(ct_tensor a, int64_t dim, int64_t start, int64_t length, char **err);
ct_tensor ct_clamp(ct_tensor a, double lo, double hi, char **err);

// ---- neural-network functions --------------------------------------------
ct_tensor ct_relu(ct_tensor a, char **err);
/// In place, as PyTorch's ReLU(inplace=True): returns a new handle on the same tensor.
ct_tensor ct_relu_(ct_tensor a, char **err);
ct_tensor ct_leaky_relu_(ct_tensor a, double slope, char **err);
/// a += b in place (a residual connection), returning a handle on a.
ct_tensor ct_add_(ct_tensor a, ct_tensor b, char **err);
/// a += s in place, no autograd (counters such as num_batches_tracked).
void ct_add_scalar_nograd_(ct_tensor a, double s, char **err);
ct_tensor ct_leaky_relu(ct_tensor a, double slope, char **err);
ct_tensor ct_tanh(ct_tensor a, char **err);
ct_tensor ct_sigmoid(ct_tensor a, char **err);
ct_tensor ct_conv2d(ct_tensor input, ct_tensor weight, ct_tensor bias /* nullable */,
                    int64_t stride, int64_t padding, char **err);
ct_tensor ct_conv2d_ex(ct_tensor input, ct_tensor weight, ct_tensor bias, int64_t stride_h, int64_t stride_w,
                       int64_t pad_h, int64_t pad_w, int64_t dilation, int64_t groups, char **err);
ct_tensor ct_conv_transpose2d(ct_tensor input, ct_tensor weight, ct_tensor bias, int64_t stride, int64_t padding,
                              int64_t output_padding, char **err);
ct_tensor ct_linear(ct_tensor input, ct_tensor weight, ct_tensor bias, char **err);
/// running_mean/var are updated in place in training mode.
ct_tensor ct_batch_norm(ct_tensor input, ct_tensor weight, ct_tensor bias, ct_tensor running_mean,
                        ct_tensor running_var, int training, double momentum, double eps, char **err);
ct_tensor ct_dropout(ct_tensor input, double p, int training, char **err);
ct_tensor ct_max_pool2d(ct_tensor input, int64_t kernel, int64_t stride, int64_t padding, char **err);
ct_tensor ct_avg_pool2d(ct_tensor input, int64_t kernel, int64_t stride, int64_t padding, char **err);
ct_tensor ct_adaptive_avg_pool2d(ct_tensor input, int64_t out_h, int64_t out_w, char **err);
ct_tensor ct_interpolate_bilinear(ct_tensor input, int64_t out_h, int64_t out_w, int align_corners, char **err);

// Losses, mean-reduced.
ct_tensor ct_binary_cross_entropy(ct_tensor input, ct_tensor target, char **err);
ct_tensor ct_bce_with_logits(ct_tensor input, ct_tensor target, char **err);
/// Class-index targets (int64); `weight` per class or NULL.
ct_tensor ct_cross_entropy(ct_tensor logits, ct_tensor target, ct_tensor weight, char **err);
ct_tensor ct_mse(ct_tensor input, ct_tensor target, char **err);

// In-place initialisers (no autograd recording).
void ct_init_normal_(ct_tensor t, double mean, double std, char **err);
void ct_init_uniform_(ct_tensor t, double lo, double hi, char **err);
void ct_init_constant_(ct_tensor t, double value, char **err);
void ct_init_kaiming_uniform_(ct_tensor t, double a, char **err);
void ct_init_kaiming_normal_fan_out_relu_(ct_tensor t, char **err);

// ---- optimizers (torch::optim) -------------------------------------------
ct_optimizer ct_adam_new(const ct_tensor *params, int n, double lr, double beta1, double beta2, double eps,
                         double weight_decay, char **err);
ct_optimizer ct_sgd_new(const ct_tensor *params, int n, double lr, double momentum, double dampening,
                        double weight_decay, int nesterov, char **err);
void ct_optimizer_free(ct_optimizer o);
void ct_optimizer_step(ct_optimizer o, char **err);
void ct_optimizer_zero_grad(ct_optimizer o, char **err);
void ct_optimizer_set_lr(ct_optimizer o, double lr, char **err);
double ct_optimizer_get_lr(ct_optimizer o, char **err);
/// Serialises the optimizer state (torch::serialize archive) into a malloc'ed buffer.
void ct_optimizer_save(ct_optimizer o, uint8_t **out, size_t *out_len, char **err);
void ct_optimizer_load(ct_optimizer o, const uint8_t *data, size_t len, char **err);
void ct_buffer_free(uint8_t *p);

#ifdef __cplusplus
}
#endif
#endif
