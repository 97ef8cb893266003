import HPOSearchSpace
import Testing

@Suite struct AssignmentValidationTests {
    let space: SearchSpace
    let valid: Assignment = [
        "lr": .double(1e-3), "dropout": .double(0.25), "momentum": .double(0.9), "batch_size": .int(128),
        "layers": .int(3), "units": .int(100), "optimizer": .string("adam"), "nesterov": .bool(false),
    ]

    init() throws { space = try mixedSpace() }

    func message(changing name: String, to value: ParameterValue?) -> String? {
        var assignment = valid
        assignment[name] = value
        return searchSpaceError { try space.validate(assignment) }?.description
    }

    @Test func validateCoercesNumbersAndFillsFixedValues() throws {
        var assignment = valid
        assignment["lr"] = .int(0)  // out of bounds, replaced below
        assignment["lr"] = .double(0.01)
        assignment["dropout"] = .int(0)
        assignment["layers"] = .double(2)
        assignment["momentum"] = .double(0.7000000000001)
        let validated = try space.validate(assignment)
        #expect(validated["dropout"] == .double(0))
        #expect(validated["layers"] == .int(2))
        #expect(validated["epochs"] == .int(50))
        let momentum = try #require(validated["momentum"]?.doubleValue)
        #expect(abs(momentum - 0.7) < 1e-15)
        #expect(try space.validate(validated) == validated)
        var fixedGiven = valid
        fixedGiven["epochs"] = .double(50)
        #expect(try space.validate(fixedGiven)["epochs"] == .int(50))
    }

    @Test func eachInvalidValueGetsAMessageNamingTheParameter() {
        #expect(message(changing: "lr", to: .double(0.5))
            == #"parameter "lr": 0.5 is outside [1e-05, 0.1]; give a value within the bounds"#)
        #expect(message(changing: "lr", to: .string("fast"))
            == #"parameter "lr": expected a real number, got a string "fast"; give a number in [1e-05, 0.1]"#)
        #expect(message(changing: "dropout", to: .double(.nan))
            == #"parameter "dropout": expected a finite number, got nan; give a number in [0.0, 0.5]"#)
        #expect(message(changing: "momentum", to: .double(0.72))
            == #"parameter "momentum": 0.72 is not on the grid low + k·step (low=0.5, step=0.05); the nearest allowed value is 0.7"#)
        #expect(message(changing: "layers", to: .double(2.5))
            == #"parameter "layers": expected an integer, got a real number "2.5"; give an integer in [1, 4]"#)
        #expect(message(changing: "layers", to: .int(9))
            == #"parameter "layers": 9 is outside [1, 4]; give a value within the bounds"#)
        #expect(message(changing: "batch_size", to: .int(100))
            == #"parameter "batch_size": 100 is not on the grid low + k·step (low=32, step=32); use 96 or 128"#)
        #expect(message(changing: "optimizer", to: .string("lbfgs"))
            == #"parameter "optimizer": lbfgs is not one of the choices [sgd, adam, rmsprop]; use one of them"#)
        #expect(message(changing: "nesterov", to: .string("true"))
            == #"parameter "nesterov": "true" is not one of the choices [true, false]; use one of them"#)   // the string, quoted
        #expect(message(changing: "epochs", to: .int(10))
            == #"parameter "epochs": is fixed to 50, got 10; leave it out of the assignment or give 50"#)
        #expect(message(changing: "units", to: nil)
            == #"parameter "units": is missing from the assignment; give it a value of type int"#)
        #expect(message(changing: "lrr", to: .double(0.1))
            == #"parameter "lrr": is not in the search space (parameters: lr, dropout, momentum, batch_size, layers, units, optimizer, nesterov, epochs); remove it or add it to the space"#)
    }

    @Test func errorCodesTellTheClassOfProblem() {
        var unknown = valid
        unknown["zzz"] = .int(1)
        #expect(searchSpaceError { try space.validate(unknown) }?.code == .unknownParameter)
        var missing = valid
        missing["lr"] = nil
        #expect(searchSpaceError { try space.validate(missing) }?.code == .missingParameter)
        var outOfBounds = valid
        outOfBounds["layers"] = .int(0)
        #expect(searchSpaceError { try space.encode(outOfBounds) }?.code == .invalidValue)
    }
}
