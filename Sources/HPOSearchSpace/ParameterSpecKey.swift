/// Any key of a parameter spec or of a name -> spec mapping, so that unknown keys can be reported by name.
struct ParameterSpecKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    init(_ name: String) { self.stringValue = name }
}
