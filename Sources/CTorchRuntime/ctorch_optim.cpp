#include "ctorch_internal.hpp"

#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <memory>
#include <sstream>

using namespace ctorch;

struct ct_optimizer_s {
    std::unique_ptr<torch::optim::Optimizer> opt;
};

namespace {

void set_lr(torch::optim::Optimizer &o, double lr) {
    for (auto &group : o.param_groups()) group.options().set_lr(lr);
}

} // namespace

extern "C" {

ct_optimizer ct_adam_new(const ct_tensor *params, int n, double lr, double beta1, double beta2, double eps,
                         double weight_decay, char **err) {
    return guarded(err, [&] {
        auto opts = torch::optim::AdamOptions(lr).betas({beta1, beta2}).eps(eps).weight_decay(weight_decay);
        return new ct_optimizer_s{std::make_unique<torch::optim::Adam>(unwrap_list(params, n), opts)};
    });
}

ct_optimizer ct_sgd_new(const ct_tensor *params, int n, double lr, double momentum, double dampening,
                        double weight_decay, int nesterov, char **err) {
    return guarded(err, [&] {
        auto opts = torch::optim::SGDOptions(lr).momentum(momentum).dampening(dampening)
                        .weight_decay(weight_decay).nesterov(nesterov != 0);
        return new ct_optimizer_s{std::make_unique<torch::optim::SGD>(unwrap_list(params, n), opts)};
    });
}

void ct_optimizer_free(ct_optimizer o) { delete o; }

void ct_optimizer_step(ct_optimizer o, char **err) {
    guarded(err, [&] { o->opt->step(); return 0; });
}

void ct_optimizer_zero_grad(ct_optimizer o, char **err) {
    guarded(err, [&] { o->opt->zero_grad(true); return 0; });
}

void ct_optimizer_set_lr(ct_optimizer o, double lr, char **err) {
    guarded(err, [&] { set_lr(*o->opt, lr); return 0; });
}

double ct_optimizer_get_lr(ct_optimizer o, char **err) {
    return guarded(err, [&] { return o->opt->param_groups().at(0).options().get_lr(); });
}

void ct_optimizer_save(ct_optimizer o, uint8_t **out, size_t *out_len, char **err) {
    guarded(err, [&] {
        torch::serialize::OutputArchive archive;
        o->opt->save(archive);
        std::ostringstream stream;
        archive.save_to(stream);
        std::string s = stream.str();
        *out = (uint8_t *)std::malloc(s.size() ? s.size() : 1);
        if (!*out) throw std::bad_alloc();
        std::memcpy(*out, s.data(), s.size());
        *out_len = s.size();
        return 0;
    });
}

void ct_optimizer_load(ct_optimizer o, const uint8_t *data, size_t len, char **err) {
    guarded(err, [&] {
        torch::serialize::InputArchive archive;
        archive.load_from(reinterpret_cast<const char *>(data), len);
        o->opt->load(archive);
        return 0;
    });
}

void ct_buffer_free(uint8_t *p) { std::free(p); }

} // extern "C"
