import Foundation
import TestSupport
import Testing

/// The fault matrix: every fault at every phase of a flash run against the simulated board.
///
/// For each cell: the right catalogue error, a documented exit code, a run record saying what
/// happened and the board's state, never a false success, and a normal run afterwards succeeds.
/// By default one cell per fault (every phase covered); `ESPWIZ_FAULT_MATRIX=full` runs every cell.
/// `ESPWIZ_FAULT_MATRIX_OUT=<file>` also writes the table there (`scripts/fault-matrix.sh`);
/// `ESPWIZ_FAULT_MATRIX_FILTER=<text>` keeps only the cells whose name contains the text.
@Suite(.serialized) struct FaultMatrixTests {
    @Test func everyFaultAtEveryPhase() throws {
        if let missing = TestEnvironment.missingDependencies { throw TestSetupError(missing) }
        let runner = try MatrixRunner()
        let env = ProcessInfo.processInfo.environment
        let filter = env["ESPWIZ_FAULT_MATRIX_FILTER"].flatMap { $0.isEmpty ? nil : $0 }
        let cells = (env["ESPWIZ_FAULT_MATRIX"] == "full" ? FaultCell.all : FaultCell.quick).filter { filter == nil || $0.description.contains(filter!) }
        try #require(!cells.isEmpty, "no cell matches the filter '\(filter ?? "")'")
        var results: [CellResult] = []
        for cell in cells {
            let r = try runner.run(cell)
            results.append(r)
            let line = "fault-matrix: \(cell): \(r.verdict), \(MatrixTable.cellText(r)), next run \(r.followUpSucceeded ? "ok" : "FAILED")\n"
            FileHandle.standardError.write(Data(line.utf8))  // unbuffered, so a long run shows progress
            #expect(r.problems.isEmpty, "\(cell): \(r.problems.joined(separator: "; "))")
            #expect(r.followUpSucceeded, "\(cell): the next normal run failed: \(r.followUpDetail)")
        }
        let table = MatrixTable.markdown(results) + "\n" + MatrixTable.details(results)
        print(table)
        if let out = ProcessInfo.processInfo.environment["ESPWIZ_FAULT_MATRIX_OUT"] {
            try table.write(toFile: out, atomically: true, encoding: .utf8)
        }
    }
}
