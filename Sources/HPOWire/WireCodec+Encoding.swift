/// The JSON body of each message type (field names and units in docs/protocol.md).
extension WireCodec {
    static func body(of message: WireMessage) -> [UInt8] {
        var w = JSONWriter()
        switch message {
        case .ready(let ready):
            w.raw("{\"protocol_version\":")
            w.int(ready.protocolVersion)
            w.raw(",\"host\":")
            w.string(ready.host)
            w.raw(",\"pid\":")
            w.int(ready.pid)
            w.raw(",\"capabilities\":[")
            for (index, capability) in ready.capabilities.enumerated() {
                if index > 0 { w.raw(",") }
                w.string(capability)
            }
            w.raw("],\"slots\":")
            w.int(ready.slots)
            if let study = ready.study {
                w.raw(",\"study\":")
                w.string(study)
            }
            if let kernels = ready.blasKernels {
                w.raw(",\"blas_kernels\":")
                w.string(kernels)
            }
            w.raw("}")
        case .trial(let trial):
            w.raw("{\"trial_id\":")
            w.int(trial.trialID)
            w.raw(",\"attempt\":")
            w.int(trial.attempt)
            w.raw(",\"parameters\":")
            w.object(trial.parameters) { writer, value in writer.parameter(value) }
            w.raw(",\"objective\":{\"kind\":")
            w.string(trial.objective.kind)
            w.raw(",\"options\":")
            w.object(trial.objective.options) { writer, value in writer.write(value) }
            w.raw("}")
            if let study = trial.study {
                w.raw(",\"study\":")
                w.string(study)
            }
            w.raw("}")
        case .progress(let progress):
            w.raw("{\"trial_id\":")
            w.int(progress.trialID)
            w.raw(",\"attempt\":")
            w.int(progress.attempt)
            w.raw(",\"step\":")
            w.int(progress.step)
            w.raw(",\"value\":")
            w.real(progress.value)
            w.raw(",\"metrics\":")
            w.object(progress.metrics) { writer, value in writer.real(value) }
            w.raw("}")
        case .result(let result):
            w.raw("{\"trial_id\":")
            w.int(result.trialID)
            w.raw(",\"attempt\":")
            w.int(result.attempt)
            switch result.outcome {
            case .completed(let value, let metrics):
                w.raw(",\"status\":\"completed\",\"value\":")
                w.real(value)
                w.raw(",\"metrics\":")
                w.object(metrics) { writer, value in writer.real(value) }
            case .failed(let reason):
                w.raw(",\"status\":\"failed\",\"reason\":")
                w.string(reason)
            case .stopped(let reason):
                w.raw(",\"status\":\"stopped\",\"reason\":")
                w.string(reason)
            }
            w.raw(",\"duration_seconds\":")
            w.seconds(result.duration)
            w.raw("}")
        case .heartbeat(let heartbeat):
            w.raw("{\"running\":")
            w.trialKeys(heartbeat.running)
            if let study = heartbeat.study {
                w.raw(",\"study\":")
                w.string(study)
            }
            w.raw("}")
        case .cancel(let cancel):
            w.raw("{\"trial_id\":")
            w.int(cancel.trialID)
            w.raw(",\"attempt\":")
            w.int(cancel.attempt)
            w.raw(",\"reason\":")
            w.string(cancel.reason)
            w.raw("}")
        case .prune(let prune):
            w.raw("{\"trial_id\":")
            w.int(prune.trialID)
            w.raw(",\"attempt\":")
            w.int(prune.attempt)
            w.raw(",\"step\":")
            w.int(prune.step)
            w.raw(",\"reason\":")
            w.string(prune.reason)
            w.raw("}")
        case .shutdown(let shutdown):
            w.raw("{\"reason\":")
            w.string(shutdown.reason)
            w.raw("}")
        case .error(let reply):
            w.raw("{\"code\":")
            w.string(reply.code.rawValue)
            w.raw(",\"message\":")
            w.string(reply.message)
            w.raw(",\"supported_versions\":[")
            for (index, version) in reply.supportedVersions.enumerated() {
                if index > 0 { w.raw(",") }
                w.int(version)
            }
            w.raw("]")
            if let trial = reply.trial {
                w.raw(",\"trial_id\":")
                w.int(trial.trialID)
                w.raw(",\"attempt\":")
                w.int(trial.attempt)
            }
            w.raw("}")
        case .statusRequest:
            w.raw("{}")
        case .statusReply(let status):
            writeStatus(status, to: &w)
        }
        return w.bytes
    }

    private static func writeStatus(_ status: StudyStatus, to w: inout JSONWriter) {
        w.raw("{\"study\":")
        w.string(status.study)
        w.raw(",\"direction\":")
        w.string(status.direction)
        w.raw(",\"completed\":")
        w.int(status.completed)
        w.raw(",\"running\":")
        w.int(status.running)
        w.raw(",\"failed\":")
        w.int(status.failed)
        if let pruned = status.pruned {
            w.raw(",\"pruned\":")
            w.int(pruned)
        }
        w.raw(",\"budget\":")
        if let budget = status.budget { w.int(budget) } else { w.raw("null") }
        w.raw(",\"elapsed_seconds\":")
        w.seconds(status.elapsed)
        w.raw(",\"best\":")
        if let best = status.best {
            w.raw("{\"trial_id\":")
            w.int(best.trialID)
            w.raw(",\"value\":")
            w.real(best.value)
            w.raw(",\"parameters\":")
            w.object(best.parameters) { writer, value in writer.parameter(value) }
            w.raw("}")
        } else {
            w.raw("null")
        }
        w.raw(",\"workers\":[")
        for (index, worker) in status.workers.enumerated() {
            if index > 0 { w.raw(",") }
            w.raw("{\"host\":")
            w.string(worker.host)
            if let name = worker.name {
                w.raw(",\"name\":")
                w.string(name)
            }
            w.raw(",\"pid\":")
            w.int(worker.pid)
            w.raw(",\"running\":")
            w.trialKeys(worker.running)
            w.raw(",\"last_seen_seconds\":")
            w.seconds(worker.lastSeen)
            if let slots = worker.slots {
                w.raw(",\"slots\":")
                w.int(slots)
            }
            if let kernels = worker.blasKernels {
                w.raw(",\"blas_kernels\":")
                w.string(kernels)
            }
            w.raw("}")
        }
        w.raw("],\"finished\":")
        w.bool(status.finished)
        w.raw("}")
    }
}
