extension SingleValueDecodingContainer {
    /// The value as the first of `cases` that decodes it, tried in order; nil when none does.
    ///
    /// For an enum read from a bare value that may be one of several types (``ParameterValue``, the wire's
    /// `JSONValue`): each case decodes its payload from the container and wraps it, e.g.
    /// `{ .bool(try $0.decode(Bool.self)) }`; a case that throws is passed over.
    public func firstDecoded<Value>(_ cases: ((any SingleValueDecodingContainer) throws -> Value)...) -> Value? {
        for decode in cases {
            if let value = try? decode(self) { return value }
        }
        return nil
    }
}
