import HPOWire

extension CoordinatorEvent {
    /// The event for the frames a peer sent (routing-id frame already removed): a decoded `.message`, or why it
    /// was refused.
    ///
    /// - `.foreignMessage` when frame 0 is not `hpo/<digits>` (or there is no frame): not an hpo peer, dropped;
    /// - `.unsupportedProtocol` when frame 0 names a version this build does not speak;
    /// - `.oversizeMessage` when a frame is over its cap (checked from the sizes, before any parsing);
    /// - `.malformedMessage` for every other decoding error of an hpo peer (it gets an ERROR reply).
    public init(decoding frames: [[UInt8]], from peer: WorkerID) {
        do throws(WireError) {
            self = .message(from: peer, try WireCodec.decode(frames))
        } catch {
            if frames.isEmpty {
                self = .foreignMessage(from: peer, reason: "an empty message")
                return
            }
            do throws(WireError) {
                _ = try WireCodec.version(of: frames[0])
            } catch let tagError where tagError.code == .wrongTag {
                self = .foreignMessage(from: peer, reason: tagError.description)
                return
            } catch {
                // An unsupported version: reported below from the decode error, which carries the same facts.
            }
            if error.code == .messageTooLarge {
                self = .oversizeMessage(from: peer, reason: error.description)
            } else if error.code == .unsupportedVersion, let version = error.version {
                self = .unsupportedProtocol(from: peer, version: version, reason: error.description)
            } else {
                self = .malformedMessage(from: peer, reason: error.description)
            }
        }
    }
}
