import Foundation
import Testing
import FTLabCore
import FTLabHarness
import FTLabLoadGen
import FTLabRunner

extension LoadSensitiveTests {
    /// Workload requirements end to end: real pip installs from PyPI into real venvs under the
    /// ftlab cache (its pip cache makes a warm machine skip the downloads), on both lab builds.
    @Suite("PyPI packages and servers, end to end", .serialized, .tags(.integration, .needsLab, .network), .skippedInUnitRuns)
    struct PackageIntegrationTests {
        static let tiny = ["--processes", "1", "--samples", "2", "--warmups", "1", "--target-seconds", "0.1"]
        static let packages = TestPaths.fixtures + "/package-workloads"
        static let userApp = TestPaths.fixtures + "/userapp"

        @Test("Flask under waitress and gunicorn at 1 and 2 threads on both builds: verified answers from venvs")
        func flaskServers() throws {
            let csv = TestPaths.scratch() + "/flask.csv"
            let run = try ftlab(["run", "http-handling/waitress", "http-handling/gunicorn", "--threads", "1,2", "-o", csv] + Self.tiny)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let rows = try ResultReader(path: csv).rows
            #expect(Set(rows.map { "\($0.variant) \($0.interpreter) \($0.threads)" }).count == 8)
            for row in rows {
                let name = "\(row.interpreter) \(row.variant) threads=\(row.threads)"
                #expect(row.status == .ok && row.errors == 0, "\(name): \(row.message)")
                #expect(row.ops > 0 && row.latencyP99us != nil, "\(name)")
                #expect(row.packages.count == 12 && row.packages.allSatisfy(\.isHexDigit), "\(name): packages \(row.packages)")
                #expect(row.gilEnabled == (row.build == "gil"), "\(name): Flask's stack keeps the GIL off on 3.13t")
                #expect(row.observedCPUs.split(separator: " ").allSatisfy { row.cpus.split(separator: " ").contains($0) }, "\(name)")
            }
            // The freeze is in the run's logs and in its header, and names the server.
            let logs = try FileManager.default.contentsOfDirectory(atPath: ResultFile.logDirectory(for: csv))
            let freezes = logs.filter { $0.hasPrefix("packages-") }
            #expect(freezes.count == 4, "\(logs)")
            #expect(run.stdout.contains("waitress==") && run.stdout.contains("gunicorn==") && run.stdout.contains("Flask=="))
        }

        @Test("Flask under granian at 1 and 2 threads on both builds, Starlette under granian: verified, its app threads pinned")
        func granian() throws {
            let dir = TestPaths.scratch()
            let csv = dir + "/granian.csv"
            let run = try ftlab(["run", "http-handling/granian-wsgi", "--threads", "1,2", "-o", csv] + Self.tiny)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let rows = try ResultReader(path: csv).rows
            #expect(Set(rows.map { "\($0.interpreter) \($0.threads)" }).count == 4)
            for row in rows {
                let name = "\(row.interpreter) threads=\(row.threads)"
                #expect(row.status == .ok && row.errors == 0, "\(name): \(row.message)")
                #expect(row.ops > 0 && row.latencyP99us != nil && row.cpuUserSeconds > 0, "\(name)")
                #expect(row.gilEnabled == (row.build == "gil"), "\(name): granian's worker keeps the GIL off on 3.13t")
                // The app threads live in granian's process; the harness still sees where they ran.
                let planned = row.cpus.split(separator: " ")
                let observed = row.observedCPUs.split(separator: " ")
                #expect(!observed.isEmpty && observed.allSatisfy { planned.contains($0) }, "\(name): \(row.observedCPUs) vs \(row.cpus)")
            }
            #expect(run.stdout.contains("granian==2.7.9"), "\(run.stdout)")
            let asgi = try ftlab(["run", "http-handling/granian-asgi", "--python", PinnedPair.freeThreaded, "--threads", "2",
                                  "-o", dir + "/asgi.csv"] + Self.tiny)
            #expect(asgi.status == 0, "stderr: \(asgi.stderr)")
            let asgiRows = try ResultReader(path: dir + "/asgi.csv").rows
            #expect(!asgiRows.isEmpty && asgiRows.allSatisfy { $0.status == .ok && $0.errors == 0 && $0.ops > 0 }, "\(asgiRows.map(\.message))")
        }

        @Test("granian that cannot bind its port: `ftlab serve` ends at once with granian's own message, no hang")
        func granianCannotBind() throws {
            let holder = try CannedServer()
            defer { holder.stop() }
            let result = try ftlab(["serve", "http-handling/granian-wsgi", "--python", PinnedPair.freeThreaded,
                                    "--port", String(holder.port)])
            #expect(result.status == 1)
            #expect(result.stderr.contains("granian exited") && result.stderr.contains("Address already in use"),
                    "stderr: \(result.stderr)")
        }

        @Test("a requirement whose C extension re-enables the GIL: rows say so, the summary and report warn loudly; the venv is reused")
        func gilComesBack() throws {
            let dir = TestPaths.scratch()
            let csv = dir + "/gil.csv"
            let arguments = ["run", "crc-extension", "--workloads-dir", Self.packages, "--threads", "1"] + Self.tiny
            let run = try ftlab(arguments + ["-o", csv])
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let rows = try ResultReader(path: csv).rows
            let freethreaded = rows.filter { $0.build == "freethreaded" }
            #expect(!freethreaded.isEmpty && freethreaded.allSatisfy { $0.gilEnabled == true })
            #expect(freethreaded.allSatisfy { $0.message.contains("crcmod._crcfunext") }, "\(freethreaded.map(\.message))")
            #expect(run.stdout.contains("WARNING: THE GIL WAS ON"), "\(run.stdout)")
            #expect(run.stdout.contains("crcmod._crcfunext") && run.stdout.contains("--env PYTHON_GIL=0"))
            let html = dir + "/gil.html"
            let report = try ftlab(["report", csv, "-o", html])
            #expect(report.status == 0, "\(report.stderr)")
            #expect(try String(contentsOfFile: html, encoding: .utf8).contains("THE GIL WAS ON"))
            // A second run installs nothing: the same venvs, the same freeze identity.
            let again = try ftlab(arguments + ["-o", dir + "/gil-again.csv"])
            #expect(again.status == 0, "stderr: \(again.stderr)")
            #expect(again.stderr.contains("reused") && !again.stderr.contains("installed into"), "\(again.stderr)")
            let second = try ResultReader(path: dir + "/gil-again.csv").rows
            #expect(Set(second.map(\.packages)) == Set(rows.map(\.packages)))
            // PYTHON_GIL=0 keeps it off, and the warning goes.
            let forced = try ftlab(["run", "crc-extension", "--workloads-dir", Self.packages, "--threads", "1",
                                    "--python", PinnedPair.freeThreaded, "--env", "PYTHON_GIL=0",
                                    "-o", dir + "/gil-off.csv"] + Self.tiny)
            #expect(forced.status == 0, "stderr: \(forced.stderr)")
            #expect(try ResultReader(path: dir + "/gil-off.csv").rows.allSatisfy { $0.gilEnabled == false })
            #expect(!forced.stdout.contains("THE GIL WAS ON"))
        }

        @Test("a requirement no interpreter can install is bad input: exit 2 naming it, nothing measured")
        func unresolvable() throws {
            let csv = TestPaths.scratch() + "/none.csv"
            let run = try ftlab(["run", "unresolvable", "--workloads-dir", Self.packages, "--threads", "1", "-o", csv] + Self.tiny)
            #expect(run.status == 2, "stderr: \(run.stderr)")
            #expect(run.stderr.contains("ftlab-no-such-project-4c1d9e==1.0") && run.stderr.contains("pip"), "\(run.stderr)")
            #expect((try? ResultReader(path: csv).rows.count) ?? 0 == 0)
        }

        @Test("a user's app echoing the request's headers and answering a timestamp, under waitress on both builds at 1 and 2 threads: every request verified (status; the body where it is stable, learned from requests like the load generator's)")
        func echoingApp() throws {
            let dir = TestPaths.scratch()
            let app = ["--param", "app=echo_app:app", "--param", "app_dir=\(Self.userApp)"]
            let run = try ftlab(["run", "http-handling/waitress", "--threads", "1,2", "-o", dir + "/echo.csv",
                                 "--param", "requests=\(Self.userApp)/echo-requests.txt"] + app + Self.tiny)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let rows = try ResultReader(path: dir + "/echo.csv").rows
            #expect(Set(rows.map { "\($0.interpreter) \($0.threads)" }).count == 4, "both builds, 1 and 2 threads")
            for row in rows {
                let name = "\(row.interpreter) threads=\(row.threads)"
                #expect(row.status == .ok && row.errors == 0 && row.ops > 0, "\(name): \(row.message)")
            }
            // A body that changes, learned as if it were stable: the two learning requests disagree.
            try "GET /hello 200\nGET /time 200\n".write(toFile: dir + "/time.txt", atomically: true, encoding: .utf8)
            let varying = try ftlab(["run", "http-handling/waitress", "--python", PinnedPair.freeThreaded, "--threads", "1",
                                     "--param", "requests=\(dir)/time.txt", "-o", dir + "/time.csv"] + app + Self.tiny)
            #expect(varying.status == 1, "stderr: \(varying.stderr)")
            let timeRows = try ResultReader(path: dir + "/time.csv").rows
            #expect(!timeRows.isEmpty && timeRows.allSatisfy { $0.status == .failed && $0.message.contains(
                "GET /time: two identical requests got different bodies") && $0.message.contains("status-only") }, "\(timeRows.map(\.message))")
            // The request file expects another status than the app answers: the message says it was the status.
            let wrong = try ftlab(["run", "http-handling/waitress", "--python", PinnedPair.freeThreaded, "--threads", "1",
                                   "--param", "requests=\(Self.userApp)/wrong-status.txt", "-o", dir + "/wrong.csv"] + app + Self.tiny)
            #expect(wrong.status == 1, "stderr: \(wrong.stderr)")
            let wrongRows = try ResultReader(path: dir + "/wrong.csv").rows
            #expect(!wrongRows.isEmpty && wrongRows.allSatisfy { $0.status == .failed && $0.message.contains("GET /teapot: status 418, expected 200") },
                    "\(wrongRows.map(\.message))")
            // An unknown method or a malformed status: exit 2 naming the line, nothing measured.
            for (file, expected) in [("bad-method.txt", "bad-method.txt:2: 'POST /hello 200': method 'POST'"),
                                     ("bad-status.txt", "bad-status.txt:2: 'GET /hello 2000': status '2000' is not an HTTP status")] {
                let bad = try ftlab(["run", "http-handling/waitress", "--python", PinnedPair.freeThreaded, "--threads", "1",
                                     "--param", "requests=\(Self.userApp)/\(file)", "-o", dir + "/bad.csv"] + app + Self.tiny)
                #expect(bad.status == 2 && bad.stderr.contains(expected), "\(file): \(bad.stderr)")
                #expect((try? ResultReader(path: dir + "/bad.csv").rows.count) ?? 0 == 0, "nothing measured for \(file)")
            }
        }

        @Test("--param app_requirements: ftlab installs the app's packages with the server on every interpreter; where one does not install (it refuses the free-threaded build, as cffi does on 3.13t) that interpreter's rows fail naming it, the rest run")
        func appRequirements() throws {
            let dir = TestPaths.scratch()
            try "ftlab-gil-only @ file://\(Self.userApp)/gil-only\n".write(toFile: dir + "/app-reqs.txt", atomically: true, encoding: .utf8)
            let run = try ftlab(["run", "http-handling/waitress", "--threads", "1", "-o", dir + "/reqs.csv",
                                 "--param", "app=echo_app:app", "--param", "app_dir=\(Self.userApp)",
                                 "--param", "requests=\(Self.userApp)/echo-requests.txt",
                                 "--param", "app_requirements=\(dir)/app-reqs.txt"] + Self.tiny)
            #expect(run.status == 1, "the free-threaded rows failed: \(run.stderr)")
            let rows = try ResultReader(path: dir + "/reqs.csv").rows
            let gil = rows.filter { $0.interpreter == PinnedPair.gil }
            let ft = rows.filter { $0.interpreter == PinnedPair.freeThreaded }
            #expect(!gil.isEmpty && gil.allSatisfy { $0.status == .ok && $0.packages.count == 12 }, "\(gil.map(\.message))")
            #expect(!ft.isEmpty && ft.allSatisfy { $0.status == .failed && $0.message.contains("pip could not install ftlab-gil-only")
                && $0.message.contains("does not support the free-threaded build") }, "\(ft.map(\.message))")
            #expect(run.stdout.contains("ftlab-gil-only @ file://") && run.stdout.contains("waitress=="), "the GIL venv's freeze: \(run.stdout)")
        }

        @Test("the user's own WSGI app with a request file under waitress; bad apps and request lines exit 2 first")
        func usersApp() throws {
            let dir = TestPaths.scratch()
            let csv = dir + "/app.csv"
            let app = ["--param", "app=hello_app:app", "--param", "app_dir=\(Self.userApp)"]
            let run = try ftlab(["run", "http-handling/waitress", "--python", PinnedPair.freeThreaded, "--threads", "2",
                                 "--param", "requests=\(Self.userApp)/requests.txt", "-o", csv] + app + Self.tiny)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let rows = try ResultReader(path: csv).rows
            #expect(!rows.isEmpty && rows.allSatisfy { $0.status == .ok && $0.errors == 0 && $0.ops > 0 }, "\(rows.map(\.message))")
            #expect(rows.allSatisfy { $0.params.contains("app=hello_app:app") })
            let cases: [([String], String)] = [
                (["--param", "app=hello_app:nope", "--param", "app_dir=\(Self.userApp)", "--param", "requests=\(Self.userApp)/requests.txt"],
                 "has no attribute 'nope'"),
                (["--param", "app=no_such_module:app", "--param", "app_dir=\(Self.userApp)", "--param", "requests=\(Self.userApp)/requests.txt"],
                 "does not import"),
                (["--param", "app=hello_app:not_an_app", "--param", "app_dir=\(Self.userApp)", "--param", "requests=\(Self.userApp)/requests.txt"],
                 "not callable"),
                (app + ["--param", "requests=\(Self.userApp)/bad-requests.txt"], "bad-requests.txt:2"),
            ]
            for (params, expected) in cases {
                let bad = dir + "/bad.csv"
                let result = try ftlab(["run", "http-handling/waitress", "--python", PinnedPair.freeThreaded, "--threads", "1", "-o", bad]
                                       + params + Self.tiny)
                #expect(result.status == 2, "\(params): \(result.stderr)")
                #expect(result.stderr.contains(expected), "\(params): \(result.stderr)")
                #expect((try? ResultReader(path: bad).rows.count) ?? 0 == 0, "nothing measured for \(params)")
            }
            let asgi = try ftlab(["run", "http-handling/uvicorn", "--python", PinnedPair.freeThreaded, "--threads", "1",
                                  "--param", "requests=\(Self.userApp)/requests.txt", "-o", dir + "/asgi.csv"] + app + Self.tiny)
            #expect(asgi.status == 2 && asgi.stderr.contains("is a WSGI app"), "\(asgi.stderr)")
        }
    }
}
