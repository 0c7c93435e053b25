import Foundation
import MedAugImage
import MedAugTestSupport
import XCTest

/// `--labels`, `--group-pattern` and `--keep-ids` as a user types them: what
/// the commands print and write, and that patient IDs never leave in clear.
final class LabelsCLITests: IsolatedCLITestCase {
    /// Six images in images/, labelled by labels.csv with patients SECRET-1..3;
    /// SECRET-1 is in both train and test.
    func writeDataset() throws {
        try FileManager.default.createDirectory(atPath: at("data/images"), withIntermediateDirectories: true)
        for i in 0..<6 {
            try ImageFile.write(Image(width: 16, height: 16, channels: 3, fill: UInt8(30 * i)), to: at("data/images/ISIC_\(i).jpg"))
        }
        let rows = [("0", "mel", "SECRET-1", "train"), ("1", "nv", "SECRET-1", "test"), ("2", "nv", "SECRET-2", "train"),
                    ("3", "mel", "SECRET-2", "train"), ("4", "mel", "SECRET-3", "test"), ("5", "nv", "SECRET-3", "test")]
        let csv = "image_id,dx,patient_id,split\n" + rows.map { "images/ISIC_\($0.0),\($0.1),\($0.2),\($0.3)\n" }.joined()
        try csv.write(toFile: at("labels.csv"), atomically: true, encoding: .utf8)
    }

    func testInfoReportsPatientsAndTheLeakWithoutClearIDs() throws {
        try writeDataset()
        let text = try medaug(["info", at("data"), "--labels", at("labels.csv")]).out
        XCTAssertTrue(text.contains("Labels    \(at("labels.csv")): path 'image_id', label 'dx', group 'patient_id', split 'split'"), text)
        XCTAssertTrue(text.contains("Patients (distinct group keys) per class; 3 in all"), text)
        XCTAssertTrue(text.contains("[patient-leak] 1 patient(s) have images on more than one side of the split (train/test)"), text)
        XCTAssertTrue(text.contains("train: images/ISIC_0.jpg, test: images/ISIC_1.jpg"), text)
        XCTAssertFalse(text.contains("SECRET"), text)

        let json = try medaug(["info", at("data"), "--labels", at("labels.csv"), "--json", "--quick"]).out
        XCTAssertFalse(json.contains("SECRET"), json)
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let patients = try XCTUnwrap(obj["patients"] as? [String: Any])
        XCTAssertEqual(patients["leaked"] as? Int, 1)
        let key = try XCTUnwrap((patients["examples"] as? [[String: Any]])?.first?["key"] as? String)
        XCTAssertTrue(key.hasPrefix("p-") && key.count == 18, key)
        let splits = try XCTUnwrap(obj["splits"] as? [[String: Any]])
        XCTAssertEqual(splits.map { $0["patientTotal"] as? Int }, [2, 2])

        let clear = try medaug(["info", at("data"), "--labels", at("labels.csv"), "--json", "--quick", "--keep-ids"]).out
        XCTAssertTrue(clear.contains("\"key\" : \"SECRET-1\""), clear)
    }

    func testAugmentManifestCarriesTheSameHashedKeysAsInfo() throws {
        try writeDataset()
        try medaug(["augment", "--input", at("data"), "--labels", at("labels.csv"), "--output", at("out"),
                    "--preset", "aug1", "--copies", "1"])
        let manifest = try String(contentsOfFile: at("out/manifest.csv"), encoding: .utf8)
        XCTAssertTrue(manifest.hasPrefix("output,source,copy,augmenters,group\n"), manifest)
        XCTAssertFalse(manifest.contains("SECRET"), manifest)
        let salt = at("home/id-salt")
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: salt)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o600)

        // A second command on the same machine computes the same keys: info on the output sees the leak by its key.
        let json = try medaug(["info", at("data"), "--labels", at("labels.csv"), "--json", "--quick"]).out
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let key = try XCTUnwrap(((obj["patients"] as? [String: Any])?["examples"] as? [[String: Any]])?.first?["key"] as? String)
        XCTAssertTrue(manifest.contains("train/mel/ISIC_0.jpg,images/ISIC_0.jpg,0,,\(key)\n"), manifest)
        let out = try medaug(["info", at("out"), "--quick"]).out
        XCTAssertTrue(out.contains("[patient-leak] 1 patient(s)") && out.contains(key), out)
        XCTAssertTrue(out.contains("split: train/<class>/ and test/<class>/"), out)
    }

    func testBadRowsStopOrAreListedWithSkipBad() throws {
        try writeDataset()
        var csv = try String(contentsOfFile: at("labels.csv"), encoding: .utf8)
        csv += "images/ISIC_9,nv,SECRET-4,train\n"
        try csv.write(toFile: at("labels.csv"), atomically: true, encoding: .utf8)
        let r = try medaug(["info", at("data"), "--labels", at("labels.csv")], expect: 1)
        XCTAssertTrue(r.err.contains("\(at("labels.csv")) row 8: 'images/ISIC_9' names no image"), r.err)
        let listed = try medaug(["info", at("data"), "--labels", at("labels.csv"), "--skip-bad"]).out
        XCTAssertTrue(listed.contains("[bad-row] \(at("labels.csv")) row 8:"), listed)
    }

    func testOptionMistakesAreUsageErrorsNamingTheOption() throws {
        try writeDataset()
        let cases: [([String], String)] = [
            (["--group-pattern", "(P[0-9]"], "--group-pattern '(P[0-9]'"),
            (["--path-column", "image"], "--path-column names a column of a labels CSV"),
            (["--labels", at("nope.csv")], "--labels '\(at("nope.csv"))': no such file"),
            (["--labels", at("data")], "is a folder"),
        ]
        for (args, words) in cases {
            let r = try medaug(["info", at("data")] + args, expect: 64)
            XCTAssertTrue(r.err.contains(words), "\(args): \(r.err)")
        }
        let r = try medaug(["info", at("data"), "--labels", at("labels.csv"), "--label-column", "diagnosis"], expect: 1)
        XCTAssertTrue(r.err.contains("no column 'diagnosis' (--label-column)") && r.err.contains("'image_id', 'dx'"), r.err)
    }

    func testEveryDatasetCommandTakesTheLabelOptions() throws {
        for command in [["info"], ["augment"], ["preview"], ["train"], ["evaluate"], ["gan", "train"], ["gan", "score"], ["experiment", "run"]] {
            let help = try medaug(command + ["--help"]).out
            for option in ["--labels", "--label-column", "--group-column", "--split-column", "--group-pattern", "--keep-ids", "--one-hot"] {
                XCTAssertTrue(help.contains(option), "\(command.joined(separator: " ")) --help lacks \(option)")
            }
        }
    }
}
