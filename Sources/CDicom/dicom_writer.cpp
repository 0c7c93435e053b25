// Writing DICOM through GDCM, for `medaug synth --format dicom`: a
// single-frame image with the attributes the caller lists, encoded in any
// transfer syntax GDCM's encoders support.
#include "mc_dicom.h"

#include <gdcmImageChangeTransferSyntax.h>
#include <gdcmImageWriter.h>
#include <gdcmSequenceOfItems.h>
#include <gdcmTrace.h>
#include <gdcmTransferSyntax.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

namespace {

void fail(char *err, size_t len, const std::string &message) {
  if (err && len) std::snprintf(err, len, "%s", message.c_str());
}

gdcm::DataElement textElement(uint16_t group, uint16_t element, const char *vr, const std::string &value) {
  gdcm::DataElement de(gdcm::Tag(group, element));
  de.SetVR(gdcm::VR::GetVRType(vr));
  std::string v = value;
  // DICOM values have even lengths; UIDs pad with NUL, text with a space.
  if (v.size() % 2) v.push_back(std::strcmp(vr, "UI") == 0 ? '\0' : ' ');
  de.SetByteValue(v.data(), (uint32_t)v.size());
  return de;
}

gdcm::DataElement wordsElement(uint16_t group, uint16_t element, const char *vr, const std::vector<uint16_t> &words) {
  gdcm::DataElement de(gdcm::Tag(group, element));
  de.SetVR(gdcm::VR::GetVRType(vr));
  std::vector<char> bytes(words.size() * 2);
  for (size_t k = 0; k < words.size(); ++k) {
    bytes[2 * k] = char(words[k] & 0xff);
    bytes[2 * k + 1] = char(words[k] >> 8);
  }
  de.SetByteValue(bytes.data(), (uint32_t)bytes.size());
  return de;
}

}  // namespace

extern "C" void mc_dicom_free(void *p) { std::free(p); }

extern "C" int mc_dicom_encode(uint8_t **out, size_t *out_len, int rows, int columns, int samples, int bits_allocated,
                              int bits_stored, int pixel_representation, const char *photometric,
                              const void *pixels, const char *transfer_syntax,
                              const mc_dicom_attribute *attributes, size_t attribute_count,
                              const uint16_t *voi_lut, size_t voi_count, int voi_first, int voi_bits,
                              char *err, size_t errlen) {
  try {
    gdcm::Trace::SetWarning(false);
    gdcm::Trace::SetError(false);
    gdcm::ImageWriter writer;
    gdcm::Image &image = writer.GetImage();
    image.SetNumberOfDimensions(2);
    image.SetDimension(0, (unsigned int)columns);
    image.SetDimension(1, (unsigned int)rows);
    gdcm::PixelFormat pf((unsigned short)samples, (unsigned short)bits_allocated, (unsigned short)bits_stored,
                         (unsigned short)(bits_stored - 1), (unsigned short)pixel_representation);
    image.SetPixelFormat(pf);
    gdcm::PhotometricInterpretation pi = gdcm::PhotometricInterpretation::GetPIType(photometric);
    if (pi == gdcm::PhotometricInterpretation::UNKNOWN) {
      fail(err, errlen, std::string("unknown photometric interpretation ") + photometric);
      return -1;
    }
    image.SetPhotometricInterpretation(pi);
    size_t length = size_t(rows) * size_t(columns) * size_t(samples) * size_t(bits_allocated / 8);
    gdcm::DataElement pixeldata(gdcm::Tag(0x7fe0, 0x0010));
    pixeldata.SetVR(bits_allocated > 8 ? gdcm::VR::OW : gdcm::VR::OB);
    pixeldata.SetByteValue(static_cast<const char *>(pixels), (uint32_t)length);
    image.SetDataElement(pixeldata);
    image.SetTransferSyntax(gdcm::TransferSyntax::ExplicitVRLittleEndian);

    // The writer fills Rescale Intercept/Slope from the image object, so they are set there.
    for (size_t k = 0; k < attribute_count; ++k) {
      const mc_dicom_attribute &a = attributes[k];
      if (a.group == 0x0028 && a.element == 0x1052 && a.value) image.SetIntercept(std::atof(a.value));
      if (a.group == 0x0028 && a.element == 0x1053 && a.value) image.SetSlope(std::atof(a.value));
    }
    gdcm::TransferSyntax target = gdcm::TransferSyntax::GetTSType(transfer_syntax);
    if (target == gdcm::TransferSyntax::TS_END) {
      fail(err, errlen, std::string("unknown transfer syntax ") + transfer_syntax);
      return -1;
    }
    gdcm::ImageChangeTransferSyntax change;
    if (target != gdcm::TransferSyntax::ExplicitVRLittleEndian) {
      change.SetTransferSyntax(target);
      change.SetInput(image);
      if (!change.Change()) {
        fail(err, errlen, std::string("GDCM cannot encode ") + transfer_syntax);
        return -1;
      }
      writer.SetImage(change.GetOutput());
    }

    gdcm::DataSet &ds = writer.GetFile().GetDataSet();
    for (size_t k = 0; k < attribute_count; ++k) {
      const mc_dicom_attribute &a = attributes[k];
      ds.Replace(textElement(a.group, a.element, a.vr, a.value ? a.value : ""));
    }
    if (voi_lut && voi_count > 0) {
      gdcm::SmartPointer<gdcm::SequenceOfItems> sq = new gdcm::SequenceOfItems;
      sq->SetLengthToUndefined();
      gdcm::Item item;
      item.SetVLToUndefined();
      gdcm::DataSet &nested = item.GetNestedDataSet();
      std::vector<uint16_t> desc = {uint16_t(voi_count == 65536 ? 0 : voi_count), uint16_t(voi_first), uint16_t(voi_bits)};
      nested.Insert(wordsElement(0x0028, 0x3002, "US", desc));
      nested.Insert(wordsElement(0x0028, 0x3006, "OW", std::vector<uint16_t>(voi_lut, voi_lut + voi_count)));
      sq->AddItem(item);
      gdcm::DataElement de(gdcm::Tag(0x0028, 0x3010));
      de.SetVR(gdcm::VR::SQ);
      de.SetValue(*sq);
      de.SetVLToUndefined();
      ds.Replace(de);
    }
    std::ostringstream stream;
    writer.SetStream(stream);
    if (!writer.Write()) {
      fail(err, errlen, "GDCM could not encode the file");
      return -1;
    }
    const std::string bytes = stream.str();
    *out = static_cast<uint8_t *>(std::malloc(bytes.size()));
    if (!*out) {
      fail(err, errlen, "out of memory");
      return -1;
    }
    std::memcpy(*out, bytes.data(), bytes.size());
    *out_len = bytes.size();
    return 0;
  } catch (const std::exception &e) {
    fail(err, errlen, std::string("GDCM failed writing: ") + e.what());
  } catch (...) {
    fail(err, errlen, "GDCM failed writing");
  }
  return -1;
}
