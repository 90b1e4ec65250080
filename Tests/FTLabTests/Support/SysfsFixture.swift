import Foundation
import FTLabCore

/// The captured topology trees in Fixtures/sysfs (see its README).
enum SysfsFixture: String, CaseIterable, CustomStringConvertible {
    case thisMachine = "this-machine"
    case twoSocket = "2socket-16core-smt"
    case fourNodeMemoryless = "4node-memoryless"
    case cpusOffline = "cpus-offline"

    var root: String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/sysfs/\(rawValue)").path
    }

    func topology() throws -> Topology {
        try Topology.read(root: root)
    }

    var description: String { rawValue }
}
