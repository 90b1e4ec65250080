// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "ftlab",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ftlab", targets: ["ftlab"]),
        .library(name: "FTLab", targets: ["FTLab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
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
        .target(
            name: "FTLab",
            dependencies: [
                "CNuma",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "TextTable", package: "TextTable"),
                .product(name: "Plot", package: "Plot"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .executableTarget(
            name: "ftlab",
            dependencies: [
                "FTLab",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "FTLabTests",
            dependencies: ["FTLab"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
