/// Turns ``WireMessage``s into ZeroMQ frames and back (docs/protocol.md).
///
/// A message is three frames: `hpo/<version>` (ASCII), the message type (ASCII, e.g. `TRIAL`) and a JSON object
/// (UTF-8). A ROUTER socket's routing-id frames come before these and are not the codec's business.
/// Unknown body fields are ignored, so a version may gain optional fields without breaking peers.
public enum WireCodec {
    /// The protocol version this build speaks and sends.
    public static let protocolVersion = 1
    /// Every protocol version this build can decode.
    public static let supportedVersions = [1]
    /// The tag that starts frame 0.
    public static let tag = "hpo"

    /// Frame 0 as sent: `hpo/1`.
    static let header = Array("\(tag)/\(protocolVersion)".utf8)
    /// What frame 0 starts with: `hpo/`.
    private static let tagPrefix = Array("\(tag)/".utf8)
    /// Frame 1 for each type.
    static let typeFrames: [WireMessageKind: [UInt8]] = Dictionary(
        uniqueKeysWithValues: WireMessageKind.allCases.map { ($0, Array($0.rawValue.utf8)) }
    )

    /// The three frames of `message`.
    ///
    /// Numbers in a message must be finite; a non-finite one is written as `NaN`/`Infinity`, which every decoder
    /// rejects (turn a non-finite objective value into a `.failed` result before sending it).
    public static func encode(_ message: WireMessage) -> [[UInt8]] {
        [header, typeFrames[message.kind]!, body(of: message)]
    }

    /// The message in `frames` (exactly three: tag+version, type, body).
    ///
    /// - Throws: ``WireError`` naming the message type and the field at fault: wrong frame count, wrong tag,
    ///   unsupported version (with ``WireError/version`` set, so the receiver can answer with an ERROR that lists
    ///   ``supportedVersions``), a frame over its cap (``WireSizeLimits``, checked before parsing), unknown type, malformed JSON, missing field, wrong type, non-finite number or a value
    ///   out of range.
    public static func decode(_ frames: [[UInt8]]) throws(WireError) -> WireMessage {
        guard frames.count == 3 else {
            throw WireError(.frameCount, "expected 3 frames (tag+version, type, body), got \(frames.count)")
        }
        _ = try version(of: frames[0])
        if let oversize = WireSizeLimits.oversize(frames) {
            throw WireError(.messageTooLarge, messageType: oversize.kind?.rawValue, oversize.description)
        }
        guard let kind = WireMessageKind(frame: frames[1]) else {
            let known = WireMessageKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw WireError(.unknownType, "unknown message type \"\(printable(frames[1]))\"; known types: \(known)")
        }
        // A worker's HEARTBEAT (most messages of a large study) as `encode` writes it skips the general parser;
        // anything else, or any variation of it, takes the general path below.
        if kind == .heartbeat, let heartbeat = HeartbeatScanner.canonical(frames[2]) {
            return .heartbeat(heartbeat)
        }
        let members: [ParsedMember]
        do {
            members = try JSONParser.parseObject(frames[2])
        } catch {
            var located = error
            located.messageType = kind.rawValue
            throw located
        }
        return try decodeBody(BodyReader(type: kind.rawValue, members: members), as: kind)
    }

    /// The protocol version in frame 0 if it is one this build speaks.
    ///
    /// - Throws: ``WireError`` `.wrongTag` if the frame is not `hpo/<digits>`, `.unsupportedVersion` (with the
    ///   version) if the version is not in ``supportedVersions``.
    public static func version(of frame: [UInt8]) throws(WireError) -> Int {
        if frame == header { return protocolVersion }
        let prefix = tagPrefix
        guard frame.count > prefix.count, frame.starts(with: prefix) else {
            throw WireError(.wrongTag, "frame 0 is \"\(printable(frame))\", expected \"\(tag)/\(protocolVersion)\"; is the peer an hpo worker?")
        }
        let digits = frame[prefix.count...]
        guard digits.count <= 9, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw WireError(.wrongTag, "frame 0 is \"\(printable(frame))\", expected \"\(tag)/<version number>\"")
        }
        let version = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard supportedVersions.contains(version) else {
            let list = supportedVersions.map(String.init).joined(separator: ", ")
            throw WireError(
                .unsupportedVersion,
                "protocol version \(version) is not supported (supported: \(list)); upgrade the older side",
                version: version
            )
        }
        return version
    }

    /// At most 32 characters of a frame, with non-printable bytes as `\xNN`, for error messages.
    static func printable(_ frame: [UInt8]) -> String {
        var text = ""
        for byte in frame.prefix(32) {
            if byte >= 0x20, byte < 0x7F {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return frame.count > 32 ? text + "..." : text
    }
}
