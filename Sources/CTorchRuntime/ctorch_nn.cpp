#include "ctorch_internal.hpp"

#include <torch/nn/init.h>

using namespace ctorch;

extern "C" {

ct_tensor ct_relu_(ct_tensor a, char **err) {
    return guarded(err, [&] { return wrap(at::relu_(a->t)); });
}

ct_tensor ct_leaky_relu_(ct_tensor a, double slope, char **err) {
    return guarded(err, [&] { return wrap(at::leaky_relu_(a->t, slope)); });
}

ct_tensor ct_add_(ct_tensor a, ct_tensor b, char **err) {
    return guarded(err, [&] { return wrap(a->t.add_(unwrap(b))); });
}

void ct_add_scalar_nograd_(ct_tensor a, double s, char **err) {
    guarded(err, [&] {
        at::NoGradGuard g;
        if (at::isIntegralType(a->t.scalar_type(), false)) a->t.add_((int64_t)s);
        else a->t.add_(s);
        return 0;
    });
}

ct_tensor ct_leaky_relu(ct_tensor a, double slope, char **err) {
    return guarded(err, [&] { return wrap(at::leaky_relu(unwrap(a), slope)); });
}

ct_tensor ct_conv2d(ct_tensor input, ct_tensor weight, ct_tensor bias, int64_t stride, int64_t padding, char **err) {
    return guarded(err, [&] {
        return wrap(at::conv2d(unwrap(input), unwrap(weight), optional(bias), {stride, stride}, {padding, padding}));
    });
}

ct_tensor ct_conv2d_ex(ct_tensor input, ct_tensor weight, ct_tensor bias, int64_t stride_h, int64_t stride_w,
                       int64_t pad_h, int64_t pad_w, int64_t dilation, int64_t groups, char **err) {
    return guarded(err, [&] {
        return wrap(at::conv2d(unwrap(input), unwrap(weight), optional(bias), {stride_h, stride_w}, {pad_h, pad_w},
                               {dilation, dilation}, groups));
    });
}

ct_tensor ct_conv_transpose2d(ct_tensor input, ct_tensor weight, ct_tensor bias, int64_t stride, int64_t padding,
                              int64_t output_padding, char **err) {
    return guarded(err, [&] {
        return wrap(at::conv_transpose2d(unwrap(input), unwrap(weight), optional(bias), {stride, stride},
                                         {padding, padding}, {output_padding, output_padding}));
    });
}

ct_tensor ct_linear(ct_tensor input, ct_tensor weight, ct_tensor bias, char **err) {
    return guarded(err, [&] { return wrap(at::linear(unwrap(input), unwrap(weight), optional(bias))); });
}

ct_tensor ct_batch_norm(ct_tensor input, ct_tensor weight, ct_tensor bias, ct_tensor running_mean,
                        ct_tensor running_var, int training, double momentum, double eps, char **err) {
    return guarded(err, [&] {
        return wrap(at::batch_norm(unwrap(input), optional(weight), optional(bias), optional(running_mean),
                                   optional(running_var), training != 0, momentum, eps, true));
    });
}

ct_tensor ct_dropout(ct_tensor input, double p, int training, char **err) {
    return guarded(err, [&] { return wrap(at::dropout(unwrap(input), p, training != 0)); });
}

ct_tensor ct_max_pool2d(ct_tensor input, int64_t kernel, int64_t stride, int64_t padding, char **err) {
    return guarded(err, [&] {
        return wrap(at::max_pool2d(unwrap(input), {kernel, kernel}, {stride, stride}, {padding, padding}));
    });
}

ct_tensor ct_avg_pool2d(ct_tensor input, int64_t kernel, int64_t stride, int64_t padding, char **err) {
    return guarded(err, [&] {
        return wrap(at::avg_pool2d(unwrap(input), {kernel, kernel}, {stride, stride}, {padding, padding}));
    });
}

ct_tensor ct_adaptive_avg_pool2d(ct_tensor input, int64_t out_h, int64_t out_w, char **err) {
    return guarded(err, [&] { return wrap(at::adaptive_avg_pool2d(unwrap(input), {out_h, out_w})); });
}

ct_tensor ct_interpolate_bilinear(ct_tensor input, int64_t out_h, int64_t out_w, int align_corners, char **err) {
    return guarded(err, [&] {
        return wrap(at::upsample_bilinear2d(unwrap(input), {out_h, out_w}, align_corners != 0));
    });
}

ct_tensor ct_binary_cross_entropy(ct_tensor input, ct_tensor target, char **err) {
    return guarded(err, [&] { return wrap(at::binary_cross_entropy(unwrap(input), unwrap(target))); });
}

ct_tensor ct_bce_with_logits(ct_tensor input, ct_tensor target, char **err) {
    return guarded(err, [&] { return wrap(at::binary_cross_entropy_with_logits(unwrap(input), unwrap(target))); });
}

ct_tensor ct_cross_entropy(ct_tensor logits, ct_tensor target, ct_tensor weight, char **err) {
    return guarded(err, [&] {
        return wrap(at::cross_entropy_loss(unwrap(logits), unwrap(target), optional(weight)));
    });
}

ct_tensor ct_mse(ct_tensor input, ct_tensor target, char **err) {
    return guarded(err, [&] { return wrap(at::mse_loss(unwrap(input), unwrap(target))); });
}

void ct_init_normal_(ct_tensor t, double mean, double std, char **err) {
    guarded(err, [&] { at::NoGradGuard g; t->t.normal_(mean, std); return 0; });
}

void ct_init_uniform_(ct_tensor t, double lo, double hi, char **err) {
    guarded(err, [&] { at::NoGradGuard g; t->t.uniform_(lo, hi); return 0; });
}

void ct_init_constant_(ct_tensor t, double value, char **err) {
    guarded(err, [&] { at::NoGradGuard g; t->t.fill_(value); return 0; });
}

void ct_init_kaiming_uniform_(ct_tensor t, double a, char **err) {
    guarded(err, [&] { torch::nn::init::kaiming_uniform_(t->t, a); return 0; });
}

void ct_init_kaiming_normal_fan_out_relu_(ct_tensor t, char **err) {
    guarded(err, [&] {
        torch::nn::init::kaiming_normal_(t->t, 0, torch::kFanOut, torch::kReLU);
        return 0;
    });
}

} // extern "C"
