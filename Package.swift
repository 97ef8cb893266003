// swift-tools-version: 6.2
import PackageDescription

/// Dependencies point one way, toward pure code (see README "Layout").
let package = Package(
    name: "hpo",
    products: [
        .executable(name: "hpo", targets: ["hpo"]),
        .executable(name: "hpo-bench", targets: ["hpo-bench"]),
        .library(name: "HPOOptimizer", targets: ["HPOOptimizer", "HPOSearchSpace", "HPOMath"]),
        .library(name: "HPORuntime", targets: ["HPORuntime"]),
    ],
    // Exact versions: Package.resolved stays out of git (the development mirror's commit ids are not GitHub's), so
    // these pins are what makes a clean clone, CI and the container build (deploy/Dockerfile) resolve the same code.
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    ],
    targets: [
        // System libraries (Debian: liblapacke-dev + libopenblas-dev, libzmq3-dev, zlib1g-dev).
        .systemLibrary(name: "CLAPACK", path: "Sources/CLAPACK"),
        .systemLibrary(name: "CZeroMQ", path: "Sources/CZeroMQ"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // fork/exec with PR_SET_PDEATHSIG and a process-group watchdog, which posix_spawn cannot express.
        .target(name: "CChildProcess"),

        // Pure code.
        .target(name: "HPOSearchSpace"),
        .target(name: "HPOMath", dependencies: ["CLAPACK"]),
        .target(name: "HPOOptimizer", dependencies: ["HPOSearchSpace", "HPOMath"]),
        .target(name: "HPOTrainer", dependencies: ["HPOMath", "CZlib"]),
        .target(name: "HPOWire", dependencies: ["HPOSearchSpace"]),
        .target(name: "HPOCoordinatorCore", dependencies: ["HPOWire", "HPOOptimizer"]),
        .target(name: "HPOReport"),
        .target(name: "HPOWorkerCore", dependencies: ["HPOWire"]),

        // I/O at the edge.
        .target(name: "HPOZeroMQ", dependencies: ["CZeroMQ"]),
        .target(
            name: "HPORuntime",
            dependencies: [
                "HPOSearchSpace", "HPOMath", "HPOOptimizer", "HPOTrainer", "HPOWire",
                "HPOCoordinatorCore", "HPOWorkerCore", "HPOZeroMQ", "CChildProcess", "HPOReport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "hpo",
            dependencies: [
                "HPORuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "hpo-bench",
            dependencies: [
                "HPORuntime", "HPOOptimizer", "HPOTrainer", "HPOSearchSpace", "HPOMath", "HPOCoordinatorCore", "HPOWire", "HPOZeroMQ",
                "HPOReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Shared by test targets only: binary locator, free ports, process harness, condition waits, journal rows.
        .target(
            name: "HPOTestSupport", dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/HPOTestSupport"),

        // One test target per source target, plus CLI tests that run the built binary.
        .testTarget(name: "HPOSearchSpaceTests", dependencies: ["HPOSearchSpace"]),
        .testTarget(name: "HPOMathTests", dependencies: ["HPOMath"], exclude: ["Fixtures"]),
        .testTarget(name: "HPOOptimizerTests", dependencies: ["HPOOptimizer", "HPOSearchSpace", "HPOMath"]),
        .testTarget(name: "HPOTrainerTests", dependencies: ["HPOTrainer", "HPOMath"], exclude: ["Fixtures"]),
        .testTarget(name: "HPOWireTests", dependencies: ["HPOWire", "HPOSearchSpace"]),
        .testTarget(name: "HPOCoordinatorCoreTests", dependencies: ["HPOCoordinatorCore", "HPOWire", "HPOOptimizer", "HPOSearchSpace"]),
        .testTarget(name: "HPOZeroMQTests", dependencies: ["HPOZeroMQ", "HPOTestSupport"]),
        .testTarget(name: "HPOReportTests", dependencies: ["HPOReport"]),
        .testTarget(name: "HPOWorkerCoreTests", dependencies: ["HPOWorkerCore", "HPOWire"]),
        .testTarget(name: "HPORuntimeTests", dependencies: ["HPORuntime", "HPOWire", "HPOSearchSpace", "HPOZeroMQ", "HPOCoordinatorCore", "HPOOptimizer", "HPOTestSupport", .product(name: "GRDB", package: "GRDB.swift")], exclude: ["Scripts", "Fixtures"]),
        .testTarget(
            name: "HPOCLITests",
            dependencies: ["hpo", "HPOTestSupport", .product(name: "Yams", package: "Yams")]),
        // Faults caused for real against the built binaries: stalls, partitions (network namespaces).
        .testTarget(name: "HPOFaultTests", dependencies: ["hpo", "HPOTestSupport"]),
    ]
)

// Strict compiler settings for every Swift target, in one place.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ]
}
