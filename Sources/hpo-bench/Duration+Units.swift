extension Duration {
    /// This duration in seconds.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }

    /// This duration in milliseconds.
    var inMilliseconds: Double { inSeconds * 1e3 }

    /// This duration in microseconds.
    var inMicroseconds: Double { inSeconds * 1e6 }
}
