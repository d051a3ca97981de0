import Crypto

/// MD5 digests for verifying what a stub wrote (swift-crypto's `Insecure.MD5`).
public enum MD5 {
    /// The 16-byte MD5 digest of `data`.
    public static func digest(_ data: [UInt8]) -> [UInt8] {
        Array(Insecure.MD5.hash(data: data))
    }
}
