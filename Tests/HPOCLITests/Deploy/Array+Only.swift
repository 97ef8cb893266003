extension Array {
    /// The element of a one-element array, else nil.
    var only: Element? { count == 1 ? first : nil }
}
