internal import CZeroMQ

/// The ZeroMQ socket patterns this project uses.
public enum SocketType: Sendable, Hashable, CustomStringConvertible {
    /// `ZMQ_ROUTER`: the coordinator's side; frames arrive prefixed with the sender's routing id.
    case router
    /// `ZMQ_DEALER`: a worker's side; asynchronous requests and replies.
    case dealer
    /// `ZMQ_PAIR`: one-to-one, for inproc wake-ups between two threads.
    case pair
    /// `ZMQ_PUSH`: fan-out of messages to PULL sockets (e.g. many threads waking one socket loop).
    case push
    /// `ZMQ_PULL`: fair-queued receive from PUSH sockets.
    case pull
    /// `ZMQ_REP`: strict request/reply server (used by the ZAP authenticator).
    case reply
    /// `ZMQ_REQ`: strict request/reply client.
    case request

    var rawValue: Int32 {
        switch self {
        case .router: ZMQ_ROUTER
        case .dealer: ZMQ_DEALER
        case .pair: ZMQ_PAIR
        case .push: ZMQ_PUSH
        case .pull: ZMQ_PULL
        case .reply: ZMQ_REP
        case .request: ZMQ_REQ
        }
    }

    public var description: String {
        switch self {
        case .router: "ROUTER"
        case .dealer: "DEALER"
        case .pair: "PAIR"
        case .push: "PUSH"
        case .pull: "PULL"
        case .reply: "REP"
        case .request: "REQ"
        }
    }
}
