import Testing
import HPOCoordinatorRuntime
import HPORuntimeSupport
import HPOObjectives
import HPOWorkerRuntime

/// Which binds need CURVE, and which objective kinds a worker accepts.
@Suite struct EndpointSecurityTests {
    @Test(arguments: [
        ("tcp://127.0.0.1:5555", true), ("tcp://127.0.0.1:*", true), ("tcp://127.3.2.1:0", true),
        ("tcp://localhost:5555", true), ("tcp://[::1]:5555", true), ("ipc:///tmp/hpo.sock", true),
        ("inproc://x", true), ("tcp://*:5555", false), ("tcp://0.0.0.0:5555", false), ("tcp://[::]:5555", false),
        ("tcp://10.0.0.5:5555", false), ("tcp://head-node:5555", false), ("tcp://127.0.0.1.evil:5", false),
    ])
    func localOnly(endpoint: String, local: Bool) {
        #expect(EndpointSecurity.isLocalOnly(endpoint) == local)
    }

    @Test func aWideBindWithoutCurveIsRefusedUnlessInsecure() throws {
        var options = CoordinatorServiceOptions(bind: "tcp://*:0")
        #expect(options.securityProblem?.contains("hpo keygen") == true)
        options.insecure = true
        #expect(options.securityProblem == nil)
        options = CoordinatorServiceOptions(bind: "tcp://127.0.0.1:0")
        #expect(options.securityProblem == nil)
    }

    @Test func commandIsOptInWithoutAuthentication() throws {
        let plain = try WorkerConfiguration.capabilities(requested: nil, authenticated: false)
        #expect(!plain.kinds.contains("command") && plain.warning == nil)
        let keyed = try WorkerConfiguration.capabilities(requested: nil, authenticated: true)
        #expect(keyed.kinds.contains("command"))
        let optIn = try WorkerConfiguration.capabilities(requested: ["command", "mlp", "mlp"], authenticated: false)
        #expect(optIn.kinds == ["command", "mlp"])
        #expect(optIn.warning != nil)
        let error = #expect(throws: WorkerError.self) {
            try WorkerConfiguration.capabilities(requested: ["quantum"], authenticated: true)
        }
        #expect(error?.description.contains("quantum") == true)
    }
}
