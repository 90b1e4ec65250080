import Foundation
import FTLabCore

/// Asks an interpreter what it is: runs it with `-I -c` and a script that prints one JSON object.
public enum InterpreterProbe {
    /// Probes the executable at `path` (made absolute) and names the result `label`.
    /// Refuses a missing or non-executable file, anything that is not CPython, and CPython < 3.10.
    public static func probe(
        _ path: String, label: String, sourceSHA256: String? = nil
    ) async throws(InterpreterError) -> Interpreter {
        let path = absolute(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .noSuchFile(path: path)
        }
        guard !isDirectory.boolValue, FileManager.default.isExecutableFile(atPath: path) else {
            throw .notExecutable(path: path)
        }
        guard let output = await HostCommand(path, ["-I", "-c", script]).run() else {
            throw .notPython(path: path, detail: "it could not be started")
        }
        let answer = output.standardOutput.split(separator: "\n").last.map(String.init) ?? ""
        guard output.succeeded, let report = try? JSONDecoder().decode(Report.self, from: Data(answer.utf8)) else {
            let said = (output.standardError + output.standardOutput).trimmingCharacters(in: .whitespacesAndNewlines)
            throw .notPython(path: path, detail: said.isEmpty ? "no answer to the probe" : String(said.prefix(300)))
        }
        let version = report.version.map(String.init).joined(separator: ".")
        guard report.implementation == "cpython" else {
            throw .notCPython(path: path, implementation: report.implementation)
        }
        guard report.version.lexicographicallyPrecedes([3, 10]) == false else {
            throw .tooOld(path: path, version: version)
        }
        return Interpreter(
            label: label, path: path, version: version, implementation: report.implementation,
            build: report.gilDisabled ? .freethreaded : .gil, gilEnabledByDefault: report.gilEnabled,
            sysVersion: report.sysVersion, configureArgs: report.configArgs, compiler: report.compiler,
            sourceSHA256: sourceSHA256)
    }

    package static func absolute(_ path: String) -> String {
        let url = path.hasPrefix("/")
            ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }

    /// Printed as one JSON line; `sys._is_gil_enabled` exists from 3.13 on.
    package static let script = """
        import json, platform, sys, sysconfig
        gil = getattr(sys, "_is_gil_enabled", None)
        print(json.dumps({
            "version": list(sys.version_info[:3]),
            "implementation": sys.implementation.name,
            "gil_disabled": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
            "gil_enabled": gil() if gil else True,
            "sys_version": sys.version,
            "config_args": sysconfig.get_config_var("CONFIG_ARGS") or "",
            "compiler": platform.python_compiler(),
        }))
        """

    package struct Report: Decodable {
        package var version: [Int]
        package var implementation: String
        package var gilDisabled: Bool
        package var gilEnabled: Bool
        package var sysVersion: String
        package var configArgs: String
        package var compiler: String

        package enum CodingKeys: String, CodingKey {
            case version, implementation, compiler
            case gilDisabled = "gil_disabled"
            case gilEnabled = "gil_enabled"
            case sysVersion = "sys_version"
            case configArgs = "config_args"
        }
    }
}
