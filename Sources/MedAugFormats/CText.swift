/// The text a C layer wrote into a zero-terminated buffer (an error message,
/// a DICOM value), decoded as UTF-8 with bad bytes replaced.
extension Array where Element == CChar {
    var cText: String {
        String(decoding: prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
