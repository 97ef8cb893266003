/// Reads a worker's HEARTBEAT body in exactly the form ``WireCodec/encode(_:)`` writes it, without the general JSON
/// parser: `{"running":[]}` or `{"running":[{"trial_id":7,"attempt":1},…]}`, no whitespace, integers without sign,
/// leading zero or exponent, no other member.
///
/// A large study's coordinator reads one such body per worker and interval, so this is its most frequent decode.
/// Anything else (whitespace, a `study`, another member or order, an escape, a number it does not take) makes
/// ``canonical(_:)`` return nil and the caller uses the general parser, which decodes or refuses it as before: what
/// the scanner accepts is a strict subset of what the parser accepts, with the same result (no key can repeat, every
/// integer is ≥ 0 and fits `Int`). The body's size cap is checked before either runs.
enum HeartbeatScanner {
    private static let opening: StaticString = #"{"running":["#
    private static let trialIDKey: StaticString = #"{"trial_id":"#
    private static let attemptKey: StaticString = #","attempt":"#
    /// More digits than this could overflow `Int`; such a number takes the general path (which refuses it).
    private static let maximumDigits = 18

    /// The HEARTBEAT in `body` if it is in the canonical form above; nil otherwise (then parse it in full).
    ///
    /// - Complexity: O(body bytes), one array allocation when the worker runs something.
    static func canonical(_ body: [UInt8]) -> Heartbeat? {
        body.withUnsafeBufferPointer { bytes in
            var cursor = Cursor(bytes: bytes)
            guard cursor.skip(opening) else { return nil }
            var running: [TrialKey] = []
            if !cursor.skip(UInt8(ascii: "]")) {
                repeat {
                    guard cursor.skip(trialIDKey), let trial = cursor.integer(), cursor.skip(attemptKey),
                        let attempt = cursor.integer(), cursor.skip(UInt8(ascii: "}"))
                    else { return nil }
                    running.append(TrialKey(trialID: trial, attempt: attempt))
                } while cursor.skip(UInt8(ascii: ","))
                guard cursor.skip(UInt8(ascii: "]")) else { return nil }
            }
            guard cursor.skip(UInt8(ascii: "}")), cursor.atEnd else { return nil }
            return Heartbeat(running: running)
        }
    }

    /// A read position in a body.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index == bytes.count }

        /// Moves past `byte` if it comes next.
        mutating func skip(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// Moves past `literal` if it comes next.
        mutating func skip(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            let start = index
            let matches = literal.withUTF8Buffer { expected in
                for offset in 0..<count where bytes[start + offset] != expected[offset] { return false }
                return true
            }
            if matches { index += count }
            return matches
        }

        /// An unsigned decimal integer: `0`, or a non-zero digit and at most 17 more digits.
        mutating func integer() -> Int? {
            let start = index
            var value = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                // Checked before the digit is added, so the value never overflows.
                if index - start == HeartbeatScanner.maximumDigits { return nil }
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            let digits = index - start
            guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
            return value
        }
    }
}
