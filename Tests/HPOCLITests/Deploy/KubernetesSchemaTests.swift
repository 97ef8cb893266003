import Foundation
import HPOTestSupport
import Testing

/// `deploy/kubernetes/*.yaml` against the Kubernetes API's own OpenAPI schemas (the `kubernetes-validate` package,
/// which bundles them, so no cluster is needed), strictly: unknown fields fail too.
@Suite struct KubernetesSchemaTests {
    /// A venv with kubernetes-validate, made once per machine (pip reaches PyPI); nil when Python or pip cannot provide it.
    static let validator: String? = {
        let venv = NSTemporaryDirectory() + "hpo-kubernetes-validate-venv"
        let tool = venv + "/bin/kubernetes-validate"
        if FileManager.default.isExecutableFile(atPath: tool) { return tool }
        guard let system = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile(atPath:)),
            (try? HPOProcess.run(URL(fileURLWithPath: system), ["-m", "venv", "--clear", venv], timeout: 300).status) == 0,
            (try? HPOProcess.run(URL(fileURLWithPath: venv + "/bin/pip"), ["install", "-q", "kubernetes-validate==1.37.0"], timeout: 600).status) == 0
        else { return nil }
        return tool
    }()

    /// 1.31: the oldest release with `podFailurePolicy` GA; 1.37: the newest schema the package bundles.
    @Test(.enabled(if: validator != nil, "no python3 with venv and pip here to install kubernetes-validate (install python3-venv)"),
          arguments: ["1.31.0", "1.37.0"])
    func manifestsMatchTheKubernetesSchemas(version: String) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: KubernetesManifests.directory.path)
            .filter { $0.hasSuffix(".yaml") }.map { KubernetesManifests.directory.appendingPathComponent($0).path }
        #expect(!files.isEmpty)
        let (status, stdout, stderr) = try HPOProcess.run(
            URL(fileURLWithPath: try #require(Self.validator)), ["--strict", "--quiet", "-k", version] + files, timeout: 300)
        #expect(status == 0, "kubernetes-validate -k \(version): \(stdout)\(stderr)")
    }
}
