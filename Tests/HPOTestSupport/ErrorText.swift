/// What `body` throws, as the error's description, or "no error" when it returns: for `#expect(errorText { … }
/// .contains("…"))` on the message a user would read.
public func errorText(_ body: () throws -> Void) -> String {
    do {
        try body()
        return "no error"
    } catch {
        return "\(error)"
    }
}
