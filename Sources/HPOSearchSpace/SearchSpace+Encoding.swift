/// Assignments to and from the unit cube.
extension SearchSpace {
    /// Validates `assignment` and returns an assignment in canonical form.
    ///
    /// Ints given as integral reals become `.int`, reals given as ints become `.double`, stepped reals snap onto
    /// their grid (within 1e-9 steps), categorical values take the form their choice was listed in, and missing
    /// fixed parameters are filled in.
    ///
    /// Inactive conditional parameters (``Parameter/condition``) are left out; giving one is an error.
    ///
    /// - Throws: ``SearchSpaceError`` naming the first parameter that is unknown, missing, out of bounds, off its
    ///   step grid, of the wrong type, not one of its choices, or given while inactive.
    public func validate(_ assignment: Assignment) throws(SearchSpaceError) -> Assignment {
        let known = Set(names)
        if let unknown = assignment.keys.sorted().first(where: { !known.contains($0) }) {
            let list = names.joined(separator: ", ")
            throw SearchSpaceError(
                .unknownParameter, parameter: unknown,
                "is not in the search space (parameters: \(list)); remove it or add it to the space"
            )
        }
        var result = Assignment(minimumCapacity: parameters.count)
        for (index, parameter) in parameters.enumerated() {
            guard isActive(index, in: result) else {
                if let value = assignment[parameter.name], let condition = parameter.condition {
                    let parent = result[condition.parent].map { "is \($0)" } ?? "is inactive"
                    throw SearchSpaceError(
                        .invalidValue, parameter: parameter.name,
                        "is inactive (when: \(condition); \(condition.parent) \(parent)), got \(value); leave it out")
                }
                continue
            }
            if let value = assignment[parameter.name] {
                result[parameter.name] = try parameter.kind.canonicalValue(value, name: parameter.name)
            } else if case .fixed(let value) = parameter.kind {
                result[parameter.name] = value
            } else {
                throw SearchSpaceError(
                    .missingParameter, parameter: parameter.name,
                    "is missing from the assignment; give it a value of type \(parameter.kind.typeName)"
                )
            }
        }
        return result
    }

    /// Validates `assignment` and returns its point in `[0, 1]^d` (``dimensionCount`` coordinates).
    ///
    /// - Throws: ``SearchSpaceError`` as ``validate(_:)`` does.
    public func encode(_ assignment: Assignment) throws(SearchSpaceError) -> [Double] {
        encodeValidated(try validate(assignment))
    }

    /// The assignment at `point`; total: coordinates are clamped to `[0, 1]` (NaN counts as 0), numbers are
    /// rounded to their levels and kept within bounds, one-hot groups decode to their argmax. The result always
    /// passes ``validate(_:)``.
    ///
    /// - Precondition: `point.count == dimensionCount`.
    public func decode(_ point: [Double]) -> Assignment {
        precondition(
            point.count == dimensionCount,
            "SearchSpace.decode: point has \(point.count) coordinates, the space has \(dimensionCount)"
        )
        var result = Assignment(minimumCapacity: parameters.count)
        for (index, parameter) in parameters.enumerated() where isActive(index, in: result) {
            result[parameter.name] = parameter.kind.decode(point[coordinates(ofParameter: index)])
        }
        return result
    }

    /// The nearest valid encoded point: `encode(decode(point))`. Discrete coordinates move to their level
    /// centres, one-hot groups become exactly one 1, continuous coordinates are clamped to `[0, 1]`.
    ///
    /// - Precondition: `point.count == dimensionCount`.
    ///
    /// - Complexity: O(d), without building an assignment (it runs on every acquisition candidate).
    public func snap(_ point: [Double]) -> [Double] {
        precondition(
            point.count == dimensionCount,
            "SearchSpace.snap: point has \(point.count) coordinates, the space has \(dimensionCount)"
        )
        guard !hasConditions else { return encodeValidated(decode(point)) }
        var snapped = [Double](repeating: 0, count: dimensionCount)
        for (index, parameter) in parameters.enumerated() where parameter.kind.coordinateCount > 0 {
            let value = parameter.kind.decode(point[coordinates(ofParameter: index)])
            parameter.kind.encodeValidated(value, into: &snapped, at: firstCoordinate[index])
        }
        return snapped
    }

    /// The point of an assignment that already passed ``validate(_:)`` (or came from ``decode(_:)``).
    func encodeValidated(_ assignment: Assignment) -> [Double] {
        var point = [Double](repeating: 0, count: dimensionCount)
        for (index, parameter) in parameters.enumerated() {
            guard let value = assignment[parameter.name] else {
                // Inactive (the assignment passed validate): the same constant for every inactive point.
                for coordinate in coordinates(ofParameter: index) { point[coordinate] = Self.inactiveCoordinate }
                continue
            }
            parameter.kind.encodeValidated(value, into: &point, at: firstCoordinate[index])
        }
        return point
    }
}
