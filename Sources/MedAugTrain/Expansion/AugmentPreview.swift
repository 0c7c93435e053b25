import Foundation
import MedAugFormats
import MedAugAugment
import MedAugData
import MedAugImage

/// Originals beside augmented samples, for people who would rather look than read.
public enum AugmentPreview {
    /// The grid: one row per image, the original first, then `cols - 1` augmented samples.
    public static func grid(input: String, pipeline: MedAugAugment.Sequential, rows: Int, cols: Int, seed: UInt64, cell: Int = 160) throws -> Image {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDir) else {
            throw DatasetError.rootMissing(path: input)
        }
        var paths: [String]
        if isDir.boolValue {
            let ds = try Dataset.load(root: input)
            let pool = ds.layout == .split ? ds.samples(in: .train) : ds.samples
            guard !pool.isEmpty else { throw DatasetError.noClassFolders(path: input) }
            // Evenly spread, so every class shows up.
            paths = (0..<min(rows, pool.count)).map { pool[$0 * pool.count / min(rows, pool.count)].path }
        } else {
            paths = [input]
        }
        var tiles: [Image] = []
        for p in paths {
            let img = try MedicalImageFile.read(p).to8Bit()
            tiles.append(fit(img, cell))
            for k in 1..<cols {
                var ctx = AugmentContext(seed: seed, identity: "\(p)#preview\(k)")
                tiles.append(fit(try pipeline.augment(img, &ctx).to8Bit(), cell))
            }
        }
        return ImageGrid.make(tiles, columns: cols, padding: 4, background: 255)
    }

    /// Draws the grid and writes it to `out` as a PNG. An `out` that is the
    /// input or lies inside it (`--out DATA/train/a/p.png`) is refused before
    /// anything is read: the grid would land in the dataset it shows.
    public static func write(to out: String, input: String, pipeline: MedAugAugment.Sequential,
                             rows: Int, cols: Int, seed: UInt64, cell: Int = 160) throws -> Image {
        try OutputGuard.check(output: out, inputs: [input])
        let image = try grid(input: input, pipeline: pipeline, rows: rows, cols: cols, seed: seed, cell: cell)
        try ImageFile.write(image, to: out)
        return image
    }

    /// Letterboxed into a cell-sized RGB square.
    public static func fit(_ img: Image, _ cell: Int) -> Image {
        let rgb = ChannelConversion.convert(img, to: 3)
        let s = Double(cell) / Double(max(rgb.width, rgb.height, 1))
        let w = max(1, Int(Double(rgb.width) * s)), h = max(1, Int(Double(rgb.height) * s))
        let r = rgb.resized(width: w, height: h, interpolation: s < 1 ? .area : .linear)
        var out = [UInt8](repeating: 240, count: cell * cell * 3)
        let ox = (cell - w) / 2, oy = (cell - h) / 2
        let src = r.bytes!
        for y in 0..<h {
            let d = ((oy + y) * cell + ox) * 3
            out.replaceSubrange(d..<(d + w * 3), with: src[(y * w * 3)..<((y + 1) * w * 3)])
        }
        return Image(width: cell, height: cell, channels: 3, bytes: out)
    }
}
