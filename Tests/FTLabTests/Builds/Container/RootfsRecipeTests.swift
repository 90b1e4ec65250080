import Foundation
import FTLabCore
import Testing
import FTLabRunner
import FTLabBuilds

@Suite("The rootfs recipe and its files")
struct RootfsRecipeTests {
    let recipe = RootfsRecipe(packages: ["numactl", "curl"], debCache: "/c/lab/debs")

    @Test("mmdebstrap: bookworm minbase tar with the list, a deb cache, fixed resolv.conf/hostname, a manifest")
    func arguments() {
        let args = recipe.arguments(output: "/c/lab/rootfs.tar.part", manifest: "/c/lab/rootfs.tar.manifest")
        #expect(args.starts(with: ["--variant=minbase", "--format=tar", "--include=numactl,curl"]))
        #expect(args.contains("--setup-hook=sync-in /c/lab/debs /var/cache/apt/archives/"))
        #expect(args.contains("--customize-hook=sync-out /var/cache/apt/archives /c/lab/debs"))
        #expect(args.contains("--customize-hook=: > \"$1\"/etc/resolv.conf"))
        #expect(args.contains("--customize-hook=echo ftlab-lab > \"$1\"/etc/hostname"))
        #expect(args.contains { $0.contains("dpkg-query -W") && $0.hasSuffix("> '/c/lab/rootfs.tar.manifest'") })
        let tail = Array(args.drop { $0 != "bookworm" })
        #expect(tail == ["bookworm", "/c/lab/rootfs.tar.part"] + RootfsRecipe.sources)
        #expect(recipe.environment == ["SOURCE_DATE_EPOCH": "1735689600"])
    }

    @Test("the fingerprint changes with the package list, not with where the debs are kept")
    func fingerprint() {
        #expect(recipe.fingerprint.contains("package numactl\npackage curl\n"))
        #expect(recipe.fingerprint == RootfsRecipe(packages: ["numactl", "curl"], debCache: "/elsewhere").fingerprint)
        #expect(recipe.fingerprint != RootfsRecipe(packages: ["numactl"], debCache: "/c/lab/debs").fingerprint)
    }

    @Test("the sha256 file is sha256sum's format and reads back")
    func checksumFile() {
        let sha = String(repeating: "ab", count: 32)
        #expect(ContainerRootfs.checksumLine(sha) == "\(sha)  rootfs.tar\n")
        #expect(ContainerRootfs.parseChecksum(ContainerRootfs.checksumLine(sha)) == sha)
        #expect(ContainerRootfs.parseChecksum(sha.uppercased() + "\n") == sha)
        #expect(ContainerRootfs.parseChecksum("not-a-sha  rootfs.tar\n") == nil)
        #expect(ContainerRootfs.parseChecksum("") == nil)
    }

    @Test("cache layout: everything under <cache>/lab")
    func layout() {
        let rootfs = ContainerRootfs(cache: CacheDirectory(root: "/c"))
        #expect(rootfs.tarball == "/c/lab/rootfs.tar")
        #expect(rootfs.checksumFile == "/c/lab/rootfs.tar.sha256")
        #expect(rootfs.manifest == "/c/lab/rootfs.tar.manifest")
        #expect(rootfs.tree == "/c/lab/tree")
        #expect(rootfs.debCache == "/c/lab/debs")
    }
}
