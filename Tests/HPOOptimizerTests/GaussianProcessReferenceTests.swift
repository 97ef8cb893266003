@testable import HPOOptimizer
import HPOMath
import Testing

/// The GP against values computed independently (scripts/fixtures/gp_reference.py, mpmath at 40 digits).
@Suite struct GaussianProcessReferenceTests {
    static func relativeError(_ value: Double, _ expected: Double) -> Double {
        abs(value - expected) / max(abs(expected), 1e-300)
    }

    static func model(_ reference: GPReferenceCase) throws -> GaussianProcess {
        try GaussianProcess(
            x: reference.x, y: reference.y,
            hyperparameters: GPHyperparameters(
                lengthScales: reference.lengthScales, signalVariance: reference.signalVariance,
                noiseVariance: reference.noiseVariance))
    }

    @Test(arguments: GPReferenceCase.all.indices)
    func posteriorMeanAndVarianceMatchTheReference(index: Int) throws {
        let reference = GPReferenceCase.all[index]
        let gp = try Self.model(reference)
        for (q, query) in reference.queries.enumerated() {
            let (mean, variance) = gp.posterior(at: query)
            #expect(Self.relativeError(mean, reference.means[q]) < 1e-9, "\(reference.name), query \(q): mean \(mean)")
            #expect(Self.relativeError(variance, reference.variances[q]) < 1e-8, "\(reference.name), query \(q): variance \(variance)")
        }
    }

    @Test(arguments: GPReferenceCase.all.indices)
    func batchPosteriorMatchesTheReference(index: Int) throws {
        let reference = GPReferenceCase.all[index]
        let gp = try Self.model(reference)
        let (means, variances) = gp.posterior(batch: reference.queries)
        for q in reference.queries.indices {
            #expect(Self.relativeError(means[q], reference.means[q]) < 1e-9, "\(reference.name), query \(q)")
            #expect(Self.relativeError(variances[q], reference.variances[q]) < 1e-7, "\(reference.name), query \(q)")
        }
    }

    @Test(arguments: GPReferenceCase.all.indices)
    func logMarginalLikelihoodMatchesTheReference(index: Int) throws {
        let reference = GPReferenceCase.all[index]
        let gp = try Self.model(reference)
        #expect(Self.relativeError(gp.logMarginalLikelihood, reference.logMarginalLikelihood) < 1e-10)
        // The fitting objective computes the same quantity on its own path.
        let standardized = reference.y.map { ($0 - gp.targetMean) / gp.targetScale }
        let objective = MarginalLikelihood(points: reference.x, targets: standardized)
        let viaObjective = try #require(objective.logMarginalLikelihood(gp.hyperparameters))
        #expect(Self.relativeError(viaObjective, reference.logMarginalLikelihood) < 1e-10)
    }
}
