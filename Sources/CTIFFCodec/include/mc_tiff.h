#ifndef MC_TIFF_H
#define MC_TIFF_H
// TIFF reading through libtiff, from bytes in memory. libtiff reports errors
// through global handlers; this layer collects them per call and returns
// them as text.
#include <stddef.h>
#include <stdint.h>

/// What a TIFF page holds.
typedef struct {
  int width, height;
  /// Samples per pixel after reading: 1 (gray), 2 (gray + alpha), 3 (RGB), 4 (RGBA).
  int samples;
  /// 8 or 16.
  int bits;
  /// Pages (directories) in the file.
  int pages;
} mc_tiff_info;

/// Reads the header of page `page` (0-based). Returns 0, or -1 with err set.
int mc_tiff_header(const uint8_t *bytes, size_t count, int page, mc_tiff_info *info, char *err, size_t errlen);

/// Decodes page `page` into `out`: width * height * samples values, uint8 or
/// uint16 (host order) by `info.bits`, interleaved, MinIsWhite inverted.
/// `out_bytes` must be at least width * height * samples * bits / 8.
/// Returns 0, or -1 with err set.
int mc_tiff_decode(const uint8_t *bytes, size_t count, int page, void *out, size_t out_bytes, char *err,
                   size_t errlen);

#endif
