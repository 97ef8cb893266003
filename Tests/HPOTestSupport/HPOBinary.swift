public import Foundation

/// Finds the executables SwiftPM built next to the running test bundle (`swift build --build-tests` builds them).
public enum HPOBinary {
    /// The directory of the build products: the test binary's directory, or the one above a `.xctest` bundle.
    public static var productsDirectory: URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        if directory.lastPathComponent == "MacOS" || directory.path.hasSuffix(".xctest") {
            directory = directory.deletingLastPathComponent()
        }
        if directory.path.hasSuffix(".xctest") { directory = directory.deletingLastPathComponent() }
        return directory
    }

    /// The built executable `name` (default `hpo`).
    ///
    /// - Throws: ``TestSupportError`` naming the path looked at, if it is missing; build it first.
    public static func url(_ name: String = "hpo") throws -> URL {
        let candidate = productsDirectory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: candidate.path) else {
            throw TestSupportError("no executable at \(candidate.path); build it first (swift build --build-tests)")
        }
        return candidate
    }
}

/// A test-support failure: what went wrong and what to do.
public struct TestSupportError: Error, CustomStringConvertible {
    /// The message, naming the values involved.
    public var description: String

    public init(_ description: String) { self.description = description }
}
