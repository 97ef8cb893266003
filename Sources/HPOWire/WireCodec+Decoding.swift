/// Reading and validating the JSON body of each message type.
extension WireCodec {
    static func decodeBody(_ body: BodyReader, as kind: WireMessageKind) throws(WireError) -> WireMessage {
        switch kind {
        case .ready:
            return .ready(Ready(
                protocolVersion: try body.int("protocol_version", minimum: 1),
                host: try body.string("host"),
                pid: try body.int("pid", minimum: 1),
                capabilities: try body.strings("capabilities"),
                slots: try body.optionalInt("slots", minimum: 1) ?? 1,
                study: try body.optionalString("study"),
                blasKernels: try body.optionalString("blas_kernels")
            ))
        case .trial:
            let objective = try body.object("objective")
            return .trial(TrialAssignment(
                trialID: try body.int("trial_id"),
                attempt: try body.int("attempt"),
                parameters: try body.assignment("parameters"),
                objective: ObjectiveDescriptor(kind: try objective.string("kind"), options: try objective.jsonObject("options")),
                study: try body.optionalString("study")
            ))
        case .progress:
            return .progress(TrialProgress(
                trialID: try body.int("trial_id"),
                attempt: try body.int("attempt"),
                step: try body.int("step"),
                value: try body.double("value"),
                metrics: try body.metrics("metrics")
            ))
        case .result:
            let key = try body.trialKey()
            let outcome: TrialResult.Outcome
            switch try body.string("status") {
            case "completed": outcome = .completed(value: try body.double("value"), metrics: try body.metrics("metrics"))
            case "failed": outcome = .failed(reason: try body.string("reason"))
            case "stopped": outcome = .stopped(reason: try body.string("reason"))
            case let other:
                throw body.invalid("status", "expected \"completed\", \"failed\" or \"stopped\", got \"\(other)\"")
            }
            return .result(TrialResult(
                trialID: key.trialID, attempt: key.attempt, outcome: outcome, duration: try body.seconds("duration_seconds")
            ))
        case .heartbeat:
            return .heartbeat(Heartbeat(running: try body.trialKeys("running"), study: try body.optionalString("study")))
        case .cancel:
            return .cancel(Cancel(trialID: try body.int("trial_id"), attempt: try body.int("attempt"), reason: try body.string("reason")))
        case .prune:
            return .prune(Prune(
                trialID: try body.int("trial_id"), attempt: try body.int("attempt"), step: try body.int("step"),
                reason: try body.string("reason")))
        case .shutdown:
            return .shutdown(Shutdown(reason: try body.string("reason")))
        case .error:
            let trialID = try body.optionalInt("trial_id")
            let attempt = try body.optionalInt("attempt")
            return .error(ErrorReply(
                code: ErrorReply.Code(rawValue: try body.string("code")),
                message: try body.string("message"),
                supportedVersions: try body.ints("supported_versions", minimum: 1),
                trial: trialID.map { TrialKey(trialID: $0, attempt: attempt ?? 0) }
            ))
        case .statusRequest:
            return .statusRequest
        case .statusReply:
            return .statusReply(try decodeStatus(body))
        case .enqueue:
            return .enqueue(Enqueue(parameters: try body.assignment("parameters"), study: try body.optionalString("study")))
        case .enqueueReply:
            return .enqueueReply(EnqueueReply(
                trialID: try body.int("trial_id"), parameters: try body.assignment("parameters"),
                queuedAhead: try body.int("queued_ahead")))
        }
    }

    private static func decodeStatus(_ body: BodyReader) throws(WireError) -> StudyStatus {
        var best: StudyStatus.BestTrial?
        if let reader = try body.optionalObject("best") {
            best = StudyStatus.BestTrial(
                trialID: try reader.int("trial_id"), value: try reader.double("value"), parameters: try reader.assignment("parameters")
            )
        }
        var workers: [StudyStatus.Worker] = []
        if let list = body.optional("workers") {
            guard case .array(let elements) = list else {
                throw WireError(.wrongType, messageType: body.type, field: "workers", "expected an array, got \(list.kindDescription)")
            }
            for (index, element) in elements.enumerated() {
                guard case .object(let members) = element else {
                    throw WireError(.wrongType, messageType: body.type, field: "workers[\(index)]", "expected an object, got \(element.kindDescription)")
                }
                let reader = BodyReader(type: body.type, members: members, prefix: "workers[\(index)].")
                workers.append(StudyStatus.Worker(
                    host: try reader.string("host"), pid: try reader.int("pid", minimum: 1),
                    running: try reader.trialKeys("running"), lastSeen: try reader.seconds("last_seen_seconds"),
                    name: reader.optional("name") == nil ? nil : try reader.string("name"),
                    blasKernels: try reader.optionalString("blas_kernels"),
                    slots: try reader.optionalInt("slots", minimum: 1)
                ))
            }
        }
        return StudyStatus(
            study: try body.string("study"),
            direction: try body.string("direction"),
            completed: try body.int("completed"),
            running: try body.int("running"),
            failed: try body.int("failed"),
            budget: try body.optionalInt("budget", minimum: 1),
            elapsed: try body.seconds("elapsed_seconds"),
            best: best,
            workers: workers,
            finished: try body.bool("finished"),
            pruned: try body.optionalInt("pruned")
        )
    }
}
