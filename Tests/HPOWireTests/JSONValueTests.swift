import Foundation
import HPOWire
import Testing

@Suite struct JSONValueTests {
    @Test func codableThroughFoundationMatchesTheWireForm() throws {
        let value = JSONValue.object(["a": .array([.number(1), .number(0.5), .null, .bool(true)]), "b": .string("x\"y")])
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
        #expect(value.description == #"{"a":[1,0.5,null,true],"b":"x\"y"}"#)
    }

    @Test func objectiveDescriptorIsCodable() throws {
        let descriptor = ObjectiveDescriptor(kind: "command", options: ["argv": .array([.string("python"), .string("train.py")])])
        let data = try JSONEncoder().encode(descriptor)
        #expect(try JSONDecoder().decode(ObjectiveDescriptor.self, from: data) == descriptor)
    }
}
