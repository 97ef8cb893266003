import HPOSearchSpace

/// A space with every kind of parameter.
func mixedSpace() throws -> SearchSpace {
    try SearchSpace([
        .float("lr", 1e-5, 1e-1, log: true),
        .float("dropout", 0, 0.5),
        .float("momentum", 0.5, 0.95, step: 0.05),
        .int("batch_size", 32, 256, step: 32),
        .int("layers", 1, 4),
        .int("units", 8, 1024, log: true),
        .categorical("optimizer", [.string("sgd"), .string("adam"), .string("rmsprop")]),
        .categorical("nesterov", [.bool(true), .bool(false)]),
        .fixed("epochs", .int(50)),
    ])
}

/// The `SearchSpaceError` thrown by `body`, or nil if it threw nothing or another error.
func searchSpaceError<T>(_ body: () throws -> T) -> SearchSpaceError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? SearchSpaceError
    }
}
