import Glibc

/// A plain POSIX thread that can be joined: blocking libzmq loops must not run on Swift's cooperative pool.
final class JoinableThread: @unchecked Sendable {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    private var thread = pthread_t()
    private var joined = false

    /// Starts `body` on a new thread. Corresponds to `pthread_create`.
    init(_ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        let status = pthread_create(&thread, nil, { argument in
            Unmanaged<Body>.fromOpaque(argument!).takeRetainedValue().run()
            return nil
        }, context)
        precondition(status == 0, "pthread_create failed with \(status): the process is out of threads or memory")
    }

    /// Waits for the body to return; later calls return at once. Call from one thread only.
    func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }
}
