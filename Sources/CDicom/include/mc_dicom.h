#ifndef MC_DICOM_H
#define MC_DICOM_H
// A flat C API over GDCM (Debian's libgdcm, BSD licence), so that Swift never
// sees C++: an opaque handle per file, plain structs, and an error buffer that
// every call fills in when it fails.
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What mc_dicom_open found.
typedef enum {
  MC_DICOM_OK = 0,
  /// Not a DICOM file at all (no preamble and no parsable data set).
  MC_DICOM_NOT_DICOM = 1,
  /// A valid DICOM file without Pixel Data: a report, an RT plan, a DICOMDIR.
  MC_DICOM_NO_PIXELS = 2,
  /// DICOM, but the image part is broken or of a kind that cannot be read.
  MC_DICOM_CORRUPT = 3,
} mc_dicom_status;

/// One parsed file (opaque): its bytes, its header, and GDCM's image reader when needed.
typedef struct mc_dicom mc_dicom;

/// The image attributes read from the header, before any pixel is decoded.
typedef struct {
  int rows, columns, frames, samples_per_pixel;
  int bits_allocated, bits_stored, high_bit, pixel_representation;
  int planar_configuration;
  /// The value of (0028,0004), e.g. "MONOCHROME1", "YBR_FULL_422".
  char photometric[32];
  char transfer_syntax[68];
  /// True when the transfer syntax is encapsulated (compressed) pixel data.
  int compressed;
} mc_dicom_info;

/// Parses a file's bytes (the pixel data stays encoded; a copy is kept while
/// the handle lives). On failure *out is NULL and err holds the reason.
mc_dicom_status mc_dicom_open_bytes(const uint8_t *bytes, size_t count, mc_dicom **out, mc_dicom_info *info,
                                    char *err, size_t errlen);
/// Frees a handle from mc_dicom_open_bytes.
void mc_dicom_close(mc_dicom *h);

/// The Patient ID (0010,0020) from the start of a file, read without the
/// pixel data: 1 with the value in buf, 0 when the header has none, -1 when
/// `bytes` ends before the header does (give more) or is not DICOM.
int mc_dicom_patient_id(const uint8_t *bytes, size_t count, char *buf, size_t len);

/// A top-level attribute as text (numbers as decimal, several values joined
/// by '\\'), trailing spaces removed. Returns the length, or -1 when absent.
int mc_dicom_string(mc_dicom *h, uint16_t group, uint16_t element, char *buf, size_t len);

/// A lookup table: the first item of the sequence `seq` (0x00283000 Modality
/// LUT, 0x00283010 VOI LUT), or, with seq 0, the palette table of channel
/// `channel` (0 red, 1 green, 2 blue; segmented palettes expanded).
/// descriptor gets (entries, first mapped value, bits per entry); data gets up
/// to `cap` entries. Returns the entry count, -1 when there is no table, or
/// -2 with err set when the table is malformed.
int mc_dicom_lut(mc_dicom *h, uint32_t seq, int channel, int32_t descriptor[3], uint16_t *data, size_t cap,
                 char *err, size_t errlen);

/// Decodes frame `frame` (0-based) to stored values, interleaved
/// (row, column, sample), sign-extended from bits stored and with any bits
/// above it cleared. `out` holds rows * columns * samples values. A JPEG whose
/// decoder already turned YBR into RGB says so in *photometric_out.
/// Returns 0, or -1 with err set.
int mc_dicom_decode(mc_dicom *h, int frame, int32_t *out, char *photometric_out, size_t photometric_len,
                    char *err, size_t errlen);

/// One attribute the writer puts into a new file: a tag, its VR ("CS", "DS", ...)
/// and the text value (several values joined by '\\').
typedef struct {
  uint16_t group, element;
  const char *vr;
  const char *value;
} mc_dicom_attribute;

/// Encodes a single-frame image as a DICOM file in memory: *out (malloc'ed,
/// release with mc_dicom_free) gets *out_len bytes, which the caller writes
/// where it likes (MedAug: atomically). `pixels` holds rows * columns * samples values
/// (uint8 when bits_allocated is 8, else uint16 holding the bit pattern),
/// interleaved. `transfer_syntax` is the UID to encode with (GDCM's encoders:
/// uncompressed, deflated, RLE, JPEG lossless, JPEG-LS, JPEG 2000). voi_lut,
/// when not NULL, adds a VOI LUT Sequence with voi_count 16-bit entries that
/// starts at voi_first. Returns 0, or -1 with err set.
int mc_dicom_encode(uint8_t **out, size_t *out_len, int rows, int columns, int samples, int bits_allocated, int bits_stored,
                   int pixel_representation, const char *photometric, const void *pixels,
                   const char *transfer_syntax, const mc_dicom_attribute *attributes, size_t attribute_count,
                   const uint16_t *voi_lut, size_t voi_count, int voi_first, int voi_bits,
                   char *err, size_t errlen);

/// Frees the bytes of mc_dicom_encode.
void mc_dicom_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
