#include "image_codecs.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char *err;
    size_t errlen;
    int truncated;
} mc_jpeg_error;

static void mc_jpeg_fail(j_common_ptr cinfo) {
    mc_jpeg_error *e = (mc_jpeg_error *)cinfo->err;
    char msg[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, msg);
    if (e->err && e->errlen) snprintf(e->err, e->errlen, "%s", msg);
    longjmp(e->jump, 1);
}

// libjpeg only warns on a truncated file or corrupt entropy-coded data and
// fills what it could not decode with grey or garbage; a training set must
// not silently contain such images, so these warnings are errors (the field
// keeps its historical name: any of them stops the decode).
static int is_corruption(int code) {
    return code == JWRN_JPEG_EOF || code == JWRN_EXTRANEOUS_DATA || code == JWRN_HIT_MARKER ||
           code == JWRN_HUFF_BAD_CODE || code == JWRN_MUST_RESYNC || code == JWRN_NOT_SEQUENTIAL ||
           code == JWRN_BOGUS_PROGRESSION;
}

static void mc_jpeg_message(j_common_ptr cinfo, int level) {
    mc_jpeg_error *e = (mc_jpeg_error *)cinfo->err;
    if (level < 0) {
        e->pub.num_warnings++;
        if (is_corruption(e->pub.msg_code) && !e->truncated) {
            e->truncated = 1;
            if (!e->err || !e->errlen) return;
            if (e->pub.msg_code == JWRN_JPEG_EOF) {
                snprintf(e->err, e->errlen, "file is truncated (premature end of JPEG data)");
            } else {
                char msg[JMSG_LENGTH_MAX];
                (*cinfo->err->format_message)(cinfo, msg);
                snprintf(e->err, e->errlen, "%s", msg);
            }
        }
    }
}

static int start(struct jpeg_decompress_struct *cinfo, mc_jpeg_error *jerr, const uint8_t *buf,
                 size_t len, char *err, size_t errlen) {
    if (len < 3 || buf[0] != 0xFF || buf[1] != 0xD8) {
        snprintf(err, errlen, "not a JPEG file (bad signature)");
        return MC_ERR_DECODE;
    }
    cinfo->err = jpeg_std_error(&jerr->pub);
    jerr->pub.error_exit = mc_jpeg_fail;
    jerr->pub.emit_message = mc_jpeg_message;
    jerr->err = err;
    jerr->errlen = errlen;
    jerr->truncated = 0;
    return MC_OK;
}

static void fill_header(struct jpeg_decompress_struct *cinfo, mc_header *h) {
    h->width = cinfo->image_width;
    h->height = cinfo->image_height;
    h->source_bit_depth = 8;
    h->bit_depth = 8;
    h->color_type = cinfo->jpeg_color_space;
    h->progressive = cinfo->progressive_mode ? 1 : 0;
    h->channels = (cinfo->jpeg_color_space == JCS_GRAYSCALE) ? 1 : 3;
}

int mc_jpeg_header(const uint8_t *buf, size_t len, mc_header *out, char *err, size_t errlen) {
    struct jpeg_decompress_struct cinfo;
    mc_jpeg_error jerr;
    int rc = start(&cinfo, &jerr, buf, len, err, errlen);
    if (rc) return rc;
    if (setjmp(jerr.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return MC_ERR_DECODE;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, buf, (unsigned long)len);
    jpeg_read_header(&cinfo, TRUE);
    memset(out, 0, sizeof(*out));
    fill_header(&cinfo, out);
    jpeg_destroy_decompress(&cinfo);
    return MC_OK;
}

// The frame size from the first SOF marker, found by walking the marker
// segments. jpeg_read_header needs everything up to the first scan, so a huge
// but truncated file would otherwise be reported as corrupt, not too large.
static int sof_size(const uint8_t *buf, size_t len, uint32_t *w, uint32_t *h) {
    size_t p = 2;
    while (p + 1 < len) {
        if (buf[p] != 0xFF) return 0;
        uint8_t m = buf[p + 1];
        if (m == 0xFF) { p++; continue; } // fill byte
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD8)) { p += 2; continue; } // no length
        if (m == 0xD9 || m == 0xDA || p + 3 >= len) return 0;
        size_t seg = ((size_t)buf[p + 2] << 8) | buf[p + 3];
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (seg < 7 || p + 8 >= len) return 0;
            *h = ((uint32_t)buf[p + 5] << 8) | buf[p + 6];
            *w = ((uint32_t)buf[p + 7] << 8) | buf[p + 8];
            return 1;
        }
        p += 2 + seg;
    }
    return 0;
}

static int too_large(uint64_t w, uint64_t h, uint64_t max_pixels, char *err, size_t errlen) {
    if (!max_pixels || w * h <= max_pixels) return 0;
    snprintf(err, errlen, "image is %llux%llu = %llu pixels, over the limit of %llu",
             (unsigned long long)w, (unsigned long long)h, (unsigned long long)(w * h),
             (unsigned long long)max_pixels);
    return 1;
}

int mc_jpeg_decode(const uint8_t *buf, size_t len, uint64_t max_pixels, mc_image *out,
                   char *err, size_t errlen) {
    memset(out, 0, sizeof(*out));
    struct jpeg_decompress_struct cinfo;
    mc_jpeg_error jerr;
    int rc = start(&cinfo, &jerr, buf, len, err, errlen);
    if (rc) return rc;
    uint32_t sof_w = 0, sof_h = 0;
    if (sof_size(buf, len, &sof_w, &sof_h) && too_large(sof_w, sof_h, max_pixels, err, errlen))
        return MC_ERR_TOO_LARGE;
    uint8_t *volatile pixels = NULL;
    uint8_t *volatile row = NULL;
    if (setjmp(jerr.jump)) {
        free(pixels);
        free(row);
        jpeg_destroy_decompress(&cinfo);
        return MC_ERR_DECODE;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, buf, (unsigned long)len);
    jpeg_read_header(&cinfo, TRUE);
    mc_header h;
    memset(&h, 0, sizeof(h));
    fill_header(&cinfo, &h);
    if (too_large(h.width, h.height, max_pixels, err, errlen)) {
        jpeg_destroy_decompress(&cinfo);
        return MC_ERR_TOO_LARGE;
    }
    int cmyk = 0, adobe_inverted = 0;
    switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE: cinfo.out_color_space = JCS_GRAYSCALE; break;
    case JCS_CMYK:
    case JCS_YCCK:
        // CMYK is converted to RGB; Adobe writes it inverted (the usual case).
        cinfo.out_color_space = JCS_CMYK;
        cmyk = 1;
        adobe_inverted = cinfo.saw_Adobe_marker;
        break;
    default: cinfo.out_color_space = JCS_RGB; break;
    }
    jpeg_start_decompress(&cinfo);
    uint32_t in_ch = (uint32_t)cinfo.output_components;
    uint32_t out_ch = cmyk ? 3 : in_ch;
    size_t total = (size_t)h.width * h.height * out_ch;
    pixels = (uint8_t *)malloc(total ? total : 1);
    row = (uint8_t *)malloc((size_t)h.width * in_ch + 1);
    if (!pixels || !row) {
        free(pixels); free(row);
        jpeg_destroy_decompress(&cinfo);
        snprintf(err, errlen, "out of memory for %zu bytes", total);
        return MC_ERR_MEMORY;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        uint32_t y = cinfo.output_scanline;
        JSAMPROW rp = cmyk ? row : pixels + (size_t)y * h.width * out_ch;
        jpeg_read_scanlines(&cinfo, &rp, 1);
        if (cmyk) {
            uint8_t *dst = pixels + (size_t)y * h.width * 3;
            for (uint32_t x = 0; x < h.width; x++) {
                unsigned c = row[4 * x], m = row[4 * x + 1], yy = row[4 * x + 2], k = row[4 * x + 3];
                if (!adobe_inverted) { c = 255 - c; m = 255 - m; yy = 255 - yy; k = 255 - k; }
                dst[3 * x] = (uint8_t)((c * k + 127) / 255);
                dst[3 * x + 1] = (uint8_t)((m * k + 127) / 255);
                dst[3 * x + 2] = (uint8_t)((yy * k + 127) / 255);
            }
        }
        if (jerr.truncated) break;
    }
    if (jerr.truncated) {
        free(pixels); free(row);
        jpeg_destroy_decompress(&cinfo);
        return MC_ERR_DECODE;
    }
    jpeg_finish_decompress(&cinfo);
    int truncated = jerr.truncated;
    jpeg_destroy_decompress(&cinfo);
    free(row);
    if (truncated) { free(pixels); return MC_ERR_DECODE; }
    h.channels = out_ch;
    out->data = pixels;
    out->size = total;
    out->header = h;
    return MC_OK;
}

static int encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                  J_COLOR_SPACE space, int quality, int progressive, uint8_t **out, size_t *out_len,
                  char *err, size_t errlen) {
    *out = NULL;
    *out_len = 0;
    struct jpeg_compress_struct cinfo;
    mc_jpeg_error jerr;
    cinfo.err = jpeg_std_error(&jerr.pub);
    jerr.pub.error_exit = mc_jpeg_fail;
    jerr.err = err;
    jerr.errlen = errlen;
    // jpeg_mem_dest mallocs the buffer and keeps *dest pointing at it; the
    // error path must free it, so dest lives in memory across the longjmp.
    unsigned char *volatile dest = NULL;
    unsigned long mem_len = 0;
    if (setjmp(jerr.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(dest);
        return MC_ERR_DECODE;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, (unsigned char **)&dest, &mem_len);
    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = (int)channels;
    cinfo.in_color_space = space;
    jpeg_set_defaults(&cinfo); // for JCS_CMYK this also writes the Adobe marker
    jpeg_set_quality(&cinfo, quality < 1 ? 1 : (quality > 100 ? 100 : quality), TRUE);
    if (progressive) jpeg_simple_progression(&cinfo);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW rp = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * width * channels);
        jpeg_write_scanlines(&cinfo, &rp, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *out = (uint8_t *)dest;
    *out_len = mem_len;
    return MC_OK;
}

int mc_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                   int quality, int progressive, uint8_t **out, size_t *out_len,
                   char *err, size_t errlen) {
    *out = NULL;
    *out_len = 0;
    if ((channels != 1 && channels != 3) || !width || !height) {
        snprintf(err, errlen, "JPEG holds gray or RGB only, not %u channels", channels);
        return MC_ERR_UNSUPPORTED;
    }
    return encode(pixels, width, height, channels, channels == 1 ? JCS_GRAYSCALE : JCS_RGB,
                  quality, progressive, out, out_len, err, errlen);
}

int mc_jpeg_encode_cmyk(const uint8_t *cmyk, uint32_t width, uint32_t height, int quality,
                        uint8_t **out, size_t *out_len, char *err, size_t errlen) {
    *out = NULL;
    *out_len = 0;
    if (!width || !height) {
        snprintf(err, errlen, "cannot encode an empty CMYK image");
        return MC_ERR_UNSUPPORTED;
    }
    return encode(cmyk, width, height, 4, JCS_CMYK, quality, 0, out, out_len, err, errlen);
}
