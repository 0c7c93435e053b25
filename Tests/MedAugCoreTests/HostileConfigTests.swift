import Foundation
import MedAugCore
import XCTest
import MedAugTestSupport

/// Config files written to break the reader (issue #12): each is refused
/// with one short line naming the file and where, never with a crash, a hang
/// or pages of echoed input; ordinary files keep working.
final class HostileConfigTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Writes `text` to `name` in the temp folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Reads the file as the commands do and returns the error's one line.
    func refusal(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        do {
            let v = try ConfigCoding.parse(text, format: ConfigCoding.format(forPath: path), source: path)
            XCTFail("\(path) was read: \(String(describing: v).prefix(200))", file: file, line: line)
            return ""
        } catch let e as ConfigError {
            let message = "\(e)"
            XCTAssertTrue(message.hasPrefix(path + ": "), message, file: file, line: line)
            XCTAssertFalse(message.contains("\n"), "one line: \(message.prefix(300))", file: file, line: line)
            XCTAssertLessThan(message.count, path.count + 300, "short: \(message.prefix(300))", file: file, line: line)
            return message
        }
    }

    func read(_ path: String) throws -> ConfigValue {
        try ConfigCoding.parse(try String(contentsOfFile: path, encoding: .utf8),
                               format: ConfigCoding.format(forPath: path), source: path)
    }

    /// Nine anchors, each a list of nine aliases to the one before: about
    /// 600 bytes that stand for 9^9 strings.
    static func billionLaughs(sameAnchor: Bool = false) -> String {
        let names = "abcdefghi".map(String.init)
        var lines = ["a: &a [\(Array(repeating: "\"lol\"", count: 9).joined(separator: ", "))]"]
        for (prev, name) in zip(names, names.dropFirst()) {
            // With `sameAnchor` every level is `&x`, each alias meaning the level before.
            let (anchor, alias) = sameAnchor ? ("x", "x") : (name, prev)
            lines.append("\(name): &\(anchor) [\(Array(repeating: "*\(alias)", count: 9).joined(separator: ", "))]")
        }
        let text = lines.joined(separator: "\n") + "\n"
        return sameAnchor ? text.replacingOccurrences(of: "a: &a", with: "a: &x") : text
    }

    // MARK: YAML aliases

    func testBillionLaughsIsRefusedBeforeExpanding() throws {
        for (name, text) in [("laughs.yaml", Self.billionLaughs()),
                             // One anchor name for every level: counted per definition, not per name.
                             ("shadowed.yaml", Self.billionLaughs(sameAnchor: true))] {
            let path = try write(name, text)
            let started = Date()
            let message = try refusal(path)
            XCTAssertTrue(message.contains("YAML aliases expand to more than \(ConfigCoding.maxNodes) nodes"), message)
            XCTAssertTrue(message.contains("line "), message)
            XCTAssertLessThan(Date().timeIntervalSince(started), 2, "refused without expanding: \(name)")
        }
    }

    func testSmallAnchorsAndAliasesKeepWorking() throws {
        let path = try write("anchors.yaml", """
            blur: &blur {GaussianBlur: {sigma: [0, 1.5]}}
            flip: &p 0.5
            pipeline: [*blur, {Fliplr: {p: *p}}, *blur]
            again: &p 0.25
            later: *p
            """)
        let v = try read(path)
        let blur = ConfigValue.map([("GaussianBlur", .map([("sigma", .list([.int(0), .double(1.5)]))]))])
        XCTAssertEqual(v["pipeline"], .list([blur, .map([("Fliplr", .map([("p", .double(0.5))]))]), blur]))
        XCTAssertEqual(v["later"], .double(0.25), "a later anchor of the same name shadows the first")
    }

    func testAliasUsedBeforeItsAnchorIsRefused() throws {
        let message = try refusal(try write("early.yaml", "a: *nowhere\nb: &nowhere 1\n"))
        XCTAssertTrue(message.contains("line 1") && message.contains("*nowhere"), message)
    }

    // MARK: nesting

    func testDeepNestingIsRefusedInOneShortLine() throws {
        for name in ["deep.yaml", "deep.json"] {
            let message = try refusal(try write(name, String(repeating: "[", count: 100_000)))
            XCTAssertTrue(message.contains("nested more than \(ConfigCoding.maxDepth) deep"), message)
            // libyaml reads a line of '[' ahead and stops at its first one.
            let at = name.hasSuffix(".json") ? "line 1, column \(ConfigCoding.maxDepth + 1)" : "line 1, column 1"
            XCTAssertTrue(message.contains(at), message)
        }
    }

    func testNestingUpToTheCapIsRead() throws {
        let depth = ConfigCoding.maxDepth
        for ext in ["yaml", "json"] {
            let ok = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
            var v = try read(try write("ok.\(ext)", ok))
            for _ in 0..<depth {
                guard case .list(let l) = v, l.count == 1 else { return XCTFail("\(ext): not \(depth) lists") }
                v = l[0]
            }
            XCTAssertEqual(v, .int(1))
            _ = try refusal(try write("over.\(ext)", "[" + ok + "]"))
        }
    }

    func testAliasesCannotNestPastTheCap() throws {
        let half = ConfigCoding.maxDepth / 2 + 10
        let tall = String(repeating: "[", count: half) + "1" + String(repeating: "]", count: half)
        let text = "a: &tall \(tall)\nb: \(String(repeating: "[", count: half))*tall\(String(repeating: "]", count: half))\n"
        let message = try refusal(try write("tall.yaml", text))
        XCTAssertTrue(message.contains("line 2") && message.contains("nested more than"), message)
    }

    // MARK: JSON

    func testJSONDuplicateKeysAreRefusedNamingKeyAndLine() throws {
        let path = try write("dup.json", """
            [
              {"GaussianBlur": {"sigma": 1.0,
                                "sigma": 2.0}}
            ]
            """)
        let message = try refusal(path)
        XCTAssertTrue(message.contains("line 3"), message)
        XCTAssertTrue(message.contains("duplicate key 'sigma'") && message.contains("first at line 2"), message)
        XCTAssertTrue(message.contains("key '[1].GaussianBlur.sigma'"), message)
        // The same key in different mappings is fine.
        XCTAssertNoThrow(try read(try write("two.json", #"[{"Fliplr": {"p": 1}}, {"Flipud": {"p": 1}}]"#)))
    }

    func testJSONSyntaxErrorsNameLineColumnAndKeyPath() throws {
        let path = try write("bad.json", "[\n  {\"GaussianBlur\": {\"sigma\": 1.0 \"x\": 2}}\n]\n")
        let message = try refusal(path)
        XCTAssertEqual(message, "\(path): line 2, column 34, key '[1].GaussianBlur.sigma': not valid JSON: expected ',' or '}' after a value, found '\"'")
        let cases: [(String, String)] = [
            ("[1, 2,]", "line 1, column 7"),
            ("{\"a\": 01}", "line 1, column 8"),
            ("{\"a\": +1}", "line 1, column 7"),
            ("{\"a\": .5}", "line 1, column 7"),
            ("{'a': 1}", "line 1, column 2"),
            ("{\"a\": 1} // note", "line 1, column 10"),
            ("{\"a\":\n \"unterminated}", "line 2, column 2, key 'a'"),
            ("{\"a\": \"\\x\"}", "line 1, column 8, key 'a'"),
            ("", "line 1, column 1"),
        ]
        for (text, at) in cases {
            let m = try refusal(try write("case.json", text))
            XCTAssertTrue(m.contains(at) && m.contains("not valid JSON"), "\(text): \(m)")
            XCTAssertFalse(m.contains("could not be completed"), m)
        }
    }

    func testValidJSONStillReads() throws {
        let text = "\u{FEFF}{\"b\": -0, \"a\": [1e2, -2.5E-1, 12345678901234567890], \"s\": \"\\u00e9\\ud83d\\ude00\\/\\n\", \"n\": null}"
        let v = try read(try write("fine.json", text))
        guard case .map(let m) = v else { return XCTFail("\(v)") }
        XCTAssertEqual(m.map(\.0), ["b", "a", "s", "n"])
        XCTAssertEqual(v["b"], .int(0))
        XCTAssertEqual(v["a"], .list([.double(100), .double(-0.25), .double(1.2345678901234567e19)]))
        XCTAssertEqual(v["s"], .string("é😀/\n"))
        XCTAssertEqual(v["n"], .null)
    }

    // MARK: never echo the input

    func testLongInputIsNeverEchoed() throws {
        let long = String(repeating: "x", count: 100_000)
        let files = [
            ("long.yaml", "a: [\(long)\n"),
            ("longkey.yaml", "\(long): 1\n\(long): 2\n"),
            ("longkey.json", "{\"\(long)\": 1, \"\(long)\": 2}"),
            ("longvalue.json", "{\"\(long)\": tru}"),
            ("longalias.yaml", "a: *\(long)\n"),
        ]
        for (name, text) in files {
            let message = try refusal(try write(name, text))
            XCTAssertFalse(message.contains(String(repeating: "x", count: ConfigError.excerptLength + 1)), "\(name): \(message)")
        }
    }

    // MARK: non-finite numbers

    func testInfinityAndNaNAreReadAsNumbers() throws {
        let v = try read(try write("inf.yaml", "a: .inf\nb: -.Inf\nc: .NaN\nd: +.INF\ne: '.inf'\n"))
        XCTAssertEqual(v["a"], .double(.infinity))
        XCTAssertEqual(v["b"], .double(-.infinity))
        XCTAssertTrue(v["c"]?.number?.isNaN == true, "\(String(describing: v["c"]))")
        XCTAssertEqual(v["d"], .double(.infinity))
        XCTAssertEqual(v["e"], .string(".inf"), "quoted, it stays text")
        let j = try read(try write("inf.json", #"{"a": Infinity, "b": -Infinity, "c": NaN}"#))
        XCTAssertEqual(j["a"], .double(.infinity))
        XCTAssertEqual(j["b"], .double(-.infinity))
        XCTAssertTrue(j["c"]?.number?.isNaN == true)
        // Both formats read back what they write.
        for format in [ConfigCoding.Format.yaml, .json] {
            let written = ConfigCoding.render(.map([("a", .double(.infinity)), ("b", .double(-.infinity))]), format: format)
            XCTAssertEqual(try ConfigCoding.parse(written, format: format, source: "x"),
                           .map([("a", .double(.infinity)), ("b", .double(-.infinity))]), written)
        }
    }
}

/// The same files through the `medaug` binary, where the layers above Core
/// turn values into parameters and settings (skipped when it is not built).
final class HostileConfigCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-hostile-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("in/a"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Runs medaug (bounded: a hang or a runaway allocation fails the test),
    /// expecting exit status 1 and one line on stderr.
    func refused(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try MedaugBinary.run(args, bounded: true)
        XCTAssertEqual(r.status, 1, "medaug \(args.joined(separator: " ")): \(r.err.prefix(300))", file: file, line: line)
        XCTAssertEqual(r.err.split(separator: "\n").count, 1, "one line: \(r.err.prefix(300))", file: file, line: line)
        return r.err
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func augment(_ pipeline: String) throws -> String {
        try refused(["augment", "--input", dir.appendingPathComponent("in").path,
                     "--output", dir.appendingPathComponent("out-\(UUID().uuidString)").path, "--pipeline", pipeline])
    }

    func experiment(_ extra: String) throws -> (path: String, message: String) {
        let path = try write("exp-\(UUID().uuidString).yaml",
                             "name: x\ndata: d\nrecipe: study-cnn\nepochs: 1\nrepeats: 1\nvariants: [{name: a}]\n" + extra)
        return (path, try refused(["experiment", path, "--out", dir.appendingPathComponent("runs").path]))
    }

    func testBillionLaughsIsRefusedByAugmentAndExperiment() throws {
        let laughs = try write("laughs.yaml", HostileConfigTests.billionLaughs())
        let expanded = "YAML aliases expand to more than \(ConfigCoding.maxNodes) nodes"
        let a = try augment(laughs)
        XCTAssertTrue(a.contains("\(laughs): line ") && a.contains(expanded), a)
        let e = try refused(["experiment", laughs, "--out", dir.appendingPathComponent("runs").path])
        XCTAssertTrue(e.contains(laughs) && e.contains(expanded), e)
    }

    func testNonFiniteParametersSayNotFinite() throws {
        let yaml = try write("inf.yaml", "- GaussianBlur: {sigma: .inf}\n")
        let m = try augment(yaml)
        XCTAssertTrue(m.contains("key 'sigma': .inf is not a finite number; allowed: 0 to 100"), m)
        let json = try write("nan.json", #"[{"GaussianBlur": {"sigma": [0, NaN]}}]"#)
        XCTAssertTrue(try augment(json).contains("key 'sigma': .nan is not a finite number"), "JSON NaN")
        let int = try write("int.yaml", "- MedianBlur: {k: .nan}\n")
        XCTAssertFalse(try augment(int).contains("got a string"), "no 'got a string' for .nan")
    }

    func testExperimentSeedMustBeAnIntegerFromZero() throws {
        for (seed, shown) in [("-5", "-5"), ("2.5", "2.5"), ("abc", "a string")] {
            let (path, m) = try experiment("seed: \(seed)\n")
            XCTAssertTrue(m.contains("\(path): 'seed' must be an integer from 0, got \(shown)"), m)
        }
    }

    func testOverrideErrorsNameTheFile() throws {
        let (path, m) = try experiment("overrides: {batch_size: 1e300}\n")
        XCTAssertTrue(m.contains("\(path): 'overrides.batch_size' must be a positive integer, got 1e+300"), m)
    }
}
