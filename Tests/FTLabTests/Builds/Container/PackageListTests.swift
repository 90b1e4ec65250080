import Foundation
import Testing
import FTLabRunner
import FTLabBuilds
import FTLabInterpreters

@Suite("lab/packages.txt")
struct PackageListTests {
    @Test("comments, blank lines and trailing blanks are skipped; order is kept")
    func parses() throws {
        let list = try PackageList(text: "# header\n\nbuild-essential   # why\n  libnuma-dev\t\nlibstdc++6\n")
        #expect(list.packages == ["build-essential", "libnuma-dev", "libstdc++6"])
    }

    @Test("a line that is not one package name is refused with its line number",
          arguments: [("two words", 2, "2 words"), ("Numactl", 2, "not a Debian package name"),
                      ("a", 2, "not a Debian package name"), ("curl", 3, "already listed on line 1")])
    func refuses(line: String, number: Int, reason: String) {
        let text = "curl\n" + (number == 3 ? "xz-utils\n" : "") + line + "\n"
        #expect {
            try PackageList(text: text, file: "p.txt")
        } throws: { error in
            guard case let ContainerError.badPackageList(file, at, why) = error else { return false }
            return file == "p.txt" && at == number && why.contains(reason) && (error as? ContainerError)?.exitCode == 2
        }
    }

    @Test("the checkout's list parses and holds what the pair build and the runner need")
    func checkoutList() throws {
        let list = try PackageList(text: String(contentsOfFile: TestPaths.repository + "/lab/packages.txt", encoding: .utf8))
        #expect(Set(LabPythons.buildPackages).isSubset(of: list.packages))
        #expect(Set(["libnuma-dev", "numactl", "libjemalloc-dev", "libmimalloc-dev", "libtcmalloc-minimal4"])
            .isSubset(of: list.packages))
    }
}
