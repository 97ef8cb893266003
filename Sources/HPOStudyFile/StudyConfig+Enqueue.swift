import HPOSearchSpace
import Yams

extension StudyConfig {
    /// Reads `enqueue:`, a list of parameter mappings (e.g. `- {lr: 0.01, optimizer: adam}`), each checked against
    /// `space` (fixed parameters may be left out).
    ///
    /// - Throws: ``StudyFileError`` at `enqueue[i]` or `enqueue[i].<parameter>` and its line, with the search
    ///   space's message (unknown or missing parameter, value out of bounds, not a choice).
    static func parseEnqueue(_ top: YAMLMappingReader, space: SearchSpace) throws(StudyFileError) -> [Assignment] {
        guard let node = top.value("enqueue") else { return [] }
        guard let items = node.sequence else {
            throw top.error(
                "enqueue", "expected a list of parameter mappings such as [{lr: 0.01}], got \(YAMLMappingReader.describe(node))",
                code: .invalidEnqueue)
        }
        var result: [Assignment] = []
        for (index, item) in items.enumerated() {
            let path = "enqueue[\(index)]"
            guard let mapping = item.mapping else {
                throw StudyFileError(.invalidEnqueue, 
                    file: top.file, keyPath: path, line: item.mark?.line,
                    "expected a mapping of parameter values such as {lr: 0.01}, got \(YAMLMappingReader.describe(item))")
            }
            var assignment = Assignment()
            for (key, value) in mapping {
                let name = key.scalar?.string ?? "?"
                guard value.scalar != nil, let parsed = try? YAMLDecoder().decode(ParameterValue.self, from: value) else {
                    throw StudyFileError(.invalidEnqueue, 
                        file: top.file, keyPath: "\(path).\(name)", line: value.mark?.line,
                        "expected a single value (number, string or boolean), got \(YAMLMappingReader.describe(value))")
                }
                assignment[name] = parsed
            }
            do {
                result.append(try space.validate(assignment))
            } catch {
                let line = error.parameter.flatMap { name in mapping[Node(name)]?.mark?.line } ?? item.mark?.line
                throw StudyFileError(.invalidEnqueue, 
                    file: top.file, keyPath: error.parameter.map { "\(path).\($0)" } ?? path, line: line, error.message)
            }
        }
        return result
    }
}
