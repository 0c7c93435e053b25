// Which PNG writer MedAug uses, measured: libpng at OpenCV's settings and
// others, against whole-image libdeflate, on the same 8-bit RGB PNG files
// (read here with libpng). Prints milliseconds per image and bytes.
//
//   cc -O2 Benchmarks/png-encoders/png_encoders.c -lpng -ldeflate -o /tmp/png_encoders
//   /tmp/png_encoders FILE.png...
#include <libdeflate.h>
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef struct { uint8_t *b; size_t n, c; } buffer;

static void put_bytes(png_structp p, png_bytep d, png_size_t n) {
    buffer *b = png_get_io_ptr(p);
    if (b->n + n > b->c) { b->c = (b->n + n) * 2; b->b = realloc(b->b, b->c); }
    memcpy(b->b + b->n, d, n);
    b->n += n;
}
static void no_flush(png_structp p) { (void)p; }

static size_t encode_libpng(const uint8_t *px, int w, int h, int level, int filter, int strategy, buffer *o) {
    o->n = 0;
    png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, 0, 0, 0);
    png_infop i = png_create_info_struct(p);
    png_set_write_fn(p, o, put_bytes, no_flush);
    png_set_IHDR(p, i, w, h, 8, PNG_COLOR_TYPE_RGB, 0, 0, 0);
    if (filter >= 0) png_set_filter(p, 0, filter);
    png_set_compression_level(p, level);
    if (strategy >= 0) png_set_compression_strategy(p, strategy);
    png_write_info(p, i);
    for (int y = 0; y < h; y++) png_write_row(p, (png_bytep)px + (size_t)y * w * 3);
    png_write_end(p, 0);
    png_destroy_write_struct(&p, &i);
    return o->n;
}

// The filtered rows (Sub) deflated in one call: MedAug's writer, without the chunk framing (about 60 bytes).
static size_t encode_libdeflate(const uint8_t *px, int w, int h, struct libdeflate_compressor *c, uint8_t *raw,
                                buffer *o) {
    size_t rb = (size_t)w * 3;
    for (int y = 0; y < h; y++) {
        uint8_t *d = raw + y * (rb + 1);
        const uint8_t *s = px + y * rb;
        d[0] = 1;
        memcpy(d + 1, s, 3);
        for (size_t x = 3; x < rb; x++) d[1 + x] = (uint8_t)(s[x] - s[x - 3]);
    }
    size_t len = (rb + 1) * h, bound = libdeflate_zlib_compress_bound(c, len);
    if (o->c < bound) { o->c = bound; o->b = realloc(o->b, bound); }
    return o->n = libdeflate_zlib_compress(c, raw, len, o->b, bound) + 57;
}

static uint8_t *read_rgb(const char *path, int *w, int *h) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    png_structp p = png_create_read_struct(PNG_LIBPNG_VER_STRING, 0, 0, 0);
    png_infop i = png_create_info_struct(p);
    png_init_io(p, f);
    png_read_info(p, i);
    png_set_strip_alpha(p);
    png_set_gray_to_rgb(p);
    png_set_strip_16(p);
    png_read_update_info(p, i);
    *w = png_get_image_width(p, i);
    *h = png_get_image_height(p, i);
    uint8_t *px = malloc((size_t)*w * *h * 3);
    for (int y = 0; y < *h; y++) png_read_row(p, px + (size_t)y * *w * 3, 0);
    png_destroy_read_struct(&p, &i, 0);
    fclose(f);
    return px;
}

int main(int argc, char **argv) {
    int n = argc - 1, w = 0, h = 0;
    if (n < 1) { fprintf(stderr, "usage: png_encoders FILE.png...\n"); return 2; }
    uint8_t **images = malloc(sizeof(uint8_t *) * n);
    int *ws = malloc(sizeof(int) * n), *hs = malloc(sizeof(int) * n);
    size_t maxpx = 0;
    for (int k = 0; k < n; k++) {
        images[k] = read_rgb(argv[k + 1], &ws[k], &hs[k]);
        if (!images[k]) { fprintf(stderr, "cannot read %s\n", argv[k + 1]); return 1; }
        if ((size_t)ws[k] * hs[k] > maxpx) { maxpx = (size_t)ws[k] * hs[k]; w = ws[k]; h = hs[k]; }
    }
    buffer o = {0};
    uint8_t *raw = malloc(maxpx * 3 + h + 16);
    struct { const char *name; int level, filter, strategy; } libpng[] = {
        {"libpng level 1, Sub filter, Z_RLE (OpenCV's imwrite default)", 1, PNG_FILTER_SUB, 3},
        {"libpng level 1, Sub filter", 1, PNG_FILTER_SUB, -1},
        {"libpng level 6, adaptive filters (libpng's default; MedAug before)", 6, -1, -1},
    };
    printf("| writer | ms per image | bytes per image |\n|---|---|---|\n");
    for (int c = 0; c < 3; c++) {
        double best = 1e9;
        size_t bytes = 0;
        for (int r = 0; r < 5; r++) {
            double t = now();
            bytes = 0;
            for (int k = 0; k < n; k++)
                bytes += encode_libpng(images[k], ws[k], hs[k], libpng[c].level, libpng[c].filter, libpng[c].strategy, &o);
            if (now() - t < best) best = now() - t;
        }
        printf("| %s | %.2f | %zu |\n", libpng[c].name, best / n * 1e3, bytes / n);
    }
    for (int level = 0; level <= 9; level += (level < 3 ? 1 : 3)) {
        struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
        double best = 1e9;
        size_t bytes = 0;
        for (int r = 0; r < 5; r++) {
            double t = now();
            bytes = 0;
            for (int k = 0; k < n; k++) bytes += encode_libdeflate(images[k], ws[k], hs[k], c, raw, &o);
            if (now() - t < best) best = now() - t;
        }
        printf("| libdeflate level %d, Sub filter, one call per image%s | %.2f | %zu |\n", level,
               level == 1 ? " (MedAug's default)" : "", best / n * 1e3, bytes / n);
        libdeflate_free_compressor(c);
    }
    return 0;
}
