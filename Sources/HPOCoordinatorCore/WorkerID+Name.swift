extension WorkerID {
    /// The `--name` a worker chose, read from its routing id `name.pid.xxxx` (what `hpo worker` sets): the text
    /// before `.<pid>.<hex>`; nil when the routing id has another shape (e.g. one libzmq generated).
    public func workerName(pid: Int) -> String? {
        guard routingID.first != 0, let text = String(validating: routingID, as: UTF8.self) else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[parts.count - 2] == "\(pid)", UInt16(parts[parts.count - 1], radix: 16) != nil
        else { return nil }
        let name = parts.dropLast(2).joined(separator: ".")
        return name.isEmpty ? nil : name
    }
}
