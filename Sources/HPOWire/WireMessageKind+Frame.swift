extension WireMessageKind {
    /// Every kind with its frame-1 bytes, for ``init(frame:)``.
    private static let frames: [(kind: WireMessageKind, bytes: [UInt8])] = allCases.map { ($0, Array($0.rawValue.utf8)) }

    /// The kind that frame 1 names (its exact ASCII bytes, e.g. `HEARTBEAT`), or nil for any other frame.
    ///
    /// Compares bytes: no string is built or validated for a message that is read (the same answer as
    /// `WireMessageKind(rawValue:)` on the frame decoded as UTF-8, since every name is ASCII).
    /// - Complexity: O(kinds) comparisons of at most 14 bytes.
    public init?(frame: [UInt8]) {
        for entry in Self.frames where entry.bytes.count == frame.count && entry.bytes == frame {
            self = entry.kind
            return
        }
        return nil
    }
}
