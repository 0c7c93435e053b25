// The libdeflate path of the PNG codec (png_deflate.c); png_codec.c decides
// when it is taken.
#pragma once
#include "image_codecs.h"

/// Encodes 8/16-bit, 1-4 channel pixels (16-bit in host order); `level` is
/// libdeflate's (0-12). Returns MC_OK or MC_ERR_MEMORY.
int mc_png_deflate_encode(const void *pixels, uint32_t width, uint32_t height, uint32_t channels,
                          uint32_t bit_depth, int level, uint8_t **out, size_t *out_len);

/// Decodes the PNGs it can vouch for; returns 1 with `out` filled, or 0 to
/// leave the file to libpng (nothing allocated).
int mc_png_deflate_decode(const uint8_t *buf, size_t len, mc_image *out);
