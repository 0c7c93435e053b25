import Foundation

/// Hands out 0, 1, 2, ... to concurrent workers pulling from one list.
public final class AtomicCounter: @unchecked Sendable {
    public init() {}
    private var n = 0
    private let lock = NSLock()
    public func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        n += 1
        return n - 1
    }
}

/// The first error any worker hit; the others stop when they see it.
public final class FirstError: @unchecked Sendable {
    public init() {}
    private var e: Error?
    private let lock = NSLock()
    public var value: Error? {
        lock.lock()
        defer { lock.unlock() }
        return e
    }
    public func set(_ error: Error) {
        lock.lock()
        if e == nil { e = error }
        lock.unlock()
    }
}

