public import HPOOptimizer
public import HPOWire

/// Something that happened outside the state machine; the runtime feeds each one with the time it saw it.
public enum CoordinatorEvent: Sendable {
    /// Begin the session: journal the start and ask for the first proposals. Sent once, first.
    case start
    /// A decoded message from a peer of the ROUTER socket (worker or status client).
    case message(from: WorkerID, WireMessage)
    /// An hpo peer (frame 0 is `hpo/<digits>`) sent frames that did not decode (`reason` says why); it gets an
    /// ERROR `malformed_message`.
    case malformedMessage(from: WorkerID, reason: String)
    /// Frames that are not hpo protocol at all (frame 0 is not `hpo/<digits>`: a port scanner, another program):
    /// dropped without a reply, with a rate-limited log line (docs/protocol.md, *Version negotiation*).
    case foreignMessage(from: WorkerID, reason: String)
    /// An hpo peer (frame 0 is `hpo/<digits>`) sent a message over its type's size cap (`reason` names the type,
    /// the size and the cap): it was dropped unread and gets an ERROR `message_too_large` (docs/protocol.md,
    /// *Size caps*).
    case oversizeMessage(from: WorkerID, reason: String)
    /// A peer speaks a protocol version this build does not (the reply lists the supported versions).
    case unsupportedProtocol(from: WorkerID, version: Int, reason: String)
    /// Sends to a peer failed because it is gone (`ZMQ_ROUTER_MANDATORY` reported EHOSTUNREACH). `undelivered`
    /// lists the messages that failed, in send order (coalesce every failure to the same peer into one event): a
    /// TRIAL among them never reached the worker, so its attempt goes back to the queue without using a retry.
    case peerUnreachable(WorkerID, undelivered: [WireMessage] = [])
    /// The runtime handed the TRIAL for this attempt to the socket (after carrying out the actions that asked for it):
    /// the attempt's lease is timed from now. Feed it right after the send; a TRIAL whose send failed is reported by
    /// `peerUnreachable` instead.
    case trialSent(TrialKey, to: WorkerID)
    /// Time passed: check leases, heartbeats and the wall-time budget. The runtime sends it at least every
    /// `heartbeatInterval / 2`.
    case tick
    /// The optimizer answered a `requestProposals` action.
    case proposalsReady([Proposal])
    /// The optimizer could not answer a `requestProposals` action; the study fails.
    case proposalsFailed(reason: String)
    /// Appending the journal events of the last batch failed (`reason` says why; `lost` are the events that were
    /// not written, in order). The runtime carried out none of that batch's other actions. The study ends as failed
    /// and its summary counts only what the journal holds: the lost events' effects are rolled back.
    case journalFailed(reason: String, lost: [JournalEvent])
    /// A user asked the study to stop (SIGINT/SIGTERM). `immediately` (a second signal) ends the session at once;
    /// otherwise running trials finish (or are cancelled, per `cancelRunningOnStop`) first.
    case stopRequested(immediately: Bool)
}
