import Foundation
import HPOSearchSpace
import HPOWire
import HPOZeroMQ
import HPOCoordinatorRuntime

/// `hpo status`: asks a running coordinator for its study's progress (STATUS_REQUEST over a DEALER socket).
public enum StatusQuery {
    /// Sends one STATUS_REQUEST to `endpoint` and renders the reply.
    ///
    /// - Parameters:
    ///   - endpoint: the coordinator's endpoint, e.g. `tcp://head:5555`.
    ///   - timeout: how long to wait for the reply.
    ///   - json: render as JSON instead of text.
    ///   - curveServerKey: the coordinator's CURVE public key when it runs with CURVE.
    ///   - clientSecretKey: this client's CURVE secret key (else a fresh pair).
    /// - Throws: `OutputError` when no reply arrives in time or the reply is not a status.
    public static func run(
        endpoint: String, timeout: Duration, json: Bool, curveServerKey: String? = nil, clientSecretKey: String? = nil
    ) throws(OutputError) -> String {
        let status: StudyStatus
        do {
            status = try fetch(endpoint: endpoint, timeout: timeout, curveServerKey: curveServerKey, clientSecretKey: clientSecretKey)
        } catch let error as OutputError {
            throw error
        } catch {
            throw OutputError(.statusFailed, "status from \(endpoint) failed: \(error)")
        }
        return json ? renderJSON(status) : renderText(status)
    }

    private static func fetch(
        endpoint: String, timeout: Duration, curveServerKey: String?, clientSecretKey: String?
    ) throws -> StudyStatus {
        let request = CoordinatorRequest(
            endpoint: endpoint, timeout: timeout, curveServerKey: curveServerKey, clientSecretKey: clientSecretKey)
        guard case .statusReply(let status) = try request.send(.statusRequest) else {
            throw OutputError(.statusBadReply, "the peer at \(endpoint) answered something other than a status reply")
        }
        return status
    }

    static func seconds(_ duration: Duration) -> Double {
        StatusDocument.seconds(duration)
    }

    static func renderText(_ status: StudyStatus) -> String {
        var lines = [
            "study \(status.study) (\(status.direction))\(status.finished ? ", finished" : ""), "
                + String(format: "%.1f s elapsed", seconds(status.elapsed)),
            "trials: \(LiveView.done(completed: status.completed, pruned: status.pruned ?? 0, budget: status.budget)), "
                + "\(status.running) running, \(status.failed) failed",
        ]
        if let best = status.best {
            let parameters = best.parameters.keys.sorted().map { "\($0)=\(best.parameters[$0]!)" }.joined(separator: " ")
            lines.append("best: trial \(best.trialID), value \(best.value): \(parameters)")
        } else {
            lines.append("best: none yet")
        }
        lines.append("workers: \(status.workers.count) live")
        for worker in status.workers {
            let running = worker.running.map(\.description).joined(separator: ", ")
            let who = worker.name.map { "\($0) (\(worker.host) pid \(worker.pid))" } ?? "\(worker.host) pid \(worker.pid)"
            let used = worker.slots.map { " [\(worker.running.count)/\($0) slots]" } ?? ""
            lines.append(
                "  \(who)\(used): \(running.isEmpty ? "idle" : running), heard "
                    + String(format: "%.1f s ago", seconds(worker.lastSeen))
                    + (worker.blasKernels.map { ", BLAS kernels \($0)" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }

    /// The `hpo.status` document (docs/json.md).
    static func renderJSON(_ status: StudyStatus) -> String {
        JSONOutput.encode(StatusDocument(status))
    }
}
