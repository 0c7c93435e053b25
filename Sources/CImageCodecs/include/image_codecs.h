#ifndef MEDAUG_IMAGE_CODECS_H
#define MEDAUG_IMAGE_CODECS_H
// A setjmp-safe C layer over libpng, libdeflate and libjpeg-turbo. Every call returns
// 0 on success or a MC_ERR_* code, with a message in `err`.
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    MC_OK = 0,
    MC_ERR_DECODE = 1,      // corrupt or truncated data
    MC_ERR_TOO_LARGE = 2,   // over the caller's pixel limit (decided from the header)
    MC_ERR_UNSUPPORTED = 3, // a valid file MedAug does not read
    MC_ERR_MEMORY = 4,
};

typedef struct {
    uint32_t width;
    uint32_t height;
    uint32_t channels;   // channels after decoding (palette expanded)
    uint32_t bit_depth;  // 8 or 16 after decoding
    uint32_t source_bit_depth;
    int32_t color_type;  // PNG color type, or JPEG colour space (J_COLOR_SPACE)
    int32_t progressive; // JPEG progressive / PNG interlaced
} mc_header;

typedef struct {
    void *data;          // malloc'ed; release with mc_free. 16-bit samples in host order.
    size_t size;         // bytes
    mc_header header;
} mc_image;

int mc_png_header(const uint8_t *buf, size_t len, mc_header *out, char *err, size_t errlen);
int mc_png_decode(const uint8_t *buf, size_t len, uint64_t max_pixels, mc_image *out,
                  char *err, size_t errlen);
// libpng alone, without the libdeflate path mc_png_decode takes for the
// common files: for tests that check the two agree.
int mc_png_decode_libpng(const uint8_t *buf, size_t len, uint64_t max_pixels, mc_image *out,
                         char *err, size_t errlen);
int mc_png_encode(const void *pixels, uint32_t width, uint32_t height, uint32_t channels,
                  uint32_t bit_depth, int compression, uint8_t **out, size_t *out_len,
                  char *err, size_t errlen);

int mc_jpeg_header(const uint8_t *buf, size_t len, mc_header *out, char *err, size_t errlen);
int mc_jpeg_decode(const uint8_t *buf, size_t len, uint64_t max_pixels, mc_image *out,
                   char *err, size_t errlen);
int mc_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                   int quality, int progressive, uint8_t **out, size_t *out_len,
                   char *err, size_t errlen);
// For tests only: MedAug never writes CMYK, but must read the CMYK JPEGs that
// print workflows produce. Writes 4 samples per pixel as given, with an Adobe
// marker, so readers take them as Adobe-inverted (255 = no ink), like Photoshop.
int mc_jpeg_encode_cmyk(const uint8_t *cmyk, uint32_t width, uint32_t height, int quality,
                        uint8_t **out, size_t *out_len, char *err, size_t errlen);

void mc_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
