import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FTLabCore

/// Checks that a file is a shared library the dynamic loader can preload on this machine.
package enum SharedObject {
    /// The file `path` names with every symlink resolved (what `/proc/self/maps` shows), or nil
    /// when it does not exist.
    package static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Why `path` cannot be preloaded, or nil when it is an ELF shared object the dynamic
    /// loader accepts in `LD_PRELOAD`. The loader is asked in a child (`/bin/true` with the
    /// library preloaded), not through `dlopen` here: a library with initial-exec TLS such as
    /// jemalloc can be preloaded but not `dlopen`ed into a running process ("cannot allocate
    /// memory in static TLS block"), and an allocator's constructors have no business in ftlab.
    package static func problem(at path: String) async -> String? {
        guard let real = realPath(path) else { return "no such file" }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return "a directory, not a file"
        }
        guard FileManager.default.isReadableFile(atPath: real) else { return "not readable" }
        guard let header = ELFHeader(path: real) else { return "not an ELF file" }
        guard header.type == ELFHeader.sharedObjectType else {
            return "an ELF \(header.typeName), not a shared object"
        }
        return await preloadRefusal(real)
    }

    /// The loader's reason for refusing to preload `path` into a trivial program, if it does
    /// (`ERROR: ld.so: object '...' from LD_PRELOAD cannot be preloaded (REASON): ignored.`).
    private static func preloadRefusal(_ path: String) async -> String? {
        guard let program = ["/bin/true", "/usr/bin/true"].first(where: FileManager.default.isExecutableFile),
              let output = await HostCommand(program, environment: ["LD_PRELOAD": path]).run(),
              let refused = output.standardError.range(of: "cannot be preloaded (") else { return nil }
        let line = output.standardError[refused.upperBound...].prefix { $0 != "\n" }
        let ending = "): ignored."
        return "the dynamic loader refused to preload it: " + (line.hasSuffix(ending) ? line.dropLast(ending.count) : line)
    }

    /// Whether `path` is an ELF file of this process's class and machine (a library of
    /// another architecture in a multiarch cache is skipped, not chosen).
    package static func isNative(_ path: String) -> Bool {
        guard let header = ELFHeader(path: path), let native = ELFHeader.native else { return false }
        return header.type == ELFHeader.sharedObjectType && header.is64Bit == native.is64Bit
            && header.machine == native.machine
    }
}

/// The first 20 bytes of an ELF file: class, byte order, object type and machine.
package struct ELFHeader: Equatable {
    package var is64Bit: Bool
    package var type: UInt16
    package var machine: UInt16

    package static let sharedObjectType: UInt16 = 3
    /// The header of this process's own executable.
    package static let native = ELFHeader(path: "/proc/self/exe")

    package init?(path: String) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 20), data.count == 20 else { return nil }
        let bytes = [UInt8](data)
        guard bytes[0..<4].elementsEqual([0x7F, 0x45, 0x4C, 0x46]), [1, 2].contains(bytes[4]), [1, 2].contains(bytes[5])
        else { return nil }
        let littleEndian = bytes[5] == 1
        func half(_ at: Int) -> UInt16 {
            littleEndian ? UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 : UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1])
        }
        is64Bit = bytes[4] == 2
        type = half(16)
        machine = half(18)
    }

    package var typeName: String {
        switch type {
        case 1: "relocatable object"
        case 2: "executable"
        case 4: "core dump"
        default: "file of type \(type)"
        }
    }
}
