import ArgumentParser
import FTLab

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List workloads, their variants, parameters and units.")

    func run() throws {
        print("(no workloads yet)")
    }
}
