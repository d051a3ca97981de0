/// The explain matcher: any bytes (invalid UTF-8, control characters, half a boot log) give a
/// ranked, duplicate-free list, and the JSON-free rendering pieces never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExplain(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    guard let diagnosis = try? Explainer.explain(bytes: bytes) else {
        fuzzCheck(bytes.count > PastedText.maximumBytes, "refused a paste under the limit")
        return 0
    }
    let ids = diagnosis.ranked.map(\.entry.id)
    fuzzCheck(Set(ids).count == ids.count, "an id ranked twice: \(ids)")
    fuzzCheck(zip(diagnosis.ranked, diagnosis.ranked.dropFirst()).allSatisfy { $0.specificity >= $1.specificity }, "not ranked")
    fuzzCheck(diagnosis.ranked.allSatisfy { !$0.evidence.isEmpty }, "an explanation without evidence")
    for banner in diagnosis.bootLog.banners { _ = banner.strap.pins; _ = banner.cause.words }
    for code in diagnosis.bootLog.exceptions { _ = ExceptionCause.describe(code) }
    return 0
}
