// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "ftlab",
    // Linux only: the code calls Glibc, libnuma and /proc directly and has no Darwin path, so no
    // Apple platform is declared.
    products: [
        .executable(name: "ftlab", targets: ["ftlab"]),
        .library(
            name: "FTLab",
            targets: ["FTLabCore", "FTLabRunner", "FTLabAnalysis", "FTLabExplain", "FTLabBuilds"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/ordo-one/TextTable", from: "0.0.2"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CNuma",
            path: "Sources/CNuma",
            providers: [.apt(["libnuma-dev"])]
        ),
        // The layers, bottom to top; every arrow points down (the compiler refuses a back-edge,
        // and ArchitectureTests refuses an import the table below does not allow).
        //   FTLabCore          support, the cache folder, topology, processes, statistics, results
        //   FTLabHarness       the harness protocol (protocol.json), manifests, the catalog, TOML
        //   FTLabLoadGen       the HTTP load generator        FTLabNative   native ceilings (ftlab _native)
        //   FTLabInterpreters  finding, probing and caching interpreters; venvs
        //   FTLabRunner        the run session: plan, placement, allocators, execution, the schedule,
        //                      shards and Slurm, a project's test suite as a workload
        //   FTLabAnalysis      compare, report (reads results only; never spawns a workload)
        //   FTLabExplain       explain: runs one configuration under perf, then analyses it
        //   FTLabBuilds        interpreter builds (the version ladder), the container lab, the bundle
        .target(
            name: "FTLabCore",
            dependencies: [
                "CNuma",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "TextTable", package: "TextTable"),
            ]
        ),
        .target(
            name: "FTLabHarness",
            dependencies: ["FTLabCore", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(
            name: "FTLabLoadGen",
            dependencies: ["FTLabCore", "FTLabHarness", "CNuma", .product(name: "Histogram", package: "hdrhistogram-swift")]
        ),
        .target(
            name: "FTLabNative",
            dependencies: ["FTLabCore", "FTLabHarness", "CNuma"]
        ),
        .target(
            name: "FTLabInterpreters",
            dependencies: ["FTLabCore", "FTLabHarness", "FTLabNative"]
        ),
        .target(
            name: "FTLabRunner",
            dependencies: [
                "FTLabCore", "FTLabHarness", "FTLabLoadGen", "FTLabNative", "FTLabInterpreters",
                "CNuma",
            ]
        ),
        .target(
            name: "FTLabAnalysis",
            dependencies: [
                "FTLabCore",
                .product(name: "Plot", package: "Plot"),
            ]
        ),
        .target(
            name: "FTLabExplain",
            dependencies: ["FTLabCore", "FTLabHarness", "FTLabInterpreters", "FTLabRunner", "FTLabAnalysis"]
        ),
        .target(
            name: "FTLabBuilds",
            dependencies: [
                "FTLabCore",
                "FTLabHarness",
                "FTLabInterpreters",
                "FTLabRunner",
            ]
        ),
        .executableTarget(
            name: "ftlab",
            dependencies: [
                "FTLabCore", "FTLabHarness", "FTLabNative", "FTLabInterpreters", "FTLabRunner",
                "FTLabAnalysis", "FTLabExplain", "FTLabBuilds",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks, not part of the product: `swift run -c release ftlab-bench`.
        .executableTarget(
            name: "ftlab-bench",
            dependencies: [
                "FTLabCore", "FTLabLoadGen",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tests/Benchmarks/ftlab-bench"
        ),
        // The fuzz binary, not part of the product: `ftlab-fuzz ENTRY ...`. Tests/Fuzz/run-fuzzers.sh
        // builds it with libFuzzer (-sanitize=fuzzer); a plain build makes a replay tool that runs
        // the same entry on the files named. FTLabFuzzEntries holds the entries, shared with the
        // regression tests.
        .target(
            name: "FTLabFuzzEntries",
            dependencies: ["FTLabCore", "FTLabHarness", "FTLabLoadGen"],
            path: "Tests/Fuzz/Entries"
        ),
        .executableTarget(name: "ftlab-fuzz", dependencies: ["FTLabFuzzEntries"], path: "Tests/Fuzz/Target"),
        .testTarget(
            name: "FTLabTests",
            dependencies: [
                "FTLabCore", "FTLabHarness", "FTLabLoadGen", "FTLabNative", "FTLabInterpreters", "FTLabRunner",
                "FTLabAnalysis", "FTLabExplain", "FTLabBuilds", "FTLabFuzzEntries",
            ],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
