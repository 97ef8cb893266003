/// The largest body each message type may have, checked before any JSON is parsed (docs/protocol.md, *Size caps*).
///
/// A worker's own messages are small: READY, HEARTBEAT and STATUS_REQUEST are a few hundred bytes, a RESULT or a
/// PROGRESS with a dozen metrics and a failure reason a few KiB. The caps leave ample room for those and stop a peer
/// from making the coordinator parse, store or journal megabytes per message. `ZMQ_MAXMSGSIZE` on the socket stays
/// the hard cap (the coordinator sets 1 MiB), which libzmq enforces before it allocates anything.
public enum WireSizeLimits {
    /// Frame 0 (`hpo/<version>`) is at most this many bytes; longer is not an hpo tag.
    public static let maximumTagBytes = 16
    /// Frame 1 (the type) is at most this many bytes; the longest type name is 14.
    public static let maximumTypeBytes = 32

    /// The largest body, in bytes, of a message of `kind`.
    ///
    /// - READY, HEARTBEAT, CANCEL, PRUNE, SHUTDOWN: 4 KiB; STATUS_REQUEST: 1 KiB (its body is `{}`).
    /// - RESULT, PROGRESS, ERROR: 16 KiB (metrics, a failure reason).
    /// - TRIAL: 1 MiB (objective options come from the study file); STATUS_REPLY: 4 MiB (one entry per live worker).
    /// - ENQUEUE: 64 KiB (one value per parameter, from a person's command line); ENQUEUE_REPLY: 1 MiB (the
    ///   parameters again, in full: as large as a TRIAL's).
    public static func maximumBodyBytes(_ kind: WireMessageKind) -> Int {
        switch kind {
        case .statusRequest: 1 << 10
        case .ready, .heartbeat, .cancel, .prune, .shutdown: 4 << 10
        case .result, .progress, .error: 16 << 10
        case .trial, .enqueueReply: 1 << 20
        case .enqueue: 64 << 10
        case .statusReply: 4 << 20
        }
    }

    /// An oversize message: which type (when frame 1 names one), how big it is and its cap, in bytes.
    public struct Oversize: Sendable, Hashable, CustomStringConvertible {
        /// The type frame 1 names, or nil when frame 1 itself is too long to be a type.
        public var kind: WireMessageKind?
        /// The size of the frame at fault.
        public var bytes: Int
        /// Its cap.
        public var limit: Int

        public init(kind: WireMessageKind?, bytes: Int, limit: Int) {
            self.kind = kind
            self.bytes = bytes
            self.limit = limit
        }

        public var description: String {
            if let kind {
                return "a \(kind.rawValue) body of \(bytes) bytes is larger than its cap of \(limit) bytes "
                    + "(docs/protocol.md, Size caps); send less (e.g. fewer metrics, a shorter reason)"
            }
            return "a frame of \(bytes) bytes where a tag or type of at most \(limit) bytes belongs"
        }
    }

    /// Whether `frames` (routing id already removed) exceed a cap, looked up from frame sizes only: O(1), no parsing.
    ///
    /// - Returns: the oversize frame, or nil when every frame is within its cap (or the frames are not three, which
    ///   the decoder reports as such).
    public static func oversize(_ frames: [[UInt8]]) -> Oversize? {
        guard frames.count == 3 else { return nil }
        if frames[0].count > maximumTagBytes {
            return Oversize(kind: nil, bytes: frames[0].count, limit: maximumTagBytes)
        }
        if frames[1].count > maximumTypeBytes {
            return Oversize(kind: nil, bytes: frames[1].count, limit: maximumTypeBytes)
        }
        guard let kind = WireMessageKind(frame: frames[1]) else { return nil }
        let limit = maximumBodyBytes(kind)
        return frames[2].count > limit ? Oversize(kind: kind, bytes: frames[2].count, limit: limit) : nil
    }
}
