import Foundation
import MedAugFormats
import MedAugAugment
import MedAugData
import MedAugImage
import MedAugTorch

/// Decodes, augments and batches images on other cores while the model
/// trains. Batches come out in order; each image's augmentation stream is
/// derived from (seed, path, epoch), so results do not depend on timing.
public final class BatchLoader: @unchecked Sendable {
    public struct Batch {
        public let images: Tensor
        public let labels: Tensor
        public let samples: [Sample]
    }

    let samples: [Sample]
    let batchSize: Int
    let preprocessing: Preprocessing
    let augment: MedAugAugment.Sequential?
    let seed: UInt64
    let epoch: Int
    let maxPixels: Int
    private let lock = NSCondition()
    private var ready: [Int: Result<([Image], [Sample]), Error>] = [:]
    private var next = 0
    private let ahead = 2
    private var stopped = false
    private var produced = 0

    public var batchCount: Int { (samples.count + batchSize - 1) / batchSize }

    public init(samples: [Sample], batchSize: Int, preprocessing: Preprocessing, augment: MedAugAugment.Sequential? = nil,
                seed: UInt64, epoch: Int, maxPixels: Int = ImageCodec.defaultMaxPixels) {
        self.samples = samples
        self.batchSize = max(1, batchSize)
        self.preprocessing = preprocessing
        self.augment = augment
        self.seed = seed
        self.epoch = epoch
        self.maxPixels = maxPixels
        let producer = Thread { [weak self] in self?.produce() }
        producer.stackSize = 1 << 22
        producer.start()
    }

    deinit { stop() }

    public func stop() {
        lock.lock()
        stopped = true
        lock.broadcast()
        lock.unlock()
    }

    private func produce() {
        for b in 0..<batchCount {
            lock.lock()
            while !stopped && b >= next + ahead { lock.wait() }
            let stop = stopped
            lock.unlock()
            if stop { return }
            let part = Array(samples[(b * batchSize)..<min(samples.count, (b + 1) * batchSize)])
            let result = Result { () throws -> ([Image], [Sample]) in (try prepare(part), part) }
            lock.lock()
            ready[b] = result
            lock.broadcast()
            lock.unlock()
        }
    }

    private func prepare(_ part: [Sample]) throws -> [Image] {
        let results = ResultSlots<Image>(count: part.count)
        let pre = preprocessing, aug = augment, seed = seed, epoch = epoch, maxPixels = maxPixels
        DispatchQueue.concurrentPerform(iterations: part.count) { i in
            results.set(i, Result {
                var img = pre.prepare(try MedicalImageFile.read(part[i].path, maxPixels: maxPixels))
                if let aug {
                    img = try aug(img, seed: seed, identity: "\(part[i].path)#epoch\(epoch)")
                    if img.width != pre.imageSize || img.height != pre.imageSize { img = pre.prepare(img) }
                }
                return img
            })
        }
        return try results.values()
    }

    /// The next batch, or nil at the end of the epoch.
    public func nextBatch() throws -> Batch? {
        lock.lock()
        let b = next
        guard b < batchCount else { lock.unlock(); return nil }
        while ready[b] == nil { lock.wait() }
        let result = ready.removeValue(forKey: b)!
        next += 1
        lock.broadcast()
        lock.unlock()
        let (images, part) = try result.get()
        let x = try Tensor(images: images, scaling: preprocessing.scaling)
        let y = try Tensor(part.map { Int64($0.classIndex) }, shape: [part.count])
        return Batch(images: x, labels: y, samples: part)
    }
}

/// Per-index results filled from concurrent workers; the first failure wins.
final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [Result<T, Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ r: Result<T, Error>) {
        lock.lock()
        slots[i] = r
        lock.unlock()
    }

    func values() throws -> [T] { try slots.map { try $0!.get() } }
}
