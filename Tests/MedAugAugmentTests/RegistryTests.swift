import MedAugCore
import XCTest
import MedAugImage
@testable import MedAugAugment

/// Walks every registered augmenter through its parameter table: defaults,
/// exact round trips, every image shape, and every value the table's
/// declared limits refuse. An augmenter added to the registry is covered
/// here without a line of its own.
final class AugmenterRegistryTests: XCTestCase {
    let source = "registry.yaml"

    /// One entry `{Name: {key: value}}` as a pipeline.
    func pipeline(_ name: String, _ args: [(String, ConfigValue)]) -> ConfigValue {
        .list([.map([(name, .map(args))])])
    }

    func image(_ w: Int, _ h: Int, _ c: Int, sixteen: Bool = false) -> Image {
        var x: UInt32 = 2654435761
        let v: [UInt8] = (0..<(w * h * c)).map { i in
            x = x &* 1664525 &+ 1013904223
            return UInt8(truncatingIfNeeded: (x >> 25) + UInt32((i / max(c, 1)) * 5 % 128))
        }
        let img = Image(width: w, height: h, channels: c, bytes: v)
        return sixteen ? img.to16Bit() : img
    }

    func run(_ aug: any Augmenter, _ img: Image, seed: UInt64 = 5) throws -> Image {
        var ctx = AugmentContext(seed: seed, identity: "registry", recordTrace: true)
        return try aug.augment(img, &ctx)
    }

    // MARK: the registry and its listing

    func testEveryAugmenterIsRegisteredOnceAndListedInFull() throws {
        let names = AugmenterRegistry.specs.map(\.name)
        XCTAssertEqual(Set(names).count, names.count, "duplicate names: \(names)")
        // The study's 25 and imgaug's contrast (8), noise (7), intensity (7), geometric wrapper (13) and warp (2) augmenters, and the other (5: hue/saturation, colour temperature, Cutout, JPEG), and Crop and Pad (2).
        XCTAssertEqual(names.count, 92)
        for spec in AugmenterRegistry.specs {
            XCTAssertEqual(spec.defaultInstance.name, spec.name)
            let listing = spec.listing
            XCTAssertEqual(listing.name, spec.name)
            XCTAssertFalse(listing.summary.isEmpty, spec.name)
            XCTAssertEqual(listing.parameters.map(\.key), spec.parameters, spec.name)
            for p in listing.parameters {
                XCTAssertFalse(p.help.isEmpty, "\(spec.name).\(p.key)")
                XCTAssertFalse(p.forms.isEmpty, "\(spec.name).\(p.key)")
                XCTAssertFalse(p.allowed.isEmpty, "\(spec.name).\(p.key)")
                XCTAssertFalse(p.refused.isEmpty, "\(spec.name).\(p.key) declares no refused value")
                XCTAssertFalse(p.accepted.isEmpty, "\(spec.name).\(p.key) declares no accepted value")
            }
            XCTAssertTrue(listing.text.contains(spec.name), listing.text)
            XCTAssertEqual(AugmenterRegistry.listing(named: spec.name.lowercased())?.name, spec.name)
        }
        XCTAssertNil(AugmenterRegistry.listing(named: "GausianBlur"))
    }

    func testListingShowsTheDeclaredMaximums() throws {
        let median = try XCTUnwrap(AugmenterRegistry.listing(named: "MedianBlur"))
        XCTAssertTrue(median.text.contains("allowed: 1 to 255, odd integers"), median.text)
        let gauss = try XCTUnwrap(AugmenterRegistry.listing(named: "GaussianBlur"))
        XCTAssertTrue(gauss.text.contains("allowed: 0 to 100"), gauss.text)
        XCTAssertTrue(gauss.text.contains("default: [0, 3]"), gauss.text)
        let overview = AugmentersText.overview
        for name in AugmenterRegistry.names { XCTAssertTrue(overview.contains(name), name) }
        // The JSON form reads back and has one entry per augmenter, with the limits as numbers.
        let json = AugmenterListing.json(AugmenterRegistry.listing())
        guard case .list(let entries) = try ConfigCoding.parse(json, format: .json, source: "listing") else {
            return XCTFail("not a list")
        }
        XCTAssertEqual(entries.count, AugmenterRegistry.specs.count)
        let k = try XCTUnwrap(entries.first { $0["name"] == .string("MotionBlur") }?["parameters"])
        guard case .list(let params) = k else { return XCTFail() }
        XCTAssertEqual(params[0]["key"], .string("k"))
        XCTAssertEqual(params[0]["maximum"], .int(255))
        XCTAssertEqual(params[0]["default"], .list([.int(3), .int(7)]))
    }

    // MARK: defaults

    func testDefaultsParseAndMatchTheDefaultInstance() throws {
        for spec in AugmenterRegistry.specs {
            let fromEmpty = try PipelineReader.pipeline(pipeline(spec.name, []), source: source)
            let fromName = try PipelineReader.parse("- \(spec.name)\n", format: .yaml)
            XCTAssertEqual(fromEmpty.children[0].config, spec.defaultInstance.config, spec.name)
            XCTAssertEqual(fromName.children[0].config, spec.defaultInstance.config, spec.name)
            // The listing's "with its defaults" entry reads back to the same augmenter.
            let listed = try PipelineReader.parse(spec.listing.defaultEntry + "\n", format: .yaml)
            XCTAssertEqual(listed.children[0].config, spec.defaultInstance.config, spec.listing.defaultEntry)
        }
    }

    // MARK: round trips

    /// Reads `value`, writes it as YAML and JSON, reads that back: same config, same pixels.
    func assertExactRoundTrip(_ value: ConfigValue, runImage: Bool, _ label: String,
                              file: StaticString = #filePath, line: UInt = #line) throws {
        let p = try PipelineReader.pipeline(value, source: source)
        for format in [ConfigCoding.Format.yaml, .json] {
            let text = PipelineWriter.render(p, format: format)
            let back = try PipelineReader.parse(text, format: format, source: "written")
            XCTAssertEqual(PipelineWriter.value(back), PipelineWriter.value(p), "\(label) via \(format):\n\(text)", file: file, line: line)
            if runImage && format == .yaml {
                let img = image(9, 7, 3)
                for seed in [UInt64(1), 2] {
                    XCTAssertEqual(try run(back, img, seed: seed), try run(p, img, seed: seed), label, file: file, line: line)
                }
            }
        }
    }

    func testEveryAcceptedValueRoundTripsExactly() throws {
        for spec in AugmenterRegistry.specs {
            try assertExactRoundTrip(pipeline(spec.name, []), runImage: true, "\(spec.name) defaults")
            for p in spec.listing.parameters {
                for v in p.accepted {
                    // Values at a maximum that exists to bound allocations are read and written, not run.
                    let atMax = p.limits?.reason != nil && v.flowText.contains(ConfigValue.format(p.limits?.max ?? .nan))
                    try assertExactRoundTrip(pipeline(spec.name, [(p.key, v)]), runImage: !atMax, "\(spec.name) {\(p.key): \(v.flowText)}")
                }
            }
        }
    }

    func testEveryAugmenterWritesOnlyItsDeclaredKeys() throws {
        for spec in AugmenterRegistry.specs {
            let keys = spec.defaultInstance.arguments.map(\.0)
            XCTAssertTrue(Set(keys).isSubset(of: Set(spec.parameters)), "\(spec.name) writes \(keys)")
        }
    }

    // MARK: images

    /// The augmenters whose operation exists only for 8-bit images.
    static let eightBitOnly: Set<String> = ["BilateralBlur", "UniformColorQuantization", "MultiplyAndAddToBrightness",
                                                   "AddToHueAndSaturation", "MultiplyHueAndSaturation", "ChangeColorTemperature", "JpegCompression"]

    func testDefaultsRunOnEveryShapeAndDepth() throws {
        let shapes = [(1, 1), (7, 3), (3, 7), (8, 6)]
        for spec in AugmenterRegistry.specs {
            let aug = spec.defaultInstance
            for (w, h) in shapes {
                for c in [1, 3, 4] {
                    for seed in [UInt64(1), 2, 3] {
                        let out = try run(aug, image(w, h, c), seed: seed)
                        XCTAssertEqual([out.width, out.height, out.channels, out.bitDepth], [w, h, c, 8], "\(spec.name) \(w)x\(h)x\(c)")
                        // Every augmenter takes 16-bit images; the few whose
                        // operation is 8-bit only convert them (and say so).
                        let out16 = try run(aug, image(w, h, c, sixteen: true), seed: seed)
                        let depth = Self.eightBitOnly.contains(spec.name) ? 8 : 16
                        XCTAssertEqual([out16.width, out16.height, out16.channels, out16.bitDepth], [w, h, c, depth],
                                       "\(spec.name) 16-bit \(w)x\(h)x\(c)")
                    }
                }
            }
        }
    }

    // MARK: refusals

    func assertRefused(_ value: ConfigValue, augmenter: String, key: String, shown: String?,
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PipelineReader.pipeline(value, source: source), file: file, line: line) { error in
            guard let e = error as? PipelineError else { return XCTFail("not a PipelineError: \(error)", file: file, line: line) }
            let m = e.description
            XCTAssertTrue(m.hasPrefix(source + ": "), m, file: file, line: line)
            XCTAssertTrue(m.contains("entry 1 (\(augmenter)), key '\(key)"), m, file: file, line: line)
            XCTAssertTrue(m.contains("allowed") || m.contains("expected"), m, file: file, line: line)
            if let shown { XCTAssertTrue(m.contains(shown), "should show \(shown): \(m)", file: file, line: line) }
        }
    }

    func testEveryRefusedValueIsRefusedNamingEntryAugmenterAndKey() {
        var checked = 0
        for spec in AugmenterRegistry.specs {
            for p in spec.listing.parameters {
                for v in p.refused {
                    let shown: String?
                    switch v {
                    case .double(let d) where !d.isFinite: shown = d.isNaN ? ".nan" : d > 0 ? ".inf" : "-.inf"
                    case .double(let d): shown = ConfigValue.format(d)
                    case .int(let i): shown = String(i)
                    case .string(let s): shown = s
                    default: shown = nil
                    }
                    assertRefused(pipeline(spec.name, [(p.key, v)]), augmenter: spec.name, key: p.key, shown: shown)
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 300)
    }

    func testNumericLimitsRefuseNaNInfinityAndBothBounds() {
        for spec in AugmenterRegistry.specs {
            for p in spec.listing.parameters {
                guard let limits = p.limits else { continue }
                let refused = Set(p.refused.compactMap { v -> String? in
                    if case .double(let d) = v { return ConfigValue.format(d) }
                    if case .int(let i) = v { return String(i) }
                    return nil
                })
                let label = "\(spec.name).\(p.key)"
                if p.forms.contains("a number") && !p.forms.hasPrefix("an integer") {
                    XCTAssertTrue(refused.contains("nan") && refused.contains("inf") && refused.contains("-inf"), label)
                }
                if let min = limits.min { XCTAssertTrue(refused.contains(ConfigValue.format(limits.minExclusive ? min : min - 1)), label) }
                if let max = limits.max { XCTAssertTrue(refused.contains(ConfigValue.format(max + 1)), label) }
            }
        }
    }

    func testNestedEntriesAreNamedByTheirPath() {
        let value: ConfigValue = .list([.map([("Sometimes", .map([("then", .list([.map([("MedianBlur", .map([("k", .double(.nan))]))])]))]))])])
        XCTAssertThrowsError(try PipelineReader.pipeline(value, source: source)) { e in
            XCTAssertTrue("\(e)".contains("entry 1 > then[1] (MedianBlur), key 'k'"), "\(e)")
        }
        XCTAssertThrowsError(try PipelineReader.parse("- OneOf: {children: [NoSuchAugmenter]}\n", format: .yaml)) { e in
            XCTAssertTrue("\(e)".contains("entry 1 > children[1]") && "\(e)".contains("NoSuchAugmenter"), "\(e)")
        }
    }

    // MARK: the reported reproductions (issue "reliability")

    func testReportedValuesAreRefusedNotTrapped() {
        let cases: [(String, String, String)] = [
            ("MedianBlur: {k: nan}", "k", "nan"),
            ("MedianBlur: {k: 1.0e19}", "k", "1e+19"),
            ("AverageBlur: {k: nan}", "k", "nan"),
            ("GaussianBlur: {sigma: inf}", "sigma", "inf"),
            ("GaussianBlur: {sigma: 1.0e300}", "sigma", "1e+300"),
            ("Superpixels: {n_segments: 1.0e300}", "n_segments", "1e+300"),
            ("SomeOf: {n: nan}", "n", "nan"),
            ("MotionBlur: {angle: nan}", "angle", "nan"),
            ("CoarseDropout: {size_percent: nan}", "size_percent", "nan"),
            ("GaussianBlur: {sigma: 1e9}", "sigma", "1000000000"),
            ("MedianBlur: {k: 1000000001}", "k", "1000000001"),
            ("AverageBlur: {k: 1000000000}", "k", "1000000000"),
            ("BilateralBlur: {d: 1000000}", "d", "1000000"),
            ("MotionBlur: {k: 100000}", "k", "100000"),
            ("CoarseDropout: {size_px: 1000000000}", "size_px", "1000000000"),
            ("CropAndPad: {px: 1000000000}", "px", "1000000000"),
            ("CropAndPad: {percent: 1000000}", "percent", "1000000"),
            ("Affine: {scale: 1000000, fit_output: true}", "scale", "1000000"),
            ("Multiply: {mul: nan}", "mul", "nan"),
            ("Add: {value: 1e300}", "value", "1e+300"),
            // The same in other forms: a range, a choice, a per-axis side, a per-side list.
            ("MedianBlur: {k: [3, 1.0e19]}", "k", "1e+19"),
            ("GaussianBlur: {sigma: {choice: [1, .inf, inf]}}", "sigma", ".inf"),
            ("GaussianBlur: {sigma: {choice: [1, inf]}}", "sigma", "inf"),
            ("Affine: {scale: {x: 1, y: nan}}", "scale.y", "nan"),
            ("Affine: {translate_px: {x: 1.0e19}}", "translate_px.x", "1e+19"),
            ("Affine: {shear: 1.0e300}", "shear", "1e+300"),
            ("Affine: {rotate: nan}", "rotate", "nan"),
            ("CropAndPad: {px: [0, 0, 1000000000, 0]}", "px.bottom", "1000000000"),
            ("CropAndPad: {percent: [0, nan, 0, 0]}", "percent.right", "nan"),
            ("SomeOf: {n: [1.0e19, null]}", "n", "1e+19"),
            ("Sometimes: {p: nan}", "p", "nan"),
            ("Superpixels: {p_replace: [0.5, nan]}", "p_replace", "nan"),
            ("Dropout: {p: nan}", "p", "nan"),
            ("UniformColorQuantization: {n_colors: 1.0e19}", "n_colors", "1e+19"),
        ]
        for (entry, key, shown) in cases {
            let yaml = "- \(entry)\n"
            XCTAssertThrowsError(try PipelineReader.parse(yaml, format: .yaml, source: "repro.yaml"), entry) { error in
                guard let e = error as? PipelineError else { return XCTFail("not a PipelineError: \(error)") }
                let name = String(entry.prefix { $0 != ":" })
                let m = e.description
                XCTAssertTrue(m.contains("repro.yaml: entry 1 (\(name)), key '\(key)'"), m)
                XCTAssertTrue(m.contains(shown), "should show \(shown): \(m)")
                XCTAssertTrue(m.contains("allowed") || m.contains("expected"), m)
            }
        }
        // JSON has no NaN or infinity, but it has huge numbers.
        XCTAssertThrowsError(try PipelineReader.parse(#"[{"GaussianBlur": {"sigma": 1e300}}]"#, format: .json, source: "repro.json")) { e in
            XCTAssertTrue("\(e)".contains("repro.json: entry 1 (GaussianBlur), key 'sigma': value 1e+300 is out of range; allowed: 0 to 100"), "\(e)")
        }
    }

    func testTheLargestAllowedKernelsStillRun() throws {
        // The declared maximums are usable, not just parseable.
        let p = try PipelineReader.parse("""
        - MedianBlur: {k: 255}
        - AverageBlur: {k: 255}
        - GaussianBlur: {sigma: 100}
        - MotionBlur: {k: 255}
        - BilateralBlur: {d: 255}
        - CoarseDropout: {p: 0.5, size_px: 64, min_size: 64}
        - Superpixels: {n_segments: 100000, p_replace: 1}
        """, format: .yaml)
        let img = image(6, 5, 3)
        let out = try run(p, img)
        XCTAssertEqual([out.width, out.height, out.channels], [6, 5, 3])
    }
}

/// The text `medaug augmenters` prints without a name.
enum AugmentersText {
    static var overview: String { AugmenterListing.overview(AugmenterRegistry.listing()) }
}
