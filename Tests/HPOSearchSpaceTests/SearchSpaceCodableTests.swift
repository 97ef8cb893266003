import Foundation
import HPOSearchSpace
import Testing

@Suite struct SearchSpaceCodableTests {
    func decode(_ json: String) throws -> SearchSpace {
        try JSONDecoder().decode(SearchSpace.self, from: Data(json.utf8))
    }

    func decodingMessage(_ json: String) -> String? {
        do {
            _ = try decode(json)
            return nil
        } catch let error as SearchSpaceError {
            return error.description
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func encodesAsAListAndRoundTripsExactly() throws {
        let space = try mixedSpace()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(space)
        let decoded = try JSONDecoder().decode(SearchSpace.self, from: data)
        #expect(decoded == space)
        #expect(decoded.names == space.names)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix(#"[{"high":0.1,"log":true,"low":1e-05,"name":"lr","type":"float"},{"#))
    }

    @Test func readsTheMappingFormSortedByNameWithoutAnOrderKeepingDecoder() throws {
        let space = try decode("""
            {"lr": {"type": "float", "low": 1.0e-5, "high": 1.0e-1, "log": true},
             "batch_size": {"type": "int", "low": 32, "high": 256, "step": 32},
             "optimizer": {"type": "categorical", "choices": ["sgd", "adam"]},
             "epochs": {"type": "fixed", "value": 50}}
            """)
        #expect(space.names == ["batch_size", "epochs", "lr", "optimizer"])
        #expect(space.parameter(named: "lr")?.kind == .float(low: 1e-5, high: 0.1, log: true))
        #expect(space.parameter(named: "batch_size")?.kind == .int(low: 32, high: 256, step: 32))
        #expect(space.parameter(named: "optimizer")?.kind == .categorical([.string("sgd"), .string("adam")]))
        #expect(space.parameter(named: "epochs")?.kind == .fixed(.int(50)))
    }

    @Test func readsTheListFormInDeclaredOrder() throws {
        let space = try decode("""
            [{"name": "z", "type": "float", "low": 0, "high": 1},
             {"name": "a", "type": "categorical", "choices": [true, false, 3, 0.5, "x"]}]
            """)
        #expect(space.names == ["z", "a"])
        #expect(space.parameter(named: "z")?.kind == .float(low: 0, high: 1))
        #expect(space.parameter(named: "a")?.kind == .categorical([.bool(true), .bool(false), .int(3), .double(0.5), .string("x")]))
    }

    @Test func parameterValuesAreBareScalars() throws {
        let values: [ParameterValue] = [.int(32), .double(0.001), .string("adam"), .bool(true)]
        let data = try JSONEncoder().encode(values)
        #expect(String(decoding: data, as: UTF8.self) == #"[32,0.001,"adam",true]"#)
        #expect(try JSONDecoder().decode([ParameterValue].self, from: data) == values)
    }

    @Test func malformedSpecsNameTheParameterAndTheKey() {
        #expect(decodingMessage(#"{"lr": {"type": "float", "low": 0.1, "hihg": 1}}"#)
            == #"parameter "lr": unknown key "hihg" for type float; allowed keys: low, high, log, step"#)
        #expect(decodingMessage(#"{"lr": {"type": "float", "low": 0.1}}"#)
            == #"parameter "lr": type float needs high:; add it"#)
        #expect(decodingMessage(#"{"lr": {"low": 0.1, "high": 1}}"#)
            == #"parameter "lr": has no type:; add type: float, int, categorical or fixed"#)
        #expect(decodingMessage(#"{"lr": {"type": "real", "low": 0.1, "high": 1}}"#)
            == #"parameter "lr": unknown type "real"; use float, int, categorical or fixed"#)
        #expect(decodingMessage(#"{"n": {"type": "int", "low": 1.5, "high": 4}}"#)
            == #"parameter "n": low: expected an integer, got a real number "1.5"; write an integer or use type: float"#)
        #expect(decodingMessage(#"{"lr": {"type": "float", "low": "small", "high": 1}}"#)
            == #"parameter "lr": low: expected a number, got a string "small"; write a number"#)
        #expect(decodingMessage(#"{"lr": {"type": "float", "low": 0.1, "high": 1, "log": "yes"}}"#)
            == #"parameter "lr": log: expected true or false, got a string "yes""#)
        #expect(decodingMessage(#"{"lr": 0.1}"#)
            == #"parameter "lr": expected a mapping such as {type: float, low: 0.0, high: 1.0}; write the spec as a mapping"#)
        #expect(decodingMessage(#"{"opt": {"type": "categorical", "choices": "sgd"}}"#)
            == #"parameter "opt": choices: expected a list of values such as [sgd, adam]; write a list"#)
        #expect(decodingMessage(#"{"lr": {"type": "float", "low": 0, "high": 1, "log": true}}"#)
            == #"parameter "lr": log scale needs low > 0, got low=0.0; raise low or use log: false"#)
        #expect(decodingMessage(#"[{"type": "float", "low": 0, "high": 1}]"#)
            == #"a parameter in list form has no "name" key; add name: <parameter name> to it"#)
        #expect(decodingMessage(#""lr""#)
            == #"a search space must be a mapping (name: {type: ...}) or a list of specs with name: keys"#)
    }
}
