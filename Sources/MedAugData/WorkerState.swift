import Foundation

// State shared by the threads of DispatchQueue.concurrentPerform; every
// access takes the lock, which costs nothing next to decoding or drawing an image.

/// Fixed slots filled from several threads.
final class Slots<T>: @unchecked Sendable {
    private var items: [T?]
    private var filled = 0
    private let lock = NSLock()

    init(count: Int) { items = [T?](repeating: nil, count: count) }

    /// Stores a value and returns how many slots are filled.
    func set(_ i: Int, _ value: T) -> Int {
        lock.lock()
        defer { lock.unlock() }
        items[i] = value
        filled += 1
        return filled
    }

    subscript(i: Int) -> T? {
        lock.lock()
        defer { lock.unlock() }
        return items[i]
    }
}

/// Progress and early stop shared by worker threads.
final class Counter: @unchecked Sendable {
    private var value = 0
    private var stopped = false
    private let lock = NSLock()

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }

    func fail() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    var failed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }
}
