import Foundation
import MedAugAugment
import MedAugData
import MedAugImage

extension AugmentPreview {
    /// The grid for a dataset with targets: one row per image, the original
    /// first, then augmented samples, each with its masks, boxes and keypoints
    /// drawn over it (boxes as ``TargetDatasetAugmenter`` writes them: removed
    /// below `minVisibility`, clipped).
    public static func gridWithTargets(input: String, annotations: String?, pipeline: MedAugAugment.Sequential,
                                       rows: Int, cols: Int, seed: UInt64, cell: Int = 160,
                                       minVisibility: Double = 0) throws -> Image {
        let dataset = try TargetDataset.open(root: input, annotations: annotations)
        let pool = dataset.items
        guard !pool.isEmpty else { throw DatasetError.invalidArgument("\(input): the dataset has no images") }
        let n = min(rows, pool.count)
        var tiles: [Image] = []
        for r in 0..<n {
            // Evenly spread over the dataset.
            let item = pool[r * pool.count / n]
            let sample = try dataset.load(item)
            tiles.append(cellImage(sample, cell))
            for k in 1..<cols {
                var ctx = AugmentContext(seed: seed, identity: "\(item.stem)#preview\(k)")
                var out = try pipeline.augment(sample, &ctx)
                out.targets = out.targets.finished(width: out.image.width, height: out.image.height,
                                                   minVisibility: minVisibility).targets
                tiles.append(cellImage(out, cell))
            }
        }
        return ImageGrid.make(tiles, columns: cols, padding: 4, background: 255)
    }

    /// Draws the grid with targets and writes it to `out` as a PNG; an `out`
    /// inside the input is refused before anything is read.
    public static func writeWithTargets(to out: String, input: String, annotations: String?, pipeline: MedAugAugment.Sequential,
                                        rows: Int, cols: Int, seed: UInt64, cell: Int = 160,
                                        minVisibility: Double = 0) throws -> Image {
        try OutputGuard.check(output: out, inputs: [input] + (annotations.map { [$0] } ?? []))
        let image = try gridWithTargets(input: input, annotations: annotations, pipeline: pipeline, rows: rows, cols: cols,
                                        seed: seed, cell: cell, minVisibility: minVisibility)
        try ImageFile.write(image, to: out)
        return image
    }

    /// One sample drawn at cell size with its targets, letterboxed into the cell.
    static func cellImage(_ sample: AnnotatedImage, _ cell: Int) -> Image {
        let s = Double(cell) / Double(max(sample.image.width, sample.image.height, 1))
        let w = max(1, Int(Double(sample.image.width) * s)), h = max(1, Int(Double(sample.image.height) * s))
        // Targets are drawn after scaling, so lines and dots keep their size whatever the image size.
        return fit(TargetOverlay.draw(sample, scaledTo: w, height: h), cell)
    }
}
