import Foundation

/// Ctrl-C during training: the first one asks the loop to stop at the next
/// batch (the last finished epoch is already saved); a second one exits at once.
public enum Interrupt {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    public static var requested: Bool { flag != 0 }

    public static func install() {
        signal(SIGINT) { _ in
            if Interrupt.flag != 0 { _exit(130) }
            Interrupt.flag = 1
        }
    }

    /// For tests: pretend Ctrl-C was pressed, or clear it.
    public static func set(_ on: Bool) { flag = on ? 1 : 0 }
}
