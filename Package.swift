// swift-tools-version: 6.2
import PackageDescription

/// Dependencies point one way, toward pure code (see README "Layout").
let package = Package(
    name: "hpo",
    products: [
        .executable(name: "hpo", targets: ["hpo"]),
        .executable(name: "hpo-bench", targets: ["hpo-bench"]),
        .library(name: "HPOOptimizer", targets: ["HPOOptimizer", "HPOSearchSpace", "HPOMath"]),
        .library(name: "HPOStudyFile", targets: ["HPOStudyFile"]),
        .library(name: "HPOWorkerRuntime", targets: ["HPOWorkerRuntime", "HPOObjectives"]),
        .library(name: "HPOCoordinatorRuntime", targets: ["HPOCoordinatorRuntime"]),
        .library(name: "HPOOutput", targets: ["HPOOutput"]),
        .library(name: "HPOLocalRun", targets: ["HPOLocalRun"]),
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
        // The GP's and the trainer's hot loops, built for the baseline, AVX2 + FMA and AVX-512, chosen by the CPU.
        .target(name: "CVectorKernels"),

        // Pure code.
        // HPOError (code + message, one alias per module) and CodedError; stdlib only, so every target may import it.
        .target(name: "HPOErrors"),
        .target(name: "HPOSearchSpace"),
        .target(name: "HPOMath", dependencies: ["HPOErrors", "CLAPACK", "CVectorKernels"]),
        .target(name: "HPOOptimizer", dependencies: ["HPOErrors", "HPOSearchSpace", "HPOMath"]),
        .target(name: "HPOTrainer", dependencies: ["HPOMath", "CZlib"]),
        .target(name: "HPOWire", dependencies: ["HPOSearchSpace"]),
        .target(name: "HPOCoordinatorCore", dependencies: ["HPOErrors", "HPOWire", "HPOOptimizer"]),
        .target(name: "HPOReport"),
        .target(name: "HPOWorkerCore", dependencies: ["HPOWire"]),
        // The Branin study file the benchmarks run and the tests start from.
        .target(name: "HPOExampleStudies"),

        // I/O at the edge.
        .target(name: "HPOZeroMQ", dependencies: ["CZeroMQ"]),
        // Shared by the runtime roles: mailbox and serial thread, BLAS kernel choice, CURVE key files, child processes.
        .target(name: "HPORuntimeSupport", dependencies: ["HPOErrors", "HPOMath", "HPOZeroMQ", "CChildProcess"]),
        // The study file: StudyConfig, YAML reading, durations, endpoint syntax.
        .target(
            name: "HPOStudyFile",
            dependencies: [
                "HPOErrors", "HPOSearchSpace", "HPOOptimizer", "HPOWire", "HPOCoordinatorCore", "HPORuntimeSupport",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // What a trial runs: the objectives (command, mlp, test functions, null) and their factory.
        .target(
            name: "HPOObjectives",
            dependencies: [
                "HPOErrors", "HPOStudyFile", "HPORuntimeSupport", "HPOSearchSpace", "HPOMath", "HPOOptimizer", "HPOTrainer", "HPOWire",
                "HPOZeroMQ", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The worker: service, connection (sockets, reconnect), trial runner, configuration.
        .target(
            name: "HPOWorkerRuntime",
            dependencies: [
                "HPOObjectives", "HPOStudyFile", "HPORuntimeSupport", "HPOWorkerCore", "HPOWire", "HPOZeroMQ", "CLAPACK",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The coordinator: service, journal, study setup.
        .target(
            name: "HPOCoordinatorRuntime",
            dependencies: [
                "HPOErrors", "HPOObjectives", "HPOStudyFile", "HPORuntimeSupport", "HPOCoordinatorCore", "HPOOptimizer", "HPOSearchSpace",
                "HPOWire", "HPOZeroMQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // What users read: hpo show, hpo status, the end-of-study summary, hpo report, hpo export, the progress line.
        .target(
            name: "HPOOutput",
            dependencies: [
                "HPOErrors", "HPOCoordinatorRuntime", "HPOStudyFile", "HPORuntimeSupport", "HPOCoordinatorCore", "HPOOptimizer",
                "HPOSearchSpace", "HPOWire", "HPOZeroMQ", "HPOReport",
            ]
        ),
        // `hpo run`'s local orchestration: worker processes on this machine beside an in-process coordinator.
        .target(
            name: "HPOLocalRun",
            dependencies: [
                "HPOCoordinatorRuntime", "HPOObjectives", "HPORuntimeSupport", "HPOCoordinatorCore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "hpo",
            dependencies: [
                "HPORuntimeSupport", "HPOStudyFile", "HPOObjectives", "HPOWorkerRuntime", "HPOCoordinatorRuntime", "HPOOutput", "HPOLocalRun",
                "HPOCoordinatorCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "hpo-bench",
            dependencies: [
                "HPORuntimeSupport", "HPOStudyFile", "HPOObjectives", "HPOWorkerRuntime", "HPOCoordinatorRuntime", "HPOOutput", "HPOLocalRun",
                "HPOOptimizer", "HPOTrainer", "HPOSearchSpace", "HPOMath", "HPOCoordinatorCore", "HPOWire", "HPOZeroMQ",
                "HPOReport", "HPOExampleStudies",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Shared by test targets only: binary locator, free ports, process harness, condition waits, journal rows.
        .target(
            name: "HPOTestSupport", dependencies: ["HPOExampleStudies", "HPOZeroMQ", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/HPOTestSupport"),

        // One test target per source target, plus CLI tests that run the built binary.
        .testTarget(name: "HPOErrorsTests", dependencies: ["HPOErrors"]),
        .testTarget(name: "HPOSearchSpaceTests", dependencies: ["HPOSearchSpace", "HPOMath"]),
        .testTarget(name: "HPOMathTests", dependencies: ["HPOMath"], exclude: ["Fixtures"]),
        .testTarget(name: "HPOOptimizerTests", dependencies: ["HPOOptimizer", "HPOSearchSpace", "HPOMath"]),
        .testTarget(name: "HPOTrainerTests", dependencies: ["HPOTrainer", "HPOMath", "HPOTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "HPOWireTests", dependencies: ["HPOWire", "HPOSearchSpace", "HPOMath"]),
        .testTarget(name: "HPOCoordinatorCoreTests", dependencies: ["HPOCoordinatorCore", "HPOWire", "HPOOptimizer", "HPOSearchSpace"]),
        .testTarget(name: "HPOZeroMQTests", dependencies: ["HPOZeroMQ", "HPOTestSupport"]),
        .testTarget(name: "HPOReportTests", dependencies: ["HPOReport"]),
        .testTarget(name: "HPOWorkerCoreTests", dependencies: ["HPOWorkerCore", "HPOWire"]),
        // docs/protocol.md's sessions and tables against both pure machines.
        .testTarget(
            name: "HPOProtocolTests",
            dependencies: ["HPOWire", "HPOWorkerCore", "HPOCoordinatorCore", "HPOOptimizer", "HPOSearchSpace"]),
        .testTarget(
            name: "HPOStudyFileTests", dependencies: ["HPOStudyFile", "HPOObjectives", "HPOWorkerRuntime", "HPOSearchSpace", "HPOWire"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "HPOObjectivesTests",
            dependencies: ["HPOObjectives", "HPOStudyFile", "HPORuntimeSupport", "HPOSearchSpace", "HPOWire", "HPOTestSupport"],
            exclude: ["Scripts"]),
        .testTarget(
            name: "HPOWorkerRuntimeTests",
            dependencies: [
                "HPOWorkerRuntime", "HPOWorkerCore", "HPOObjectives", "HPORuntimeSupport", "HPOWire", "HPOSearchSpace", "HPOZeroMQ",
                "HPOTestSupport",
            ]),
        .testTarget(
            name: "HPOCoordinatorRuntimeTests",
            dependencies: [
                "HPOCoordinatorRuntime", "HPOOutput", "HPOWorkerRuntime", "HPOWorkerCore", "HPOObjectives", "HPOStudyFile", "HPORuntimeSupport",
                "HPOCoordinatorCore", "HPOOptimizer", "HPOSearchSpace", "HPOWire", "HPOZeroMQ", "HPOTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "HPOOutputTests",
            dependencies: ["HPOOutput", "HPOCoordinatorRuntime", "HPOCoordinatorCore", "HPOOptimizer", "HPOSearchSpace", .product(name: "GRDB", package: "GRDB.swift")]),
        // Whole studies through the built binaries: hpo run, hpo coordinator + hpo worker, report, export, Slurm recipes.
        .testTarget(
            name: "HPOEndToEndTests",
            dependencies: [
                "hpo", "HPOCoordinatorRuntime", "HPOObjectives", "HPOStudyFile", "HPOOutput", "HPOWorkerRuntime", "HPOCoordinatorCore", "HPOSearchSpace", "HPOWire",
                "HPOZeroMQ", "HPOTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Scripts"]),
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
