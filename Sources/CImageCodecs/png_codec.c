#include "png_deflate.h"
#include "image_codecs.h"
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *buf;
    size_t len;
    size_t pos;
    char *err;
    size_t errlen;
} png_reader;

static void mc_png_error(png_structp png, png_const_charp msg) {
    png_reader *r = (png_reader *)png_get_error_ptr(png);
    if (r && r->err && r->errlen) snprintf(r->err, r->errlen, "%s", msg);
    png_longjmp(png, 1);
}

static void mc_png_warning(png_structp png, png_const_charp msg) {
    (void)png; (void)msg; // libpng warnings are about ancillary chunks; the pixels are fine.
}

static void mc_png_read(png_structp png, png_bytep data, png_size_t n) {
    png_reader *r = (png_reader *)png_get_io_ptr(png);
    if (r->pos + n > r->len) png_error(png, "file is truncated (unexpected end of PNG data)");
    memcpy(data, r->buf + r->pos, n);
    r->pos += n;
}

static int check_signature(const uint8_t *buf, size_t len, char *err, size_t errlen) {
    if (len < 8 || png_sig_cmp(buf, 0, 8) != 0) {
        snprintf(err, errlen, "not a PNG file (bad signature)");
        return MC_ERR_DECODE;
    }
    return MC_OK;
}

// Everything up to the first IDAT. The decoded layout (1-4 channels of 8 or
// 16 bits) is derived from IHDR and tRNS rather than from
// png_read_update_info, which allocates a row buffer: a header read must not
// take memory in proportion to a width the caller has not yet checked.
static void read_header(png_structp png, png_infop info, mc_header *h) {
    png_read_info(png, info);
    png_uint_32 w = 0, hgt = 0;
    int depth = 0, ctype = 0, interlace = 0;
    png_get_IHDR(png, info, &w, &hgt, &depth, &ctype, &interlace, NULL, NULL);
    h->width = w;
    h->height = hgt;
    h->source_bit_depth = (uint32_t)depth;
    h->color_type = ctype;
    h->progressive = interlace != PNG_INTERLACE_NONE;
    int alpha = (ctype & PNG_COLOR_MASK_ALPHA) || png_get_valid(png, info, PNG_INFO_tRNS);
    int color = (ctype & PNG_COLOR_MASK_COLOR) || ctype == PNG_COLOR_TYPE_PALETTE;
    h->channels = (color ? 3 : 1) + (alpha ? 1 : 0);
    h->bit_depth = depth == 16 ? 16 : 8;
}

// The expansions that turn any PNG into the layout read_header promised.
static void configure(png_structp png, png_infop info, mc_header *h) {
    read_header(png, info, h);
    int depth = (int)h->source_bit_depth, ctype = h->color_type;
    if (ctype == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (ctype == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (depth == 16) png_set_swap(png);
#endif
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    h->channels = png_get_channels(png, info);
    h->bit_depth = png_get_bit_depth(png, info);
}

int mc_png_header(const uint8_t *buf, size_t len, mc_header *out, char *err, size_t errlen) {
    int rc = check_signature(buf, len, err, errlen);
    if (rc) return rc;
    png_reader r = {buf, len, 0, err, errlen};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, mc_png_error, mc_png_warning);
    if (!png) { snprintf(err, errlen, "out of memory"); return MC_ERR_MEMORY; }
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_read_struct(&png, NULL, NULL); snprintf(err, errlen, "out of memory"); return MC_ERR_MEMORY; }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        return MC_ERR_DECODE;
    }
    png_set_read_fn(png, &r, mc_png_read);
    // No pixel may be allocated before the caller's limit is checked.
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    memset(out, 0, sizeof(*out));
    read_header(png, info, out);
    png_destroy_read_struct(&png, &info, NULL);
    return MC_OK;
}

static uint32_t be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static int too_large(uint64_t w, uint64_t h, uint64_t max_pixels, char *err, size_t errlen) {
    if (!max_pixels || w * h <= max_pixels) return 0;
    snprintf(err, errlen, "image is %llux%llu = %llu pixels, over the limit of %llu",
             (unsigned long long)w, (unsigned long long)h, (unsigned long long)(w * h),
             (unsigned long long)max_pixels);
    return 1;
}

int mc_png_decode(const uint8_t *buf, size_t len, uint64_t max_pixels, mc_image *out,
                  char *err, size_t errlen) {
    memset(out, 0, sizeof(*out));
    int rc = check_signature(buf, len, err, errlen);
    if (rc) return rc;
    // The limit is checked on IHDR's own bytes: png_read_info reads on to the
    // first IDAT, so a huge but truncated file would otherwise pass as "corrupt"
    // and a huge valid one would first have all its ancillary chunks parsed.
    if (len >= 24 && be32(buf + 8) == 13 && memcmp(buf + 12, "IHDR", 4) == 0 &&
        too_large(be32(buf + 16), be32(buf + 20), max_pixels, err, errlen))
        return MC_ERR_TOO_LARGE;
    if (mc_png_deflate_decode(buf, len, out)) return MC_OK;
    return mc_png_decode_libpng(buf, len, max_pixels, out, err, errlen);
}

int mc_png_decode_libpng(const uint8_t *buf, size_t len, uint64_t max_pixels, mc_image *out,
                         char *err, size_t errlen) {
    memset(out, 0, sizeof(*out));
    int rc = check_signature(buf, len, err, errlen);
    if (rc) return rc;
    png_reader r = {buf, len, 0, err, errlen};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, mc_png_error, mc_png_warning);
    if (!png) { snprintf(err, errlen, "out of memory"); return MC_ERR_MEMORY; }
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_read_struct(&png, NULL, NULL); snprintf(err, errlen, "out of memory"); return MC_ERR_MEMORY; }
    uint8_t *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(pixels);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return MC_ERR_DECODE;
    }
    png_set_read_fn(png, &r, mc_png_read);
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    mc_header h;
    memset(&h, 0, sizeof(h));
    configure(png, info, &h);
    if (too_large(h.width, h.height, max_pixels, err, errlen)) {
        png_destroy_read_struct(&png, &info, NULL);
        return MC_ERR_TOO_LARGE;
    }
    size_t rowbytes = png_get_rowbytes(png, info);
    size_t total = rowbytes * (size_t)h.height;
    pixels = (uint8_t *)malloc(total ? total : 1);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * (h.height ? h.height : 1));
    if (!pixels || !rows) {
        free(pixels); free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        snprintf(err, errlen, "out of memory for %zu bytes", total);
        return MC_ERR_MEMORY;
    }
    for (uint32_t y = 0; y < h.height; y++) rows[y] = pixels + (size_t)y * rowbytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    out->data = pixels;
    out->size = total;
    out->header = h;
    return MC_OK;
}

int mc_png_encode(const void *pixels, uint32_t width, uint32_t height, uint32_t channels,
                  uint32_t bit_depth, int compression, uint8_t **out, size_t *out_len,
                  char *err, size_t errlen) {
    *out = NULL;
    *out_len = 0;
    if (channels < 1 || channels > 4 || (bit_depth != 8 && bit_depth != 16) || !width || !height ||
        width > 0x7fffffffu || height > 0x7fffffffu) {
        snprintf(err, errlen, "cannot encode %ux%u image with %u channels at %u bits as PNG",
                 width, height, channels, bit_depth);
        return MC_ERR_UNSUPPORTED;
    }
    // Written by png_deflate.c; `compression` is its level, 1 when not given.
    int level = compression >= 0 && compression <= 12 ? compression : 1;
    int rc = mc_png_deflate_encode(pixels, width, height, channels, bit_depth, level, out, out_len);
    if (rc) snprintf(err, errlen, "out of memory while encoding a %ux%u PNG", width, height);
    return rc;
}

void mc_free(void *p) { free(p); }
