import Foundation
import MedAugCore
import Synchronization

/// How medical files (DICOM, TIFF) become images: the window, the output
/// depth and which frame or page. PNG and JPEG ignore these.
public struct ReadOptions: Sendable, Equatable {
    /// The VOI step for DICOM (`--window`).
    public var window: WindowSetting
    /// Output bits per sample for DICOM and TIFF: 8 or 16 (`--bits`).
    public var bits: Int
    /// Which frame of a multi-frame DICOM, or page of a TIFF (`--frames`).
    public var frames: FrameChoice

    /// The allowed values of ``bits``.
    public static let bitChoices = [8, 16]

    /// Makes options; the defaults are what a radiologist would see, as 8-bit images.
    public init(window: WindowSetting = .dicom, bits: Int = 8, frames: FrameChoice = .first) {
        self.window = window
        self.bits = bits
        self.frames = frames
    }

    private static let shared = Mutex(ReadOptions())

    /// The options every reader in the process uses unless given others.
    /// Process-wide, like ``RegularFile/maxBytes``: the command line sets it
    /// once before reading, and the loaders, scanner and workers deep below
    /// then all decode a file the same way.
    public static var current: ReadOptions {
        get { shared.withLock { $0 } }
        set { shared.withLock { $0 = newValue } }
    }
}

/// Which frames of a multi-frame file to use.
public enum FrameChoice: String, Sendable, Equatable, CaseIterable {
    /// The first frame (or TIFF page).
    case first
    /// The middle frame, `frames / 2` counting from 0: the centre slice of a stack.
    case middle
    /// Every frame, each its own image (`medaug convert` only).
    case all

    /// The 0-based frame this choice picks from `count` frames (`all` picks the first).
    public func index(of count: Int) -> Int {
        self == .middle ? max(0, count / 2) : 0
    }
}

/// The VOI (window) step of the DICOM display pipeline.
public enum WindowSetting: Sendable, Equatable, CustomStringConvertible {
    /// The file's own VOI: its VOI LUT Sequence, else its first Window
    /// Center/Width, else `auto`.
    case dicom
    /// No rescale, no window, no inversion: stored values as they are (unsigned
    /// data unchanged at 16 bits; signed data offset by 2^15).
    case none
    /// A window from the 0.5th to the 99.5th percentile of the modality values.
    case auto
    /// This centre and width, in modality units (Hounsfield units for CT).
    case explicit(center: Double, width: Double)

    /// Reads `dicom`, `none`, `auto` or `CENTER,WIDTH` (e.g. `40,400`); nil otherwise.
    public init?(_ text: String) {
        switch text.lowercased() {
        case "dicom": self = .dicom
        case "none": self = .none
        case "auto": self = .auto
        default:
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2,
                  let c = Double(parts[0].trimmingCharacters(in: .whitespaces)),
                  let w = Double(parts[1].trimmingCharacters(in: .whitespaces)),
                  c.isFinite, w.isFinite, w >= 1 else { return nil }
            self = .explicit(center: c, width: w)
        }
    }

    /// The forms `init?(_:)` reads, for help texts and messages.
    public static let forms = ["dicom", "none", "auto", "CENTER,WIDTH"]

    /// The text form, which `init?(_:)` reads back.
    public var description: String {
        switch self {
        case .dicom: return "dicom"
        case .none: return "none"
        case .auto: return "auto"
        case .explicit(let c, let w): return "\(ConfigValue.format(c)),\(ConfigValue.format(w))"
        }
    }
}
