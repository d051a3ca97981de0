/// A benchmark that cannot go on, with what is wrong and how to fix it.
struct BenchmarkError: Error, CustomStringConvertible {
    /// The explanation shown to the person running the benchmark.
    let description: String
    init(_ description: String) { self.description = description }
}
