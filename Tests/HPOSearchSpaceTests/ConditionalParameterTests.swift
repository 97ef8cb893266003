import Foundation
import HPOSearchSpace
import Testing

@Suite struct ConditionalParameterTests {
    private func space() throws -> SearchSpace {
        try SearchSpace([
            .categorical("optimizer", [.string("sgd"), .string("adam"), .string("rmsprop")]),
            Parameter.float("momentum", 0, 0.9).when("optimizer", is: .string("sgd"), .string("rmsprop")),
            Parameter.int("restarts", 1, 4).when("optimizer", is: .string("sgd")),
            .float("lr", 1e-4, 1e-1, log: true),
        ])
    }

    @Test func anInactiveParameterIsLeftOutAndGivingItIsAnError() throws {
        let space = try space()
        let adam = try space.validate(["optimizer": .string("adam"), "lr": .double(0.01)])
        #expect(adam.keys.sorted() == ["lr", "optimizer"])
        #expect(throws: SearchSpaceError.self) {
            try space.validate(["optimizer": .string("adam"), "lr": .double(0.01), "momentum": .double(0.5)])
        }
        do {
            _ = try space.validate(["optimizer": .string("adam"), "lr": .double(0.01), "momentum": .double(0.5)])
        } catch {
            #expect(error.description == "parameter \"momentum\": is inactive (when: {optimizer: [sgd, rmsprop]}; optimizer is adam), got 0.5; leave it out")
        }
        #expect(throws: SearchSpaceError.self) {
            try space.validate(["optimizer": .string("sgd"), "lr": .double(0.01), "momentum": .double(0.5)])  // restarts missing
        }
    }

    @Test func everyCoordinateOfAnInactiveParameterIsOneHalf() throws {
        let space = try space()
        // optimizer: 3 one-hot coordinates, then momentum, restarts, lr.
        let point = try space.encode(["optimizer": .string("adam"), "lr": .double(0.01)])
        #expect(point.count == 6)
        #expect(Array(point[0..<3]) == [0, 1, 0])
        #expect(point[3] == 0.5 && point[4] == 0.5)
        let other = try space.encode(["optimizer": .string("adam"), "lr": .double(0.01)])
        #expect(point == other)
    }

    @Test func decodingAndSnappingDropTheInactiveValues() throws {
        let space = try space()
        let raw = [0.1, 0.9, 0.2, 0.77, 0.3, 0.5]  // adam wins the one-hot argmax
        let decoded = space.decode(raw)
        #expect(decoded.keys.sorted() == ["lr", "optimizer"])
        let snapped = space.snap(raw)
        #expect(snapped == (try space.encode(decoded)))
        #expect(snapped[3] == 0.5 && snapped[4] == 0.5)
        let sgd = space.decode([0.9, 0.1, 0.2, 0.77, 0.3, 0.5])
        #expect(sgd.keys.sorted() == ["lr", "momentum", "optimizer", "restarts"])
    }

    @Test func aConditionNeedsAnEarlierCategoricalParentAndOneOfItsChoices() throws {
        #expect(throws: SearchSpaceError.self) {
            try SearchSpace([Parameter.float("m", 0, 1).when("opt", is: .string("sgd")), .categorical("opt", [.string("sgd")])])
        }
        #expect(throws: SearchSpaceError.self) {
            try SearchSpace([.float("x", 0, 1), Parameter.float("m", 0, 1).when("x", is: .double(0.5))])
        }
        do {
            _ = try SearchSpace([.categorical("opt", [.string("sgd")]), Parameter.float("m", 0, 1).when("opt", is: .string("adam"))])
            Issue.record("a value that is not a choice was accepted")
        } catch {
            #expect(error.description == "parameter \"m\": when: adam is not a choice of opt [sgd]; use one of them")
        }
    }

    @Test func theConditionRoundTripsThroughTheJournalsCodableForm() throws {
        let space = try space()
        let data = try JSONEncoder().encode(space)
        #expect(String(decoding: data, as: UTF8.self).contains(#""when":{"optimizer":["sgd","rmsprop"]}"#))
        #expect(try JSONDecoder().decode(SearchSpace.self, from: data) == space)
    }

    @Test func anotherConditionIsNotAWidening() throws {
        let old = try space()
        let new = try SearchSpace([
            .categorical("optimizer", [.string("sgd"), .string("adam"), .string("rmsprop")]),
            Parameter.float("momentum", 0, 0.9).when("optimizer", is: .string("sgd")),
            Parameter.int("restarts", 1, 4).when("optimizer", is: .string("sgd")),
            .float("lr", 1e-4, 1e-1, log: true),
        ])
        let changes = new.changes(from: old)
        #expect(changes.map(\.kind) == [.typeChanged])
        #expect(changes.first?.description == "momentum: type, scale or condition changed from {type: float, low: 0.0, high: 0.9} when {optimizer: [sgd, rmsprop]} to {type: float, low: 0.0, high: 0.9} when {optimizer: sgd}")
    }
}
