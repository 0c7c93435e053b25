// Reading DICOM through GDCM. GDCM decodes every transfer syntax MedAug
// accepts (its own IJG builds for 8/12/16-bit JPEG, CharLS for JPEG-LS,
// OpenJPEG for JPEG 2000, and RLE and deflate itself); this file only turns
// its C++ objects into the flat values of mc_dicom.h and never lets an
// exception cross into Swift.
#include "mc_dicom.h"
#include <cstdio>
#include <jpeglib.h>

#include <gdcmImageReader.h>
#include <gdcmReader.h>
#include <gdcmImage.h>
#include <gdcmStringFilter.h>
#include <gdcmSequenceOfItems.h>
#include <gdcmLookupTable.h>
#include <gdcmTransferSyntax.h>
#include <gdcmSequenceOfFragments.h>

#include <gdcmTrace.h>

#include <algorithm>
#include <csetjmp>
#include <setjmp.h>
#include <csignal>
#include <set>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <fcntl.h>
#include <unistd.h>
#include <sstream>
#include <string>
#include <vector>

// Where the Pixel Data element's value lies in the file's bytes, found
// without GDCM; for encapsulated data, its items (offset, length), the
// Basic Offset Table first.
struct PixelLocation {
  bool found = false;
  bool encapsulated = false;
  size_t valueStart = 0;
  uint64_t length = 0;
  std::vector<std::pair<size_t, size_t>> items;
};

struct mc_dicom {
  // The header up to Pixel Data, always read; the image reader only for the
  // transfer syntaxes and colour models that need GDCM's codecs.
  gdcm::Reader plain;
  gdcm::ImageReader reader;
  bool fast = false;
  PixelLocation pixels;
  std::string bytes;  // kept alive for mc_dicom_open_bytes
  mc_dicom_info info{};
  // GDCM decodes every frame at once: kept, so that reading the frames one
  // by one (`--frames all`) decodes the file once, not once per frame.
  std::vector<char> decoded;
  unsigned long decodedLength = 0;

  const gdcm::File &file() const { return fast ? plain.GetFile() : reader.GetFile(); }
};

namespace {

// Debian builds GDCM with assertions on, and a few malformed files (a
// DICOMDIR without offsets, an RT dose without Number of Frames) trip one:
// assert() then calls abort(). A bad file must be an error, never a crash,
// so every call into GDCM runs under a SIGABRT handler that jumps back to
// the call (leaking that file's half-built objects); an abort anywhere else
// goes on to the handler that was there before.
thread_local sigjmp_buf *abortJump = nullptr;
struct sigaction previousAbort;

void onAbort(int sig, siginfo_t *info, void *context) {
  if (abortJump) siglongjmp(*abortJump, 1);
  if (previousAbort.sa_flags & SA_SIGINFO) {
    if (previousAbort.sa_sigaction) { previousAbort.sa_sigaction(sig, info, context); return; }
  } else if (previousAbort.sa_handler != SIG_DFL && previousAbort.sa_handler != SIG_IGN) {
    previousAbort.sa_handler(sig);
    return;
  }
  signal(SIGABRT, SIG_DFL);
  raise(SIGABRT);
}

void installAbortGuard() {
  static const bool done = [] {
    struct sigaction act {};
    act.sa_sigaction = onAbort;
    act.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&act.sa_mask);
    sigaction(SIGABRT, &act, &previousAbort);
    return true;
  }();
  (void)done;
}

// The JPEG and JPEG 2000 libraries inside GDCM print their complaints to
// stderr themselves ("Unsupported JPEG data precision 12" while GDCM tries
// its 8-bit decoder first, OpenJPEG's marker warnings), which would bury
// MedAug's own messages. Standard error points at /dev/null while any thread
// is inside GDCM; what GDCM means is reported through its return values.
std::mutex quietLock;
int quietDepth = 0;
int savedStderr = -1;

struct QuietStderr {
  QuietStderr() {
    std::lock_guard<std::mutex> hold(quietLock);
    if (quietDepth++ == 0) {
      std::fflush(stderr);
      int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
      if (null >= 0) {
        savedStderr = dup(2);
        if (savedStderr >= 0) dup2(null, 2);
        close(null);
      }
    }
  }
  ~QuietStderr() {
    std::lock_guard<std::mutex> hold(quietLock);
    if (--quietDepth == 0 && savedStderr >= 0) {
      std::fflush(stderr);
      dup2(savedStderr, 2);
      close(savedStderr);
      savedStderr = -1;
    }
  }
};

// Runs `body` with the guard; returns false when GDCM aborted.
template <typename F> bool guarded(F &&body) {
  installAbortGuard();
  QuietStderr quiet;
  sigjmp_buf here;
  sigjmp_buf *outer = abortJump;
  if (sigsetjmp(here, 1) != 0) {
    abortJump = outer;
    return false;
  }
  abortJump = &here;
  body();
  abortJump = outer;
  return true;
}

// GDCM writes warnings to stderr by default; MedAug reports problems itself.
void quietGDCM() {
  static const bool done = [] {
    gdcm::Trace::SetWarning(false);
    gdcm::Trace::SetError(false);
    gdcm::Trace::SetDebug(false);
    return true;
  }();
  (void)done;
}

void fail(char *err, size_t len, const std::string &message) {
  if (err && len) std::snprintf(err, len, "%s", message.c_str());
}

void copy(char *dst, size_t len, const std::string &src) {
  std::snprintf(dst, len, "%s", src.c_str());
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  size_t start = 0;
  while (start < s.size() && s[start] == ' ') ++start;
  return s.substr(start);
}

bool bigEndian(const gdcm::File &file) {
  return file.GetHeader().GetDataSetTransferSyntax().GetSwapCode() == gdcm::SwapCode::BigEndian;
}

// GDCM asserts (aborting the process) on some malformed headers, and pads
// truncated native pixel data with zeros; a first pass with the plain reader,
// stopping at Pixel Data, catches both before the image reader runs.
mc_dicom_status precheck(const std::string &bytes, gdcm::Reader &plain, PixelLocation &where, char *err,
                         size_t errlen) {
  std::istringstream stream(bytes);
  plain.SetStream(stream);
  std::set<gdcm::Tag> skip{gdcm::Tag(0x7fe0, 0x0010)};
  if (!plain.ReadUpToTag(gdcm::Tag(0x7fe0, 0x0010), skip)) {
    fail(err, errlen, "not a DICOM file (no DICM preamble and no readable data set)");
    return MC_DICOM_NOT_DICOM;
  }
  const gdcm::DataSet &ds = plain.GetFile().GetDataSet();
  if (ds.FindDataElement(gdcm::Tag(0x0028, 0x0009)) && !ds.FindDataElement(gdcm::Tag(0x0028, 0x0008))) {
    fail(err, errlen, "Frame Increment Pointer (0028,0009) without Number of Frames (0028,0008)");
    return MC_DICOM_CORRUPT;
  }
  // Find the Pixel Data element header at or just before where the reader stopped.
  size_t pos = plain.GetStreamCurrentPosition();
  bool big = bigEndian(plain.GetFile());
  const unsigned char le[4] = {0xE0, 0x7F, 0x10, 0x00}, be[4] = {0x7F, 0xE0, 0x00, 0x10};
  const unsigned char *tag = big ? be : le;
  size_t from = pos > 16 ? pos - 16 : 0, to = std::min(bytes.size(), pos + 16);
  size_t at = std::string::npos;
  for (size_t k = from; k + 4 <= to; ++k)
    if (std::memcmp(bytes.data() + k, tag, 4) == 0 &&
        (at == std::string::npos || (k > pos ? k - pos : pos - k) < (at > pos ? at - pos : pos - at)))
      at = k;
  if (at == std::string::npos || at + 8 > bytes.size()) {
    // Deflated data sets hide the element; a reader that stopped at the end found none.
    // Some writers mix VR encodings so that the reader loses its place: let
    // the image reader decide whenever the tag's bytes occur at all.
    if (ds.FindDataElement(gdcm::Tag(0x7fe0, 0x0010)) || pos < bytes.size() ||
        std::search(bytes.begin(), bytes.end(), tag, tag + 4) != bytes.end())
      return MC_DICOM_OK;
    fail(err, errlen, "a DICOM file without pixel data");
    return MC_DICOM_NO_PIXELS;
  }
  auto u32 = [&](size_t k) -> uint64_t {
    const unsigned char *p = reinterpret_cast<const unsigned char *>(bytes.data()) + k;
    return big ? (uint64_t(p[0]) << 24 | uint64_t(p[1]) << 16 | uint64_t(p[2]) << 8 | p[3])
               : (uint64_t(p[3]) << 24 | uint64_t(p[2]) << 16 | uint64_t(p[1]) << 8 | p[0]);
  };
  bool explicitVR = plain.GetFile().GetHeader().GetDataSetTransferSyntax().IsExplicit() &&
                    (bytes.compare(at + 4, 2, "OB") == 0 || bytes.compare(at + 4, 2, "OW") == 0);
  size_t header = explicitVR ? 12 : 8;
  if (at + header > bytes.size()) {
    fail(err, errlen, "the file ends inside the Pixel Data header");
    return MC_DICOM_CORRUPT;
  }
  uint64_t length = u32(at + header - 4);
  where.found = true;
  where.valueStart = at + header;
  where.length = length;
  where.encapsulated = length == 0xFFFFFFFFull;
  if (length != 0xFFFFFFFFull && at + header + length > bytes.size()) {
    fail(err, errlen, "pixel data is truncated: " + std::to_string(bytes.size() - at - header) + " of " +
                          std::to_string(length) + " bytes present");
    return MC_DICOM_CORRUPT;
  }
  if (length == 0xFFFFFFFFull) {
    // Encapsulated: items (FFFE,E000) each with a length, ended by (FFFE,E0DD).
    // A file cut inside them would otherwise decode partly, without error.
    size_t k = at + header;
    auto u16 = [&](size_t q) -> unsigned {
      const unsigned char *p = reinterpret_cast<const unsigned char *>(bytes.data()) + q;
      return big ? (unsigned(p[0]) << 8 | p[1]) : (unsigned(p[1]) << 8 | p[0]);
    };
    while (true) {
      if (k + 8 > bytes.size()) {
        fail(err, errlen, "compressed pixel data is truncated: the file ends before its closing delimiter");
        return MC_DICOM_CORRUPT;
      }
      unsigned group = u16(k), element = u16(k + 2);
      uint64_t itemLength = u32(k + 4);
      if (group == 0xFFFE && element == 0xE0DD) break;
      if (group != 0xFFFE || element != 0xE000) {
        fail(err, errlen, "compressed pixel data is damaged: an item tag is missing where a fragment should start");
        return MC_DICOM_CORRUPT;
      }
      if (k + 8 + itemLength > bytes.size()) {
        fail(err, errlen, "compressed pixel data is truncated: a fragment of " + std::to_string(itemLength) +
                              " bytes has only " + std::to_string(bytes.size() - k - 8) + " in the file");
        return MC_DICOM_CORRUPT;
      }
      where.items.emplace_back(k + 8, size_t(itemLength));
      k += 8 + itemLength;
    }
  }
  return MC_DICOM_OK;
}

// Reads an unsigned short attribute of the data set in its byte order.
bool readUS(const gdcm::DataSet &ds, uint16_t g, uint16_t e, bool big, int &out) {
  gdcm::Tag tag(g, e);
  if (!ds.FindDataElement(tag)) return false;
  const gdcm::ByteValue *bv = ds.GetDataElement(tag).GetByteValue();
  if (!bv || bv->GetLength() < 2) return false;
  const unsigned char *p = reinterpret_cast<const unsigned char *>(bv->GetPointer());
  out = big ? (p[0] << 8 | p[1]) : (p[1] << 8 | p[0]);
  return true;
}

std::string readText(const gdcm::DataSet &ds, uint16_t g, uint16_t e) {
  gdcm::Tag tag(g, e);
  if (!ds.FindDataElement(tag)) return "";
  const gdcm::ByteValue *bv = ds.GetDataElement(tag).GetByteValue();
  return bv ? trimmed(std::string(bv->GetPointer(), bv->GetLength())) : "";
}

// The common files (uncompressed, RLE or 8-bit JPEG; grayscale, RGB or YBR)
// are described from the header and decoded here, without GDCM's image
// reader, which parses the whole file again and, for RLE, decodes it once
// more just to look. Everything else goes through GDCM.
bool describeFast(mc_dicom *h) {
  const PixelLocation &where = h->pixels;
  if (!where.found) return false;
  const gdcm::File &file = h->plain.GetFile();
  const gdcm::DataSet &ds = file.GetDataSet();
  gdcm::TransferSyntax ts = file.GetHeader().GetDataSetTransferSyntax();
  bool big = ts.GetSwapCode() == gdcm::SwapCode::BigEndian;
  std::string uid = ts.GetString() ? trimmed(ts.GetString()) : "";
  bool native = uid == "1.2.840.10008.1.2" || uid == "1.2.840.10008.1.2.1" || uid == "1.2.840.10008.1.2.2";
  bool rle = uid == "1.2.840.10008.1.2.5";
  bool jpeg = uid == "1.2.840.10008.1.2.4.50" || uid == "1.2.840.10008.1.2.4.51";
  if (!native && !rle && !jpeg) return false;
  if (native == where.encapsulated) return false;
  mc_dicom_info i{};
  int spp = 0, rows = 0, columns = 0, allocated = 0;
  if (!readUS(ds, 0x0028, 0x0002, big, spp) || !readUS(ds, 0x0028, 0x0010, big, rows) ||
      !readUS(ds, 0x0028, 0x0011, big, columns) || !readUS(ds, 0x0028, 0x0100, big, allocated))
    return false;
  int stored = allocated, high = -1, representation = 0, planar = 0;
  readUS(ds, 0x0028, 0x0101, big, stored);
  readUS(ds, 0x0028, 0x0102, big, high);
  readUS(ds, 0x0028, 0x0103, big, representation);
  readUS(ds, 0x0028, 0x0006, big, planar);
  if (high < 0) high = stored - 1;
  std::string pi = readText(ds, 0x0028, 0x0004);
  bool gray = pi == "MONOCHROME1" || pi == "MONOCHROME2";
  bool color = pi == "RGB" || pi == "YBR_FULL" || pi == "YBR_FULL_422";
  if (!(gray && spp == 1) && !(color && spp == 3)) return false;
  if (allocated != 8 && allocated != 16) return false;
  if (stored < 1 || stored > allocated || high < stored - 1 || high >= allocated) return false;
  if (jpeg && (allocated != 8 || stored != 8)) return false;
  // Big-endian OW holds 8-bit samples swapped in pairs: GDCM knows how.
  if (big && allocated == 8) return false;
  // Odd widths pair chroma across rows in YBR_FULL_422: left to GDCM.
  if (pi == "YBR_FULL_422" && (columns % 2) != 0) return false;
  if (rows <= 0 || columns <= 0) return false;
  std::string framesText = readText(ds, 0x0028, 0x0008);
  long frames = framesText.empty() ? 1 : std::strtol(framesText.c_str(), nullptr, 10);
  if (frames < 1 || frames > 1000000) return false;
  if (native) {
    uint64_t samples = pi == "YBR_FULL_422" ? 2 : uint64_t(spp);
    uint64_t need = uint64_t(rows) * uint64_t(columns) * samples * uint64_t(allocated / 8) * uint64_t(frames);
    if (where.length < need) return false;  // GDCM's reader words the complaint
  } else if (where.items.size() < 2) {
    return false;
  } else if (jpeg && frames > 1 && where.items.size() - 1 != size_t(frames)) {
    return false;  // several fragments per frame: GDCM reads the offset table
  }
  i.rows = rows;
  i.columns = columns;
  i.frames = int(frames);
  i.samples_per_pixel = spp;
  i.bits_allocated = allocated;
  i.bits_stored = stored;
  i.high_bit = high;
  i.pixel_representation = representation;
  i.planar_configuration = planar;
  copy(i.photometric, sizeof i.photometric, pi);
  copy(i.transfer_syntax, sizeof i.transfer_syntax, uid);
  i.compressed = native ? 0 : 1;
  h->info = i;
  h->fast = true;
  return true;
}

mc_dicom_status openWith(mc_dicom *h, char *err, size_t errlen) {
  mc_dicom_status pre = precheck(h->bytes, h->plain, h->pixels, err, errlen);
  if (pre != MC_DICOM_OK) return pre;
  if (describeFast(h)) return MC_DICOM_OK;
  std::istringstream stream(h->bytes);
  h->reader.SetStream(stream);
  if (!h->reader.Read()) {
    const unsigned char tag[4] = {0xE0, 0x7F, 0x10, 0x00};
    if (!h->reader.GetFile().GetDataSet().FindDataElement(gdcm::Tag(0x7fe0, 0x0010)) &&
        std::search(h->bytes.begin(), h->bytes.end(), tag, tag + 4) == h->bytes.end()) {
      fail(err, errlen, "a DICOM file without pixel data");
      return MC_DICOM_NO_PIXELS;
    }
    fail(err, errlen, "DICOM pixel data that GDCM cannot parse (damaged header or unsupported encoding)");
    return MC_DICOM_CORRUPT;
  }
  const gdcm::Image &img = h->reader.GetImage();
  if (img.GetNumberOfDimensions() < 2) {
    fail(err, errlen, "DICOM pixel data without rows and columns");
    return MC_DICOM_CORRUPT;
  }
  const gdcm::PixelFormat &pf = img.GetPixelFormat();
  mc_dicom_info &i = h->info;
  i.columns = (int)img.GetDimension(0);
  i.rows = (int)img.GetDimension(1);
  i.frames = img.GetNumberOfDimensions() > 2 ? (int)img.GetDimension(2) : 1;
  i.samples_per_pixel = pf.GetSamplesPerPixel();
  i.bits_allocated = pf.GetBitsAllocated();
  i.bits_stored = pf.GetBitsStored();
  i.high_bit = pf.GetHighBit();
  i.pixel_representation = pf.GetPixelRepresentation();
  i.planar_configuration = (int)img.GetPlanarConfiguration();
  copy(i.photometric, sizeof i.photometric, trimmed(img.GetPhotometricInterpretation().GetString() ?
                                                    img.GetPhotometricInterpretation().GetString() : ""));
  const gdcm::TransferSyntax &ts = img.GetTransferSyntax();
  copy(i.transfer_syntax, sizeof i.transfer_syntax, trimmed(ts.GetString() ? ts.GetString() : ""));
  i.compressed = ts.IsEncapsulated() ? 1 : 0;
  return MC_DICOM_OK;
}

// The fragments of encapsulated pixel data (the Basic Offset Table left out).
using Fragments = std::vector<std::pair<const unsigned char *, size_t>>;

Fragments fragmentsOf(const mc_dicom *h) {
  Fragments out;
  const auto &items = h->pixels.items;
  const unsigned char *base = reinterpret_cast<const unsigned char *>(h->bytes.data());
  for (size_t k = 1; k < items.size(); ++k) out.emplace_back(base + items[k].first, items[k].second);
  return out;
}

// DICOM RLE (PS3.5 Annex G), decoded here rather than by GDCM, whose
// decoder scrambles the byte segments of 16-bit colour: one fragment per
// frame, a 64-byte header of segment offsets, one PackBits segment per byte
// of each sample (most significant first). Writes the frame little-endian
// and interleaved into `out` (frameBytes long).
bool decodeRLEFrame(const Fragments &fragments, const mc_dicom_info &i, int frame, unsigned char *out,
                    size_t frameBytes, std::string &why) {
  if (fragments.size() < size_t(i.frames)) {
    why = "RLE pixel data with fewer fragments than frames";
    return false;
  }
  const unsigned char *data = fragments[size_t(frame)].first;
  size_t length = fragments[size_t(frame)].second;
  if (length < 64) { why = "an RLE fragment without its 64-byte header"; return false; }
  auto u32 = [&](size_t k) { return uint32_t(data[k]) | uint32_t(data[k + 1]) << 8 | uint32_t(data[k + 2]) << 16 | uint32_t(data[k + 3]) << 24; };
  size_t bytesPerSample = size_t(i.bits_allocated / 8), spp = size_t(i.samples_per_pixel);
  size_t segments = u32(0), pixels = size_t(i.rows) * size_t(i.columns);
  if (segments != bytesPerSample * spp || segments > 15) {
    why = "an RLE header with " + std::to_string(segments) + " segments where " + std::to_string(bytesPerSample * spp) + " are needed";
    return false;
  }
  std::vector<unsigned char> plane(pixels);
  for (size_t seg = 0; seg < segments; ++seg) {
    size_t start = u32(4 + 4 * seg), end = seg + 1 < segments ? u32(8 + 4 * seg) : length;
    if (start < 64 || start > end || end > length) { why = "an RLE segment offset outside its fragment"; return false; }
    size_t k = start, o = 0;
    while (o < pixels && k < end) {
      int8_t n = int8_t(data[k++]);
      if (n >= 0) {
        size_t run = size_t(n) + 1;
        if (k + run > end) run = end - k;
        run = std::min(run, pixels - o);
        std::memcpy(plane.data() + o, data + k, run);
        k += size_t(n) + 1;
        o += run;
      } else if (n != -128) {
        if (k >= end) break;
        size_t run = std::min(size_t(1 - n), pixels - o);
        std::memset(plane.data() + o, data[k++], run);
        o += run;
      }
    }
    if (o < pixels) { why = "an RLE segment that ends early (truncated or damaged data)"; return false; }
    size_t sample = seg / bytesPerSample, byteInSample = bytesPerSample - 1 - seg % bytesPerSample;
    for (size_t p = 0; p < pixels; ++p) out[(p * spp + sample) * bytesPerSample + byteInSample] = plane[p];
  }
  (void)frameBytes;
  return true;
}

struct JPEGError {
  jpeg_error_mgr base;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void onJPEGError(j_common_ptr cinfo) {
  JPEGError *e = reinterpret_cast<JPEGError *>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, e->message);
  longjmp(e->jump, 1);
}

void onJPEGMessage(j_common_ptr, int) {}

// Decodes one 8-bit JPEG stream with libjpeg-turbo into `out` (RGB or gray,
// the library's own colour conversion); returns an error text or nullptr.
// No C++ object lives across the setjmp: `out` is sized before it.
const char *jpeg8Decode(const unsigned char *data, size_t size, int width, int height, bool storedRGB,
                        std::vector<char> &out, int &channels) {
  static thread_local char failure[JMSG_LENGTH_MAX + 64];
  jpeg_decompress_struct cinfo;
  JPEGError error;
  cinfo.err = jpeg_std_error(&error.base);
  error.base.error_exit = onJPEGError;
  error.base.emit_message = onJPEGMessage;
  out.assign(size_t(width) * size_t(height) * 3, 0);
  char *pixels = out.data();
  if (setjmp(error.jump)) {
    std::snprintf(failure, sizeof failure, "%s", error.message);
    jpeg_destroy_decompress(&cinfo);
    return failure;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, (unsigned long)size);
  jpeg_read_header(&cinfo, TRUE);
  // A stream without JFIF or Adobe markers says nothing of its colour
  // space, and libjpeg guesses YCbCr; DICOM's Photometric Interpretation
  // RGB then means the samples were stored untransformed (as pydicom reads it).
  if (storedRGB && cinfo.num_components == 3 && !cinfo.saw_JFIF_marker && !cinfo.saw_Adobe_marker)
    cinfo.jpeg_color_space = JCS_RGB;
  cinfo.out_color_space = cinfo.jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(&cinfo);
  if (int(cinfo.output_width) != width || int(cinfo.output_height) != height) {
    std::snprintf(failure, sizeof failure, "the JPEG stream is %ux%u where the DICOM header says %dx%d",
                  cinfo.output_width, cinfo.output_height, width, height);
    jpeg_destroy_decompress(&cinfo);
    return failure;
  }
  channels = int(cinfo.output_components);
  size_t stride = size_t(width) * size_t(channels);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = reinterpret_cast<JSAMPROW>(pixels + size_t(cinfo.output_scanline) * stride);
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return nullptr;
}

// 8-bit JPEG (baseline and extended) goes to libjpeg-turbo, which MedAug
// links for .jpg files anyway: its SIMD decoder is several times faster
// than the IJG 6b copy inside GDCM, and like pydicom's decoders it turns
// YCbCr into RGB itself (or not, as the stream's markers say).
// Returns 1 when decoded, 0 when this frame is not for it, -1 on error.
int decodeJPEG8Frame(const Fragments &parts, const mc_dicom_info &i, int frame, std::vector<char> &out,
                     int &channels, std::string &why) {
  if (parts.empty()) return 0;
  std::string stream;
  size_t fragments = parts.size();
  if (fragments == size_t(i.frames)) {
    stream.assign(reinterpret_cast<const char *>(parts[size_t(frame)].first), parts[size_t(frame)].second);
  } else if (i.frames == 1) {
    for (const auto &f : parts) stream.append(reinterpret_cast<const char *>(f.first), f.second);
  } else {
    return 0;  // several fragments per frame: GDCM knows the offset table
  }
  const char *message = jpeg8Decode(reinterpret_cast<const unsigned char *>(stream.data()), stream.size(),
                                    i.columns, i.rows, std::strcmp(i.photometric, "RGB") == 0, out, channels);
  if (message) {
    why = message;
    return -1;
  }
  return 1;
}

int32_t storedValue(uint32_t raw, const mc_dicom_info &i) {
  int shift = i.high_bit + 1 - i.bits_stored;
  if (shift > 0 && shift < 32) raw >>= shift;
  if (i.bits_stored < 32) {
    raw &= (uint32_t(1) << i.bits_stored) - 1;
    if (i.pixel_representation == 1 && (raw >> (i.bits_stored - 1)) & 1) raw |= ~((uint32_t(1) << i.bits_stored) - 1);
  }
  return (int32_t)raw;
}

}  // namespace

extern "C" mc_dicom_status mc_dicom_open_bytes(const uint8_t *bytes, size_t count, mc_dicom **out,
                                               mc_dicom_info *info, char *err, size_t errlen) {
  *out = nullptr;
  try {
    quietGDCM();
    auto h = std::make_unique<mc_dicom>();
    h->bytes.assign(reinterpret_cast<const char *>(bytes), count);
    mc_dicom_status s = MC_DICOM_CORRUPT;
    mc_dicom *raw = h.get();
    if (!guarded([&] { s = openWith(raw, err, errlen); })) {
      (void)h.release();  // its state is unknown after the jump: leak it rather than destroy it
      fail(err, errlen, "GDCM rejected the file as malformed (an internal consistency check failed)");
      return MC_DICOM_CORRUPT;
    }
    if (s != MC_DICOM_OK) return s;
    *info = h->info;
    *out = h.release();
    return MC_DICOM_OK;
  } catch (const std::exception &e) {
    fail(err, errlen, std::string("GDCM failed: ") + e.what());
  } catch (...) {
    fail(err, errlen, "GDCM failed");
  }
  return MC_DICOM_CORRUPT;
}

extern "C" void mc_dicom_close(mc_dicom *h) { delete h; }

extern "C" int mc_dicom_patient_id(const uint8_t *bytes, size_t count, char *buf, size_t len) {
  int result = -1;
  quietGDCM();
  guarded([&] {
    try {
      std::string data(reinterpret_cast<const char *>(bytes), count);
      std::istringstream stream(data);
      gdcm::Reader reader;
      reader.SetStream(stream);
      std::set<gdcm::Tag> skip;
      // Stops after (0010,0020); a header cut short by `count` fails or ends without it.
      bool ok = reader.ReadUpToTag(gdcm::Tag(0x0010, 0x0021), skip);
      const gdcm::DataSet &ds = reader.GetFile().GetDataSet();
      gdcm::Tag tag(0x0010, 0x0020);
      if (ok && ds.FindDataElement(tag)) {
        const gdcm::ByteValue *bv = ds.GetDataElement(tag).GetByteValue();
        std::string value = bv ? trimmed(std::string(bv->GetPointer(), bv->GetLength())) : "";
        if (buf && len) std::snprintf(buf, len, "%s", value.c_str());
        result = value.empty() ? 0 : 1;
        return;
      }
      // Past the patient group with the stream still going: the header has no Patient ID.
      if (ok && reader.GetStreamCurrentPosition() < count) result = 0;
    } catch (...) {
      result = -1;
    }
  });
  return result;
}

int stringValue(mc_dicom *h, uint16_t group, uint16_t element, char *buf, size_t len);
int lookupTable(mc_dicom *h, uint32_t seq, int channel, int32_t descriptor[3], uint16_t *data, size_t cap,
                char *err, size_t errlen);

extern "C" int mc_dicom_string(mc_dicom *h, uint16_t group, uint16_t element, char *buf, size_t len) {
  int result = -1;
  if (!guarded([&] { result = stringValue(h, group, element, buf, len); })) return -1;
  return result;
}

int stringValue(mc_dicom *h, uint16_t group, uint16_t element, char *buf, size_t len) {
  try {
    const gdcm::File &file = h->file();
    const gdcm::DataSet &ds = file.GetDataSet();
    gdcm::Tag tag(group, element);
    std::string value;
    if (group == 0x0002) {
      const gdcm::FileMetaInformation &meta = file.GetHeader();
      if (!meta.FindDataElement(tag)) return -1;
      const gdcm::ByteValue *bv = meta.GetDataElement(tag).GetByteValue();
      if (!bv) return -1;
      value.assign(bv->GetPointer(), bv->GetLength());
    } else {
      if (!ds.FindDataElement(tag)) return -1;
      if (ds.GetDataElement(tag).IsEmpty()) return -1;
      gdcm::StringFilter sf;
      sf.SetFile(file);
      value = sf.ToString(tag);
    }
    value = trimmed(value);
    if (buf && len) std::snprintf(buf, len, "%s", value.c_str());
    return (int)value.size();
  } catch (...) {
    return -1;
  }
}

extern "C" int mc_dicom_lut(mc_dicom *h, uint32_t seq, int channel, int32_t descriptor[3], uint16_t *data,
                            size_t cap, char *err, size_t errlen) {
  int result = -2;
  if (!guarded([&] { result = lookupTable(h, seq, channel, descriptor, data, cap, err, errlen); })) {
    fail(err, errlen, "GDCM rejected a lookup table as malformed");
    return -2;
  }
  return result;
}

int lookupTable(mc_dicom *h, uint32_t seq, int channel, int32_t descriptor[3], uint16_t *data, size_t cap,
                char *err, size_t errlen) {
  try {
    const gdcm::File &file = h->file();
    bool swap = bigEndian(file);
    auto word = [&](const char *p) -> uint16_t {
      uint8_t a = (uint8_t)p[0], b = (uint8_t)p[1];
      return swap ? uint16_t(a << 8 | b) : uint16_t(b << 8 | a);
    };
    if (seq == 0) {
      if (h->fast) return -1;
      const gdcm::LookupTable &lut = h->reader.GetImage().GetLUT();
      if (lut.Initialized() == false) return -1;
      gdcm::LookupTable::LookupTableType type = channel == 0 ? gdcm::LookupTable::RED
                                              : channel == 1 ? gdcm::LookupTable::GREEN : gdcm::LookupTable::BLUE;
      unsigned short length = 0, subscript = 0, bitsize = 0;
      lut.GetLUTDescriptor(type, length, subscript, bitsize);
      unsigned int entries = length == 0 ? 65536u : length;
      std::vector<unsigned char> raw(entries * 2 + 16);
      unsigned int got = 0;
      lut.GetLUT(type, raw.data(), got);
      descriptor[0] = (int32_t)entries;
      descriptor[1] = (int32_t)subscript;
      descriptor[2] = (int32_t)bitsize;
      size_t n = std::min<size_t>(entries, cap);
      // GDCM keeps the table in host order: one byte per entry at 8 bits, two at 16.
      // GDCM lays the table out by the pixels' depth, not the table's: two bytes an entry when it returned that many.
      bool words = got >= 2 * entries;
      for (size_t k = 0; k < n; ++k) {
        if (!words) data[k] = k < got ? raw[k] : 0;
        else data[k] = uint16_t(raw[2 * k] | raw[2 * k + 1] << 8);
      }
      return (int)n;
    }
    const gdcm::DataSet &ds = file.GetDataSet();
    gdcm::Tag seqTag(uint16_t(seq >> 16), uint16_t(seq & 0xffff));
    if (!ds.FindDataElement(seqTag)) return -1;
    gdcm::SmartPointer<gdcm::SequenceOfItems> sq = ds.GetDataElement(seqTag).GetValueAsSQ();
    if (!sq || sq->GetNumberOfItems() == 0) return -1;
    const gdcm::DataSet &item = sq->GetItem(1).GetNestedDataSet();
    gdcm::Tag descTag(0x0028, 0x3002), dataTag(0x0028, 0x3006);
    if (!item.FindDataElement(descTag) || !item.FindDataElement(dataTag)) {
      fail(err, errlen, std::string(seq == 0x00283000 ? "Modality" : "VOI") + " LUT Sequence item without LUT Descriptor or LUT Data");
      return -2;
    }
    const gdcm::ByteValue *dv = item.GetDataElement(descTag).GetByteValue();
    const gdcm::ByteValue *lv = item.GetDataElement(dataTag).GetByteValue();
    if (!dv || dv->GetLength() < 6 || !lv) {
      fail(err, errlen, "a malformed LUT Descriptor (it needs three 16-bit values)");
      return -2;
    }
    const char *d = dv->GetPointer();
    uint16_t count = word(d), first = word(d + 2), bits = word(d + 4);
    size_t entries = count == 0 ? 65536 : count;
    descriptor[0] = (int32_t)entries;
    descriptor[1] = (int32_t)first;
    descriptor[2] = (int32_t)bits;
    size_t bytes = lv->GetLength();
    const char *p = lv->GetPointer();
    size_t n = std::min(entries, cap);
    if (bytes >= entries * 2) {
      for (size_t k = 0; k < n; ++k) data[k] = word(p + 2 * k);
    } else if (bytes >= entries) {
      for (size_t k = 0; k < n; ++k) data[k] = (uint8_t)p[k];
    } else {
      fail(err, errlen, "LUT Data holds fewer entries than its descriptor says");
      return -2;
    }
    return (int)n;
  } catch (const std::exception &e) {
    fail(err, errlen, std::string("GDCM failed reading a lookup table: ") + e.what());
    return -2;
  } catch (...) {
    fail(err, errlen, "GDCM failed reading a lookup table");
    return -2;
  }
}

extern "C" int mc_dicom_decode(mc_dicom *h, int frame, int32_t *out, char *photometric_out, size_t photometric_len,
                               char *err, size_t errlen) {
  try {
    const mc_dicom_info &i = h->info;
    if ((i.bits_allocated != 8 && i.bits_allocated != 16) || i.bits_stored < 1 || i.bits_stored > 16) {
      fail(err, errlen, "Bits Allocated " + std::to_string(i.bits_allocated) + " with Bits Stored " +
                            std::to_string(i.bits_stored) + " is not supported (images of 8 or 16 bits allocated, "
                            "1 to 16 stored, are; 1-bit masks and 32-bit dose or parametric maps are not)");
      return -1;
    }
    if (frame < 0 || frame >= i.frames) {
      fail(err, errlen, "frame " + std::to_string(frame) + " is outside 0..." + std::to_string(i.frames - 1));
      return -1;
    }
    bool ybr422 = !i.compressed && std::strcmp(i.photometric, "YBR_FULL_422") == 0 && i.samples_per_pixel == 3;
    if (ybr422 && i.columns % 2 != 0) {
      fail(err, errlen, "YBR_FULL_422 with an odd number of columns (" + std::to_string(i.columns) + ")");
      return -1;
    }
    size_t pixels = size_t(i.rows) * size_t(i.columns);
    size_t bytesPerSample = size_t(i.bits_allocated / 8);
    // Native YBR_FULL_422 stores two luma samples and one chroma pair per two pixels.
    size_t frameSamples = ybr422 ? pixels * 2 : pixels * size_t(i.samples_per_pixel);
    size_t frameBytes = frameSamples * bytesPerSample;
    size_t expected = 0;
    // Whole-file decoding (GDCM's path) holds every frame: refuse what cannot fit.
    const size_t budget = size_t(8) << 30;
    if (__builtin_mul_overflow(frameBytes, size_t(i.frames), &expected) || (!h->fast && expected > budget)) {
      fail(err, errlen, std::to_string(i.frames) + " frames of " + std::to_string(i.rows) + "x" +
                            std::to_string(i.columns) + " pixels are more than MedAug decodes at once (8 GiB)");
      return -1;
    }
    std::string ts(i.transfer_syntax);
    bool rle = ts == "1.2.840.10008.1.2.5" && h->pixels.found;
    bool jpeg8 = (ts == "1.2.840.10008.1.2.4.50" || ts == "1.2.840.10008.1.2.4.51") && i.bits_allocated == 8 &&
                 i.bits_stored == 8 && h->pixels.found;
    bool swapBytes = false;
    std::vector<char> buffer;
    const unsigned char *src = nullptr;
    if (photometric_out) copy(photometric_out, photometric_len, i.photometric);
    if (rle) {
      frameBytes = pixels * size_t(i.samples_per_pixel) * bytesPerSample;
      buffer.assign(frameBytes, 0);
      std::string why;
      bool ok = false;
      Fragments parts = fragmentsOf(h);
      ok = decodeRLEFrame(parts, i, frame, reinterpret_cast<unsigned char *>(buffer.data()), frameBytes, why);
      if (!ok) { fail(err, errlen, "cannot decode the pixel data (RLE Lossless): " + why); return -1; }
      ybr422 = false;
      src = reinterpret_cast<const unsigned char *>(buffer.data());
    } else if (jpeg8) {
      int channels = 0;
      std::string why;
      int rc = -1;
      Fragments parts = fragmentsOf(h);
      if (!guarded([&] { rc = decodeJPEG8Frame(parts, i, frame, buffer, channels, why); })) why = "damaged JPEG data";
      if (rc == 0) why = "several fragments per frame without a usable offset table";
      if (rc <= 0) { fail(err, errlen, "cannot decode the pixel data (JPEG): " + why); return -1; }
      if (channels != i.samples_per_pixel) {
        fail(err, errlen, "the JPEG stream has " + std::to_string(channels) + " components where the header says " +
                              std::to_string(i.samples_per_pixel));
        return -1;
      }
      ybr422 = false;
      if (photometric_out) copy(photometric_out, photometric_len, channels == 3 ? "RGB" : i.photometric);
      src = reinterpret_cast<const unsigned char *>(buffer.data());
    } else if (h->fast && !i.compressed) {
      // Uncompressed: the samples straight from the file's bytes.
      src = reinterpret_cast<const unsigned char *>(h->bytes.data()) + h->pixels.valueStart + frameBytes * size_t(frame);
      swapBytes = bytesPerSample == 2 && bigEndian(h->plain.GetFile());
    } else if (h->fast) {
      fail(err, errlen, "compressed pixel data of a kind this reader did not expect");
      return -1;
    } else {
      const gdcm::Image &img = h->reader.GetImage();
      if (!i.compressed) {
        const gdcm::ByteValue *bv = img.GetDataElement().GetByteValue();
        if (!bv || bv->GetLength() < expected) {
          fail(err, errlen, "pixel data is truncated: " + std::to_string(bv ? (unsigned long)bv->GetLength() : 0ul) +
                                " bytes where " + std::to_string(i.rows) + "x" + std::to_string(i.columns) + "x" +
                                std::to_string(i.frames) + " frames need " + std::to_string(expected));
          return -1;
        }
      }
      if (h->decoded.empty()) {
        unsigned long whole = img.GetBufferLength();
        std::vector<char> all(std::max<unsigned long>(whole, expected), 0);
        bool decoded = false;
        if (!guarded([&] { decoded = img.GetBuffer(all.data()); })) {
          fail(err, errlen, "GDCM rejected the pixel data as malformed (an internal consistency check failed)");
          return -1;
        }
        if (!decoded) {
          fail(err, errlen, std::string("cannot decode the pixel data (") +
                                gdcm::TransferSyntax::GetTSString(img.GetTransferSyntax()) +
                                "): damaged or unsupported compressed data");
          return -1;
        }
        h->decoded.swap(all);
        h->decodedLength = whole;
      }
      unsigned long length = h->decodedLength;
      size_t frameOffset = frameBytes * size_t(frame);
      // GDCM expands native YBR_FULL_422 to one chroma pair per pixel itself.
      if (ybr422 && length >= pixels * 3 * bytesPerSample * size_t(i.frames)) {
        ybr422 = false;
        frameBytes = pixels * 3 * bytesPerSample;
        frameOffset = frameBytes * size_t(frame);
      }
      std::string pi = trimmed(img.GetPhotometricInterpretation().GetString() ?
                               img.GetPhotometricInterpretation().GetString() : "");
      if (photometric_out) copy(photometric_out, photometric_len, pi);
      src = reinterpret_cast<const unsigned char *>(h->decoded.data()) + frameOffset;
    }
    auto raw = [&](size_t k) -> uint32_t {
      const unsigned char *p = src + k * bytesPerSample;
      switch (bytesPerSample) {
        case 1: return p[0];
        case 2: return swapBytes ? (uint32_t(p[1]) | uint32_t(p[0]) << 8) : (uint32_t(p[0]) | uint32_t(p[1]) << 8);
        default: return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
      }
    };
    int spp = i.samples_per_pixel;
    bool planar = i.planar_configuration == 1 && spp > 1 && !i.compressed;
    if (ybr422) {
      for (size_t p = 0; p + 1 < pixels + 1; p += 2) {
        size_t base = p * 2;
        int32_t y0 = storedValue(raw(base), i), y1 = storedValue(raw(base + 1), i);
        int32_t cb = storedValue(raw(base + 2), i), cr = storedValue(raw(base + 3), i);
        out[p * 3] = y0; out[p * 3 + 1] = cb; out[p * 3 + 2] = cr;
        if (p + 1 < pixels) { out[p * 3 + 3] = y1; out[p * 3 + 4] = cb; out[p * 3 + 5] = cr; }
      }
    } else if (planar) {
      for (int c = 0; c < spp; ++c)
        for (size_t p = 0; p < pixels; ++p) out[p * spp + c] = storedValue(raw(size_t(c) * pixels + p), i);
    } else {
      for (size_t k = 0; k < pixels * size_t(spp); ++k) out[k] = storedValue(raw(k), i);
    }
    return 0;
  } catch (const std::exception &e) {
    fail(err, errlen, std::string("GDCM failed decoding: ") + e.what());
  } catch (...) {
    fail(err, errlen, "GDCM failed decoding");
  }
  return -1;
}
