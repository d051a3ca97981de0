/// Thrown when the observer declines to flash an identified board: the run ends there, with
/// nothing erased or written, and the record says `skipped`.
struct SessionSkip: Error {}
