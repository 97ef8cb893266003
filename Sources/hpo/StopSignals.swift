import Dispatch
import Glibc
import Synchronization

/// The one SIGINT/SIGTERM handler of the hpo commands: a stop request on the first signal, an abort on the second.
enum StopSignals {
    /// Routes SIGINT and SIGTERM (ignored by default first, so the process is not killed) to `handler`, with how many
    /// of either have arrived, 1 for the first, and which one it was. Keep the returned sources alive.
    static func forward(_ handler: @escaping @Sendable (_ count: Int, _ signal: Int32) -> Void) -> [any DispatchSourceSignal] {
        let count = Atomic<Int>(0)
        return [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                handler(count.add(1, ordering: .relaxed).newValue, number)
            }
            source.resume()
            return source
        }
    }
}
