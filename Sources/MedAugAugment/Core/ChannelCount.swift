/// A channel count as a type, so that a generic kernel is compiled once per
/// count with the count a constant (loops over channels unrolled, offsets
/// folded), where an `Int` argument would leave one general copy.
protocol ChannelCount { static var count: Int { get } }
enum Channels1: ChannelCount { static var count: Int { 1 } }
enum Channels2: ChannelCount { static var count: Int { 2 } }
enum Channels3: ChannelCount { static var count: Int { 3 } }
enum Channels4: ChannelCount { static var count: Int { 4 } }
