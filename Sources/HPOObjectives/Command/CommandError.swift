/// Why a command could not be run or its report not read (before any trial outcome exists).
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
