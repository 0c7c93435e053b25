// Strips and tiles, contiguous or separate planes, any compression libtiff was
// built with (none, LZW, deflate, PackBits, JPEG...): the page is read tile by
// tile or strip by strip and copied into one interleaved buffer.
#include "mc_tiff.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

typedef struct {
  const uint8_t *data;
  size_t size;
  size_t pos;
} mem_stream;

static _Thread_local char last_error[512];

static void on_error(const char *module, const char *fmt, va_list ap) {
  (void)module;
  vsnprintf(last_error, sizeof last_error, fmt, ap);
}
static void on_warning(const char *module, const char *fmt, va_list ap) {
  (void)module; (void)fmt; (void)ap;
}

static tmsize_t mem_read(thandle_t h, void *buf, tmsize_t n) {
  mem_stream *m = (mem_stream *)h;
  if (m->pos >= m->size) return 0;
  size_t left = m->size - m->pos;
  size_t k = (size_t)n < left ? (size_t)n : left;
  memcpy(buf, m->data + m->pos, k);
  m->pos += k;
  return (tmsize_t)k;
}
static tmsize_t mem_write(thandle_t h, void *buf, tmsize_t n) { (void)h; (void)buf; (void)n; return -1; }
static toff_t mem_seek(thandle_t h, toff_t off, int whence) {
  mem_stream *m = (mem_stream *)h;
  size_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? m->pos : m->size;
  m->pos = base + (size_t)off;
  return (toff_t)m->pos;
}
static int mem_close(thandle_t h) { (void)h; return 0; }
static toff_t mem_size(thandle_t h) { return (toff_t)((mem_stream *)h)->size; }
static int mem_map(thandle_t h, void **base, toff_t *size) {
  mem_stream *m = (mem_stream *)h;
  *base = (void *)m->data;
  *size = (toff_t)m->size;
  return 1;
}
static void mem_unmap(thandle_t h, void *base, toff_t size) { (void)h; (void)base; (void)size; }

static void fail(char *err, size_t len, const char *fmt, const char *detail) {
  if (!err || !len) return;
  if (detail && detail[0]) snprintf(err, len, "%s: %s", fmt, detail);
  else snprintf(err, len, "%s", fmt);
}

typedef struct {
  int width, height, samples, bits, pages, planar, photometric, tiled, format;
} page_desc;

static TIFF *open_page(mem_stream *m, int page, page_desc *d, char *err, size_t errlen) {
  TIFFSetErrorHandler(on_error);
  TIFFSetWarningHandler(on_warning);
  last_error[0] = 0;
  TIFF *t = TIFFClientOpen("memory", "rm", (thandle_t)m, mem_read, mem_write, mem_seek, mem_close, mem_size,
                           mem_map, mem_unmap);
  if (!t) { fail(err, errlen, "not a readable TIFF file", last_error); return NULL; }
  d->pages = (int)TIFFNumberOfDirectories(t);
  if (page < 0 || page >= d->pages || !TIFFSetDirectory(t, (tdir_t)page)) {
    char msg[96];
    snprintf(msg, sizeof msg, "page %d does not exist (the file has %d)", page + 1, d->pages);
    fail(err, errlen, msg, NULL);
    TIFFClose(t);
    return NULL;
  }
  uint32_t w = 0, h = 0;
  uint16_t spp = 1, bps = 1, planar = PLANARCONFIG_CONTIG, photo = PHOTOMETRIC_MINISBLACK, fmt = SAMPLEFORMAT_UINT;
  TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w);
  TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h);
  TIFFGetFieldDefaulted(t, TIFFTAG_SAMPLESPERPIXEL, &spp);
  TIFFGetFieldDefaulted(t, TIFFTAG_BITSPERSAMPLE, &bps);
  TIFFGetFieldDefaulted(t, TIFFTAG_PLANARCONFIG, &planar);
  TIFFGetFieldDefaulted(t, TIFFTAG_SAMPLEFORMAT, &fmt);
  if (!TIFFGetField(t, TIFFTAG_PHOTOMETRIC, &photo)) photo = spp >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
  d->width = (int)w; d->height = (int)h; d->samples = spp; d->bits = bps; d->planar = planar;
  d->photometric = photo; d->tiled = TIFFIsTiled(t); d->format = fmt;
  const char *why = NULL;
  if (w == 0 || h == 0 || w > 1u << 30 || h > 1u << 30) why = "the image has no pixels or an absurd size";
  else if (bps != 8 && bps != 16) why = "only 8- and 16-bit samples are read (this page has another depth)";
  else if (fmt != SAMPLEFORMAT_UINT) why = "only unsigned integer samples are read (this page holds signed or floating-point data)";
  else if (spp < 1 || spp > 4) why = "only 1 to 4 samples per pixel are read";
  else if (photo != PHOTOMETRIC_MINISBLACK && photo != PHOTOMETRIC_MINISWHITE && photo != PHOTOMETRIC_RGB)
    why = "only gray (MinIsBlack/MinIsWhite) and RGB pages are read (palette, CMYK, YCbCr and others are not)";
  else if (photo == PHOTOMETRIC_RGB && spp < 3) why = "an RGB page with fewer than 3 samples per pixel";
  else if (photo != PHOTOMETRIC_RGB && spp > 2) why = "only gray pages of 1 or 2 samples (gray + alpha) are read as gray";
  if (why) { fail(err, errlen, why, NULL); TIFFClose(t); return NULL; }
  return t;
}

int mc_tiff_header(const uint8_t *bytes, size_t count, int page, mc_tiff_info *info, char *err, size_t errlen) {
  mem_stream m = {bytes, count, 0};
  page_desc d;
  TIFF *t = open_page(&m, page, &d, err, errlen);
  if (!t) return -1;
  info->width = d.width; info->height = d.height; info->samples = d.samples; info->bits = d.bits;
  info->pages = d.pages;
  TIFFClose(t);
  return 0;
}

// Copies one decoded block (a strip or tile of one plane, or of all samples)
// into the interleaved output.
static void place(const uint8_t *block, int bw, int bh, int x0, int y0, int plane, int block_samples,
                  const page_desc *d, uint8_t *out) {
  size_t bytes = (size_t)d->bits / 8;
  for (int y = 0; y < bh && y0 + y < d->height; ++y) {
    for (int x = 0; x < bw && x0 + x < d->width; ++x) {
      const uint8_t *src = block + ((size_t)y * bw + x) * block_samples * bytes;
      uint8_t *dst = out + (((size_t)(y0 + y) * d->width + (x0 + x)) * d->samples + (plane < 0 ? 0 : plane)) * bytes;
      memcpy(dst, src, (size_t)block_samples * bytes);
    }
  }
}

int mc_tiff_decode(const uint8_t *bytes, size_t count, int page, void *out, size_t out_bytes, char *err,
                   size_t errlen) {
  mem_stream m = {bytes, count, 0};
  page_desc d;
  TIFF *t = open_page(&m, page, &d, err, errlen);
  if (!t) return -1;
  size_t need = (size_t)d.width * d.height * d.samples * (d.bits / 8);
  if (out_bytes < need) { fail(err, errlen, "output buffer too small", NULL); TIFFClose(t); return -1; }
  int separate = d.planar == PLANARCONFIG_SEPARATE && d.samples > 1;
  int planes = separate ? d.samples : 1;
  int block_samples = separate ? 1 : d.samples;
  tmsize_t block_size = d.tiled ? TIFFTileSize(t) : TIFFStripSize(t);
  uint8_t *block = block_size > 0 ? (uint8_t *)malloc((size_t)block_size) : NULL;
  if (!block) { fail(err, errlen, "cannot size the TIFF's strips or tiles", last_error); TIFFClose(t); return -1; }
  int ok = 1;
  if (d.tiled) {
    uint32_t tw = 0, th = 0;
    TIFFGetField(t, TIFFTAG_TILEWIDTH, &tw);
    TIFFGetField(t, TIFFTAG_TILELENGTH, &th);
    for (int p = 0; p < planes && ok; ++p)
      for (uint32_t y = 0; y < (uint32_t)d.height && ok; y += th)
        for (uint32_t x = 0; x < (uint32_t)d.width && ok; x += tw) {
          ttile_t tile = TIFFComputeTile(t, x, y, 0, (tsample_t)p);
          if (TIFFReadEncodedTile(t, tile, block, block_size) < 0) { ok = 0; break; }
          place(block, (int)tw, (int)th, (int)x, (int)y, separate ? p : -1, block_samples, &d, (uint8_t *)out);
        }
  } else {
    uint32_t rps = 0;
    TIFFGetFieldDefaulted(t, TIFFTAG_ROWSPERSTRIP, &rps);
    if (rps == 0 || rps > (uint32_t)d.height) rps = (uint32_t)d.height;
    for (int p = 0; p < planes && ok; ++p)
      for (uint32_t y = 0; y < (uint32_t)d.height; y += rps) {
        tstrip_t strip = TIFFComputeStrip(t, y, (tsample_t)p);
        if (TIFFReadEncodedStrip(t, strip, block, block_size) < 0) { ok = 0; break; }
        place(block, d.width, (int)rps, 0, (int)y, separate ? p : -1, block_samples, &d, (uint8_t *)out);
      }
  }
  free(block);
  TIFFClose(t);
  if (!ok) { fail(err, errlen, "damaged or truncated TIFF data", last_error); return -1; }
  if (d.photometric == PHOTOMETRIC_MINISWHITE) {
    // The gray sample only: alpha (a second sample) keeps its meaning.
    size_t n = (size_t)d.width * d.height * d.samples, step = (size_t)d.samples;
    if (d.bits == 8) { uint8_t *o = (uint8_t *)out; for (size_t k = 0; k < n; k += step) o[k] = (uint8_t)(255 - o[k]); }
    else { uint16_t *o = (uint16_t *)out; for (size_t k = 0; k < n; k += step) o[k] = (uint16_t)(65535 - o[k]); }
  }
  return 0;
}
