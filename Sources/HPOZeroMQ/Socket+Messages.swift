internal import CZeroMQ
import Glibc

extension Socket {
    /// Sends one multipart message, blocking while the peer's queue is full (high-water mark).
    ///
    /// Corresponds to `zmq_send` per frame with `ZMQ_SNDMORE` on all but the last. libzmq copies each frame.
    /// On a ROUTER the first frame is the destination's routing id.
    /// - Parameter frames: at least one frame; frames may be empty.
    /// - Throws: `ZMQError` (e.g. `isHostUnreachable` on a ROUTER with `routerMandatory`, or `isContextTerminated`).
    public func send(_ frames: [[UInt8]]) throws(ZMQError) {
        _ = try send(frames, dontWait: false)
    }

    /// Sends one multipart message if it can be queued now.
    ///
    /// Corresponds to `zmq_send(ZMQ_DONTWAIT)`. libzmq sends multipart messages atomically, so either all
    /// frames are queued or none.
    /// - Returns: `false` when it could not be queued now (`EAGAIN`: high-water mark reached, no peer yet,
    ///   or a ROUTER with `routerMandatory` whose peer's pipe is full).
    public func trySend(_ frames: [[UInt8]]) throws(ZMQError) -> Bool {
        try send(frames, dontWait: true)
    }

    private func send(_ frames: [[UInt8]], dontWait: Bool) throws(ZMQError) -> Bool {
        let handle = try liveHandle("zmq_send")
        precondition(!frames.isEmpty, "a ZeroMQ message has at least one frame")
        for (index, frame) in frames.enumerated() {
            var flags: Int32 = dontWait ? ZMQ_DONTWAIT : 0
            if index < frames.count - 1 { flags |= ZMQ_SNDMORE }
            let outcome = try ZMQCall.retrying("zmq_send") {
                frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
            }
            if case .wouldBlock = outcome {
                // Only the first frame can be refused; later frames of an accepted message always queue.
                precondition(index == 0, "libzmq refused a later frame of a multipart message")
                return false
            }
        }
        return true
    }

    /// Receives one multipart message, blocking until one arrives.
    ///
    /// Prefer `Poller` with a timeout in service loops; this blocks forever if nothing arrives and the
    /// context is not shut down. Corresponds to `zmq_msg_recv` per frame while `zmq_msg_more`.
    /// - Returns: the frames; on a ROUTER the first is the sender's routing id.
    public func receive() throws(ZMQError) -> [[UInt8]] {
        guard let frames = try receive(dontWait: false) else {
            // A blocking receive only returns EAGAIN when ZMQ_RCVTIMEO is set, which this wrapper never sets.
            throw ZMQError(code: EAGAIN, operation: "zmq_msg_recv", message: "the blocking receive timed out")
        }
        return frames
    }

    /// Receives one multipart message if one is waiting.
    ///
    /// Corresponds to `zmq_msg_recv(ZMQ_DONTWAIT)`.
    /// - Returns: the frames, or `nil` when no message is waiting (`EAGAIN`).
    public func tryReceive() throws(ZMQError) -> [[UInt8]]? {
        try receive(dontWait: true)
    }

    /// Waits up to `timeout` for a message and receives it.
    ///
    /// Corresponds to `zmq_poll(ZMQ_POLLIN)` then `zmq_msg_recv(ZMQ_DONTWAIT)`.
    /// - Returns: the frames, or `nil` when none arrived in time.
    public func receive(timeout: Duration) throws(ZMQError) -> [[UInt8]]? {
        var poller = Poller()
        poller.register(self, for: .readable)
        let ready = try poller.poll(timeout: timeout)
        guard ready[0].contains(.readable) else { return nil }
        return try tryReceive()
    }

    private func receive(dontWait: Bool) throws(ZMQError) -> [[UInt8]]? {
        let handle = try liveHandle("zmq_msg_recv")
        var frames: [[UInt8]] = []
        let flags: Int32 = dontWait ? ZMQ_DONTWAIT : 0
        while true {
            // zmq_msg_t must never be copied by Swift, so it only lives in this temporary allocation.
            let frame = try withUnsafeTemporaryAllocation(of: zmq_msg_t.self, capacity: 1) {
                (message) throws(ZMQError) -> (bytes: [UInt8], more: Bool)? in
                let pointer = message.baseAddress!
                zmq_msg_init(pointer)
                defer { zmq_msg_close(pointer) }
                // Once the first frame arrived the rest are already queued, so only the first can say EAGAIN.
                let outcome = try ZMQCall.retrying("zmq_msg_recv") {
                    zmq_msg_recv(pointer, handle, frames.isEmpty ? flags : 0)
                }
                guard case .done = outcome else { return nil }
                let size = zmq_msg_size(pointer)
                let bytes: [UInt8] = size == 0 ? [] : Array(
                    UnsafeRawBufferPointer(start: zmq_msg_data(pointer), count: size)
                )
                return (bytes, zmq_msg_more(pointer) != 0)
            }
            guard let frame else { return nil }
            // A ROUTER's message is a routing id and three frames: room for them in one allocation.
            if frames.isEmpty && frame.more { frames.reserveCapacity(4) }
            frames.append(frame.bytes)
            if !frame.more { return frames }
        }
    }
}
