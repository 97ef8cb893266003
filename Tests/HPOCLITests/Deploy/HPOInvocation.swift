import HPOTestSupport

/// An `hpo` command line (from a manifest or a unit file), parsed against the binary's own definition of the subcommand.
struct HPOInvocation {
    /// The subcommand, e.g. `coordinator`.
    let subcommand: String
    /// Option values by long name (`--bind` → `["tcp://*:5555"]`).
    let options: [String: [String]]
    /// The flags given (`--resume`).
    let flags: Set<String>
    /// The positional arguments, in order.
    let positionals: [String]

    /// The last value of option `name` (`--bind`), if given.
    func option(_ name: String) -> String? { options[name]?.last }

    /// Parses `arguments` (the words after `hpo`): every `--name` must be an option or flag of the subcommand,
    /// every option gets a value, and there are no more positionals than it takes.
    ///
    /// - Throws: `TestSupportError` naming the word and the subcommand when the binary would refuse the line.
    init(_ arguments: [String], definitions: [String: HPOCommandDefinition]) throws {
        guard let subcommand = arguments.first else { throw TestSupportError("an hpo command line without a subcommand") }
        guard let definition = definitions[subcommand] else {
            throw TestSupportError("hpo \(subcommand): no such subcommand (known: \(definitions.keys.sorted()))")
        }
        var options: [String: [String]] = [:], flags = Set<String>(), positionals: [String] = []
        var rest = arguments.dropFirst()[...]
        while let word = rest.popFirst() {
            guard word.hasPrefix("--") else {
                positionals.append(word)
                continue
            }
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0]
            if definition.options.contains(name) {
                guard let value = parts.count == 2 ? parts[1] : rest.popFirst() else {
                    throw TestSupportError("hpo \(subcommand) \(name): the option needs a value, and the line ends")
                }
                options[name, default: []].append(value)
            } else if definition.flags.contains(name), parts.count == 1 {
                flags.insert(name)
            } else {
                throw TestSupportError(
                    "hpo \(subcommand) \(word): not an option or flag of the built hpo \(subcommand) "
                        + "(options: \(definition.options.sorted()), flags: \(definition.flags.sorted()))")
            }
        }
        guard positionals.count <= definition.positionalCount else {
            throw TestSupportError("hpo \(subcommand): \(positionals.count) positional arguments \(positionals), it takes \(definition.positionalCount)")
        }
        self.subcommand = subcommand
        self.options = options
        self.flags = flags
        self.positionals = positionals
    }
}
