import Foundation

/// Record loader: any bytes give a record or a clear `LoadError`; a record loaded re-encodes and
/// loads again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecord(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Data(fuzzBytes(data, size))
    do {
        let record = try RunRecordStore.decode(bytes, path: "fuzz.json")
        guard let encoded = try? RunRecordStore.encode(record) else { return 0 }  // e.g. a NaN cannot be encoded
        let again = try RunRecordStore.decode(encoded, path: "again.json")
        fuzzCheck(again.result == record.result && again.schemaVersion == record.schemaVersion, "re-encoded record differs")
    } catch {
        _ = error.description
    }
    return 0
}
