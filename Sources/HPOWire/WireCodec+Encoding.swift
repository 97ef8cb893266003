/// The JSON body of each message type (field names and units in docs/protocol.md).
extension WireCodec {
    static func body(of message: WireMessage) -> [UInt8] {
        var w = JSONWriter()
        switch message {
        case .ready(let ready):
            w.member("{\"protocol_version\":", ready.protocolVersion)
            w.member(",\"host\":", ready.host)
            w.member(",\"pid\":", ready.pid)
            w.raw(",\"capabilities\":")
            w.array(ready.capabilities) { writer, capability in writer.string(capability) }
            w.member(",\"slots\":", ready.slots)
            w.member(",\"study\":", ready.study)
            w.member(",\"blas_kernels\":", ready.blasKernels)
            w.raw("}")
        case .trial(let trial):
            w.openAttempt(trial.trialID, trial.attempt)
            w.raw(",\"parameters\":")
            w.object(trial.parameters) { writer, value in writer.parameter(value) }
            w.member(",\"objective\":{\"kind\":", trial.objective.kind)
            w.raw(",\"options\":")
            w.object(trial.objective.options) { writer, value in writer.write(value) }
            w.raw("}")
            w.member(",\"study\":", trial.study)
            w.raw("}")
        case .progress(let progress):
            w.openAttempt(progress.trialID, progress.attempt)
            w.member(",\"step\":", progress.step)
            w.member(",\"value\":", real: progress.value)
            w.raw(",\"metrics\":")
            w.object(progress.metrics) { writer, value in writer.real(value) }
            w.raw("}")
        case .result(let result):
            w.openAttempt(result.trialID, result.attempt)
            switch result.outcome {
            case .completed(let value, let metrics):
                w.member(",\"status\":\"completed\",\"value\":", real: value)
                w.raw(",\"metrics\":")
                w.object(metrics) { writer, value in writer.real(value) }
            case .failed(let reason):
                w.member(",\"status\":\"failed\",\"reason\":", reason)
            case .stopped(let reason):
                w.member(",\"status\":\"stopped\",\"reason\":", reason)
            }
            w.raw(",\"duration_seconds\":")
            w.seconds(result.duration)
            w.raw("}")
        case .heartbeat(let heartbeat):
            w.raw("{\"running\":")
            w.trialKeys(heartbeat.running)
            w.member(",\"study\":", heartbeat.study)
            w.raw("}")
        case .cancel(let cancel):
            w.openAttempt(cancel.trialID, cancel.attempt)
            w.member(",\"reason\":", cancel.reason)
            w.raw("}")
        case .prune(let prune):
            w.openAttempt(prune.trialID, prune.attempt)
            w.member(",\"step\":", prune.step)
            w.member(",\"reason\":", prune.reason)
            w.raw("}")
        case .shutdown(let shutdown):
            w.member("{\"reason\":", shutdown.reason)
            w.raw("}")
        case .error(let reply):
            w.member("{\"code\":", reply.code.rawValue)
            w.member(",\"message\":", reply.message)
            w.raw(",\"supported_versions\":")
            w.array(reply.supportedVersions) { writer, version in writer.int(version) }
            if let trial = reply.trial {
                w.member(",\"trial_id\":", trial.trialID)
                w.member(",\"attempt\":", trial.attempt)
            }
            w.raw("}")
        case .statusRequest:
            w.raw("{}")
        case .statusReply(let status):
            writeStatus(status, to: &w)
        case .enqueue(let request):
            w.raw("{\"parameters\":")
            w.object(request.parameters) { writer, value in writer.parameter(value) }
            w.member(",\"study\":", request.study)
            w.raw("}")
        case .enqueueReply(let reply):
            w.member("{\"trial_id\":", reply.trialID)
            w.raw(",\"parameters\":")
            w.object(reply.parameters) { writer, value in writer.parameter(value) }
            w.member(",\"queued_ahead\":", reply.queuedAhead)
            w.raw("}")
        }
        return w.bytes
    }

    private static func writeStatus(_ status: StudyStatus, to w: inout JSONWriter) {
        w.member("{\"study\":", status.study)
        w.member(",\"direction\":", status.direction)
        w.member(",\"completed\":", status.completed)
        w.member(",\"running\":", status.running)
        w.member(",\"failed\":", status.failed)
        if let pruned = status.pruned { w.member(",\"pruned\":", pruned) }
        w.raw(",\"budget\":")
        if let budget = status.budget { w.int(budget) } else { w.raw("null") }
        w.raw(",\"elapsed_seconds\":")
        w.seconds(status.elapsed)
        w.raw(",\"best\":")
        if let best = status.best {
            w.member("{\"trial_id\":", best.trialID)
            w.member(",\"value\":", real: best.value)
            w.raw(",\"parameters\":")
            w.object(best.parameters) { writer, value in writer.parameter(value) }
            w.raw("}")
        } else {
            w.raw("null")
        }
        w.raw(",\"workers\":")
        w.array(status.workers) { writer, worker in
            writer.member("{\"host\":", worker.host)
            writer.member(",\"name\":", worker.name)
            writer.member(",\"pid\":", worker.pid)
            writer.raw(",\"running\":")
            writer.trialKeys(worker.running)
            writer.raw(",\"last_seen_seconds\":")
            writer.seconds(worker.lastSeen)
            if let slots = worker.slots { writer.member(",\"slots\":", slots) }
            writer.member(",\"blas_kernels\":", worker.blasKernels)
            writer.raw("}")
        }
        w.raw(",\"finished\":")
        w.bool(status.finished)
        w.raw("}")
    }
}
