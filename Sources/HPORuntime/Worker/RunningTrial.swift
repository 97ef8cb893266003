import HPOWire

/// The attempt a worker is running, with the signal that stops it.
struct RunningTrial {
    var assignment: TrialAssignment
    var stop: StopSignal
    var key: TrialKey { assignment.key }
}
