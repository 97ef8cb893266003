public import Foundation
public import Testing

/// Gives each test its own scratch directory (`ScratchDirectory.make(label)`) and removes it with everything in it
/// when the test ends, passed or failed; the test reads it with `ScratchDirectory.current()`.
///
/// On a suite it applies to every test in it. Processes a test started must be gone (waited for or killed in the
/// test's `defer`) before it ends, or they lose their files.
public struct ScratchDirectoryTrait: TestTrait, SuiteTrait, TestScoping {
    /// The middle of the directory's name, `hpo-<label>-<uuid>`.
    public var label: String

    public var isRecursive: Bool { true }

    /// One directory per test case; none for the suite itself.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let directory = try ScratchDirectory.make(label)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await ScratchDirectory.$scoped.withValue(directory, operation: function)
    }
}

extension Trait where Self == ScratchDirectoryTrait {
    /// A fresh `hpo-<label>-<uuid>` directory for each test, removed when it ends.
    public static func scratchDirectory(_ label: String = "test") -> Self {
        ScratchDirectoryTrait(label: label)
    }
}

extension ScratchDirectory {
    /// The directory `ScratchDirectoryTrait` made for the running test.
    @TaskLocal static var scoped: URL?

    /// The running test's scratch directory.
    ///
    /// - Throws: `ScratchDirectoryError` when the test (or its suite) lacks the `.scratchDirectory` trait.
    public static func current() throws -> URL {
        guard let scoped else { throw ScratchDirectoryError() }
        return scoped
    }
}

/// A test asked for its scratch directory without the trait that makes it.
public struct ScratchDirectoryError: Error, CustomStringConvertible {
    public var description: String {
        "this test has no scratch directory: add .scratchDirectory(\"label\") to its @Test or @Suite"
    }
}
