// swift-tools-version:6.0
import PackageDescription
import Foundation

// libtorch comes from the pinned `torch` wheel that scripts/setup.sh installs
// into a venv outside the clone; setup leaves a stable symlink to the wheel's
// `torch` folder at $MEDAUG_HOME/libtorch (default ~/.cache/medaug/libtorch).
let env = ProcessInfo.processInfo.environment
let medaugHome = env["MEDAUG_HOME"] ?? (env["HOME"].map { "\($0)/.cache/medaug" } ?? "/root/.cache/medaug")
let torchDir = "\(medaugHome)/libtorch"
let torchFound = FileManager.default.fileExists(atPath: "\(torchDir)/include/ATen/ATen.h")

var torchCxx: [CXXSetting] = [
    .unsafeFlags([
        "-std=c++20",
        "-isystem", "\(torchDir)/include",
        "-isystem", "\(torchDir)/include/torch/csrc/api/include",
        "-D_GLIBCXX_USE_CXX11_ABI=1",
        "-Wno-deprecated-declarations",
    ]),
]
if !torchFound {
    // The shim turns this into a compile error that names the fix.
    torchCxx.append(.define("MEDAUG_LIBTORCH_MISSING"))
    torchCxx.append(.define("MEDAUG_LIBTORCH_DIR", to: "\"\(torchDir)\""))
}

// The layers, each depending only on those above it in this list. MedAugCore,
// MedAugImage, MedAugData and MedAugAugment need no libtorch: they build,
// test and can be adopted on a machine without the torch wheel.
var targets: [Target] = [
    // What every layer shares: seeded streams, atomic writes, CSV, config values, progress, errors.
    .target(name: "MedAugCore", dependencies: [.product(name: "Yams", package: "Yams")]),
    // Image files: libpng, libjpeg-turbo and libdeflate from Debian, found by pkg-config.
    .systemLibrary(name: "CPNG", pkgConfig: "libpng16",
                   providers: [.apt(["libpng-dev"])]),
    .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg",
                   providers: [.apt(["libjpeg62-turbo-dev"])]),
    // libdeflate writes PNG and reads the common PNGs (faster than libpng's zlib; BENCHMARKS.md).
    .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate",
                   providers: [.apt(["libdeflate-dev"])]),
    // libpng and libjpeg report errors by longjmp, which Swift cannot catch:
    // a small C layer keeps the setjmp on the C side and returns messages.
    .target(name: "CImageCodecs", dependencies: ["CPNG", "CJPEG", "CDeflate"]),
    .target(name: "MedAugImage", dependencies: ["CImageCodecs", "MedAugCore"]),
    // Medical formats: DICOM through GDCM (Debian's libgdcm; it ships no
    // pkg-config file, so its Debian include folder is named here) and TIFF
    // through libtiff. Kept out of MedAugImage so that the augmentation
    // library builds without them.
    .target(
        name: "CDicom",
        cxxSettings: [.unsafeFlags(["-std=c++17", "-isystem", "/usr/include/gdcm-3.0"])],
        linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("gdcmMSFF"), .linkedLibrary("gdcmDSED"), .linkedLibrary("gdcmCommon"),
                         .linkedLibrary("stdc++")]
    ),
    .systemLibrary(name: "CTIFF", pkgConfig: "libtiff-4", providers: [.apt(["libtiff-dev"])]),
    .target(name: "CTIFFCodec", dependencies: ["CTIFF"]),
    .target(name: "MedAugFormats", dependencies: ["CDicom", "CTIFFCodec", "MedAugImage", "MedAugCore"]),
    .target(name: "MedAugData", dependencies: ["MedAugFormats", "MedAugImage", "MedAugCore"]),
    // The augmentation library: pure Swift, no libtorch, usable on its own.
    .target(name: "MedAugAugment", dependencies: ["MedAugImage", "MedAugCore"]),
    // Process-wide settings (allocator, stdout buffering) that only executables choose.
    .target(name: "CProcess"),

    // The augmentation library alone (no libtorch): parity/augment_parity.py, Benchmarks/augment_bench.py.
    .executableTarget(name: "medaug-augbench", dependencies: ["MedAugAugment", "CProcess"], path: "Benchmarks/augment-swift"),

    // DICOM decoding and display against pydicom: parity/dicom_parity.py, Benchmarks/dicom_bench.py.
    .executableTarget(name: "medaug-dicomcheck", dependencies: ["MedAugFormats"], path: "parity/dicom-swift"),

    // Runs the built `medaug` for the test targets that check it end to end.
    .target(name: "MedAugTestSupport", dependencies: ["MedAugImage", "MedAugCore"], path: "Tests/Support"),
    .testTarget(name: "MedAugCoreTests", dependencies: ["MedAugCore", "CProcess", "MedAugTestSupport"]),
    .testTarget(name: "MedAugImageTests", dependencies: ["MedAugImage", "CImageCodecs"]),
    .testTarget(name: "MedAugFormatsTests", dependencies: ["MedAugFormats", "CTIFF", "MedAugTestSupport"]),
    .testTarget(name: "MedAugDataTests", dependencies: ["MedAugData"]),
    .testTarget(name: "MedAugAugmentTests", dependencies: ["MedAugAugment"]),
]

var products: [Product] = [
    .library(name: "MedAugCore", targets: ["MedAugCore"]),
    .library(name: "MedAugImage", targets: ["MedAugImage"]),
    .library(name: "MedAugFormats", targets: ["MedAugFormats"]),
    .library(name: "MedAugData", targets: ["MedAugData"]),
    .library(name: "MedAugAugment", targets: ["MedAugAugment"]),
]

// Everything that runs networks. Swift sees libtorch only through CTorch, a
// C loader that opens libMedAugTorchRuntime.so (the C++ shim, linked against
// libtorch) on first use: `info`, `augment` and the other data commands never
// load libtorch, and everything here builds without the torch wheel. Only
// the runtime needs the wheel; `make setup` installs it and `make build`
// builds the runtime beside `medaug`.
targets += [
    // The C ABI over libtorch: Swift sees only include/ctorch.h.
    .target(name: "CTorch", linkerSettings: [.linkedLibrary("dl")]),
    .target(name: "MedAugTorch", dependencies: ["CTorch", "MedAugImage", "MedAugCore"]),
    .target(name: "MedAugModels", dependencies: ["MedAugTorch"]),
    .target(name: "MedAugTrain", dependencies: ["MedAugModels", "MedAugData", "MedAugFormats", "MedAugAugment"]),
    .target(name: "MedAugExperiment", dependencies: ["MedAugTrain", "MedAugFormats"]),

    .executableTarget(
        name: "medaug",
        dependencies: [
            "MedAugCore", "MedAugImage", "MedAugData", "MedAugTorch", "MedAugModels", "MedAugTrain", "MedAugAugment",
            "MedAugExperiment", "CProcess",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]
    ),

    // The Swift half of the PyTorch parity harness (parity/torch_parity.py).
    .executableTarget(name: "medaug-parity", dependencies: ["MedAugTrain"], path: "parity/swift"),

    // The Swift side of the side-by-side benchmarks (Benchmarks/*.py).
    .executableTarget(name: "medaug-bench", dependencies: ["MedAugModels", "MedAugImage", "CProcess"], path: "Benchmarks/swift"),

    .testTarget(name: "MedAugTorchTests", dependencies: ["MedAugTorch", "MedAugTestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "MedAugModelsTests", dependencies: ["MedAugModels"]),
    .testTarget(name: "MedAugTrainTests", dependencies: ["MedAugTrain", "MedAugTestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "MedAugExperimentTests", dependencies: ["MedAugExperiment", "MedAugTestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "MedAugCLITests", dependencies: ["medaug", "MedAugData", "MedAugImage", "MedAugTestSupport"]),
]
products += [
    .executable(name: "medaug", targets: ["medaug"]),
    .library(name: "MedAugTorch", targets: ["MedAugTorch"]),
    .library(name: "MedAugModels", targets: ["MedAugModels"]),
]

// The runtime itself: the C++ shim over libtorch, a shared library that CTorch
// loads. Left out of the graph when the torch wheel is absent (the commands
// that need it then say so and name `make setup`).
if torchFound || env["MEDAUG_REQUIRE_TORCH"] != nil {
    targets.append(
        .target(
            name: "CTorchRuntime",
            cxxSettings: torchCxx,
            linkerSettings: [
                .unsafeFlags([
                    "-L\(torchDir)/lib",
                    "-Xlinker", "-rpath", "-Xlinker", "\(torchDir)/lib",
                    // Calls inside the runtime bind to its own functions, never
                    // to the executable's same-named trampolines.
                    "-Xlinker", "-Bsymbolic",
                    "-Xlinker", "--no-as-needed",
                    "-ltorch", "-ltorch_cpu", "-lc10",
                    "-Xlinker", "--as-needed",
                ]),
                .linkedLibrary("stdc++"),
            ]
        )
    )
    products.append(.library(name: "MedAugTorchRuntime", type: .dynamic, targets: ["CTorchRuntime"]))
}

let package = Package(
    name: "MedAug",
    platforms: [.macOS(.v13)],
    products: products,
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: targets,
    cxxLanguageStandard: .cxx20
)
