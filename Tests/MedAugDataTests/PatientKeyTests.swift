import Foundation
import MedAugData
import XCTest

/// SHA-256 and HMAC against their standards' vectors, and the salted patient keys.
final class PatientKeyTests: XCTestCase {
    func hex(_ s: String) -> [UInt8] { Array(s.utf8) }

    func testSHA256MatchesFIPS180Vectors() {
        XCTAssertEqual(SHA256.hex(SHA256.hash([])), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(SHA256.hash(hex("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // Two blocks: the padding spills into a second one.
        XCTAssertEqual(SHA256.hex(SHA256.hash(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000))),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testHMACMatchesRFC4231Vectors() {
        // Test case 1, 2 and 6 (a key longer than a block is hashed first).
        XCTAssertEqual(SHA256.hex(SHA256.hmac(key: [UInt8](repeating: 0x0b, count: 20), message: hex("Hi There"))),
                       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        XCTAssertEqual(SHA256.hex(SHA256.hmac(key: hex("Jefe"), message: hex("what do ya want for nothing?"))),
                       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        XCTAssertEqual(SHA256.hex(SHA256.hmac(key: [UInt8](repeating: 0xaa, count: 131),
                                              message: hex("Test Using Larger Than Block-Size Key - Hash Key First"))),
                       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    func testKeyIsPrefixedTruncatedHMAC() {
        let k = PatientKey.key("PAT-0042", salt: hex("Jefe"))
        XCTAssertEqual(k, "p-" + String(SHA256.hex(SHA256.hmac(key: hex("Jefe"), message: hex("PAT-0042"))).prefix(16)))
        XCTAssertEqual(k.count, 18)
        XCTAssertFalse(k.contains("0042"))
        XCTAssertNotEqual(PatientKey.key("PAT-0042", salt: hex("other")), k, "another salt gives other keys")
    }

    func testSaltFileIsMadeOnceWithMode0600AndReused() throws {
        let t = try TempFolder(self)
        let env = ["MEDAUG_HOME": t.at("home")]
        let a = try PatientKey.loadSalt(environment: env)
        XCTAssertEqual(a.count, 32)
        let path = t.at("home/id-salt")
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o600)
        XCTAssertEqual(try PatientKey.loadSalt(environment: env), a, "the second command reads the same salt")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: t.at("home")), ["id-salt"], "no temporary file left")
        XCTAssertNotEqual(try PatientKey.loadSalt(environment: ["MEDAUG_HOME": t.at("other")]), a, "each machine its own salt")
    }

    func testEnvironmentSaltWinsAndHomeDefaultsToCache() throws {
        let t = try TempFolder(self)
        XCTAssertEqual(try PatientKey.loadSalt(environment: ["MEDAUG_ID_SALT": "s3cret", "MEDAUG_HOME": t.at("h")]), hex("s3cret"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: t.at("h/id-salt")))
        XCTAssertEqual(PatientKey.home(environment: ["HOME": "/u"]), "/u/.cache/medaug")
    }

    func testMalformedSaltFileIsRefusedByName() throws {
        let t = try TempFolder(self)
        try t.text("home/id-salt", "not hex")
        XCTAssertThrowsError(try PatientKey.loadSalt(environment: ["MEDAUG_HOME": t.at("home")])) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains(t.at("home/id-salt")) && m.contains("64 hexadecimal digits"), m)
        }
    }
}
