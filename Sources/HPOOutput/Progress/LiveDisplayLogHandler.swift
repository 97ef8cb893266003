public import Logging

/// A `StreamLogHandler` on standard error whose lines are printed above the live view (`LiveDisplay`), never inside
/// it.
public struct LiveDisplayLogHandler: LogHandler {
    private var inner: StreamLogHandler
    private let display: LiveDisplay

    public init(label: String, display: LiveDisplay) {
        inner = StreamLogHandler.standardError(label: label)
        self.display = display
    }

    public func log(event: LogEvent) {
        display.printAbove { inner.log(event: event) }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }
}
