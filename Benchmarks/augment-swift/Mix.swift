// `mix`: MixUp and CutMix (BatchMixing) on batches given from outside, with
// the λ and CutMix centre that torchvision drew, so parity/mix_parity.py can
// compare the mixed images and soft labels with torchvision.transforms.v2's.
//
//   mix CASES.json OUT.json
//
// CASES.json: [{"kind": "mixup"|"cutmix", "lambda": L, "center": [cx, cy]
// (CutMix), "shape": [N, C, H, W], "labels": [...], "classes": K,
// "images": [N*C*H*W floats]}]. OUT.json: per case {"mixed_images",
// "mixed_labels", "label_weight", "box" (CutMix)}.
import Foundation
import MedAugAugment

func mix(_ a: Arguments) throws {
    guard a.positional.count == 3 else { throw Usage(usage) }
    let data = try Data(contentsOf: URL(fileURLWithPath: a.positional[1]))
    guard let cases = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
        throw Usage("\(a.positional[1]): expected a JSON list of cases")
    }
    var results: [[String: Any]] = []
    for (i, c) in cases.enumerated() {
        guard let kind = c["kind"] as? String, let lambda = (c["lambda"] as? NSNumber)?.doubleValue,
              let shape = c["shape"] as? [Int], shape.count == 4, let labels = c["labels"] as? [Int],
              let classes = c["classes"] as? Int, let images = c["images"] as? [NSNumber],
              images.count == shape.reduce(1, *), labels.count == shape[0]
        else { throw Usage("\(a.positional[1]): case \(i) lacks kind, lambda, shape, labels, classes or images") }
        var x = images.map { $0.floatValue }
        var result: [String: Any] = [:]
        let weight: Double
        if kind == "cutmix" {
            guard let center = c["center"] as? [Int], center.count == 2 else { throw Usage("case \(i): cutmix needs center") }
            let box = BatchMixing.cutmixBox(lambda: lambda, centerX: center[0], centerY: center[1],
                                            width: shape[3], height: shape[2])
            weight = BatchMixing.cutmix(&x, shape: shape, box: box)
            result["box"] = [box.x1, box.y1, box.x2, box.y2]
        } else {
            BatchMixing.mixup(&x, shape: shape, lambda: lambda)
            weight = lambda
        }
        let targets = BatchMixing.mixLabels(BatchMixing.oneHot(labels, classes: classes), lambda: weight)
        result["label_weight"] = weight
        result["mixed_labels"] = targets
        result["mixed_images"] = x.map(Double.init)
        results.append(result)
    }
    let out = try JSONSerialization.data(withJSONObject: results)
    try out.write(to: URL(fileURLWithPath: a.positional[2]), options: .atomic)
}
