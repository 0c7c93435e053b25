// swift-tools-version:6.0
// A package of its own that adopts MedAug's augmentation library. It names
// only MedAugAugment and MedAugImage, so nothing of libtorch is built or
// needed: this is what another Swift project's manifest looks like.
import PackageDescription

let package = Package(
    name: "augment-only",
    platforms: [.macOS(.v13)],
    dependencies: [
        // From another project: .package(url: "<MedAug's git URL>", from: "<version>")
        .package(name: "MedAug", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "augment-only",
            dependencies: [
                .product(name: "MedAugAugment", package: "MedAug"),
                .product(name: "MedAugImage", package: "MedAug"),
            ]
        ),
    ]
)
