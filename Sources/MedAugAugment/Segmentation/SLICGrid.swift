import Foundation

/// Where SLIC seeds its clusters: scikit-image's `regular_grid` on a
/// (1, H, W) volume, which is what `slic` uses for 2-D images.
///
/// The seeds are `start + i * step` along each axis. skimage works out the
/// step as the square root of (pixels / points); when the shorter side cannot
/// hold one step, that side gets a single seed row in its middle and the
/// longer side is divided into `points` parts.
struct SLICGrid: Equatable {
    let startY: Int, stepY: Int
    let startX: Int, stepX: Int
    let countY: Int, countX: Int

    init(height: Int, width: Int, points: Int) {
        precondition(height > 0 && width > 0 && points > 0)
        let space = Double(height * width)
        var sy = 1.0, sx = 1.0
        var sliced = false
        if space > Double(points) {
            sliced = true
            // The depth axis (length 1) is always narrower than the cube-root
            // step, so skimage drops it and retries in two dimensions.
            let s = pow(space / Double(points), 0.5)
            let short = Double(min(height, width)), long = Double(max(height, width))
            let (stepShort, stepLong) = short >= s ? (s, s) : (short, long / Double(points))
            // Equal sides take the first branch, so which side is "short" on a tie does not matter.
            if height <= width { sy = stepShort; sx = stepLong } else { sy = stepLong; sx = stepShort }
        }
        if sliced {
            startY = Int((sy / 2).rounded(.down)); stepY = Int(sy.rounded(.toNearestOrEven))
            startX = Int((sx / 2).rounded(.down)); stepX = Int(sx.rounded(.toNearestOrEven))
        } else {
            // skimage's `slice(None)`: every pixel is a seed.
            startY = 0; stepY = 1; startX = 0; stepX = 1
        }
        countY = (height - startY + stepY - 1) / stepY
        countX = (width - startX + stepX - 1) / stepX
    }

    var count: Int { countY * countX }
}
