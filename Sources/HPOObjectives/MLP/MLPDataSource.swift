import Foundation
import HPOTrainer
import HPOWire
import Synchronization
import HPORuntimeSupport
import HPOStudyFile

/// Where an `mlp` objective gets its data, and the split it trains on (loaded once, then shared).
///
/// Options: `dataset` (`digits`, the bundled default; `csv`; `mnist`; `libsvm`), `path` (the file, or for
/// `mnist` the directory holding `train-images-idx3-ubyte[.gz]` and `train-labels-idx1-ubyte[.gz]`),
/// `label` (csv: column name or 0-based index, negative from the end; default the last column), `label_missing`
/// (csv, libsvm: `error`, the default, or `drop` for rows whose label is empty or a placeholder such as `?` or `NA`),
/// `feature_count` (libsvm: number of features; default the largest index), `validation_fraction`
/// (default 0.2), `split_seed` (default 0), `standardize` (default true; fitted on the training part).
/// Paths are resolved on the worker, relative to its working directory; `hpo run` makes them absolute against the
/// study file's directory and checks them (loading the data once) before the study starts.
final class MLPDataSource: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case digits, csv, mnist, libsvm
    }

    static let optionKeys: Set<String> = ["dataset", "path", "label", "label_missing", "feature_count", "validation_fraction", "split_seed", "standardize"]

    let kind: Kind
    let path: String?
    let label: LabelColumn
    let missingLabels: MissingLabelPolicy
    let featureCount: Int?
    let validationFraction: Double
    let splitSeed: UInt64
    let standardize: Bool
    private let cache = Mutex<DatasetSplit?>(nil)

    /// Reads the data options (the rest of the options are ignored here).
    ///
    /// - Throws: `StudyFileError` naming the option and what it expects.
    init(options: [String: JSONValue]) throws(StudyFileError) {
        func fail(_ key: String, _ expected: String) -> StudyFileError {
            StudyFileError(.objectiveInvalidOption, objective: "mlp", "option \"\(key)\" must be \(expected), got \(options[key].map { "\($0)" } ?? "nothing")")
        }
        let kindText = options["dataset"]?.stringValue ?? "digits"
        guard let kind = Kind(rawValue: kindText.lowercased()) else {
            throw fail("dataset", "one of \(Kind.allCases.map(\.rawValue).joined(separator: ", ")) (give the file with \"path\")")
        }
        self.kind = kind
        if let value = options["path"] {
            guard let text = value.stringValue, !text.isEmpty else { throw fail("path", "a file or directory path") }
            path = text
        } else {
            path = nil
        }
        if kind != .digits && path == nil {
            throw fail("path", "the \(kind.rawValue) \(kind == .mnist ? "directory" : "file") (dataset: \(kind.rawValue) needs it)")
        }
        if kind == .digits && path != nil {
            throw StudyFileError(.objectiveInvalidOption, objective: "mlp", "option \"path\" is given but dataset is digits (bundled); set dataset to csv, mnist or libsvm, or drop path")
        }
        switch options["label"] {
        case nil: label = .last
        case .number(let number)? where Int(exactly: number) != nil: label = .index(Int(number))
        case .string(let name)?: label = .name(name)
        default: throw fail("label", "a column name or an integer index")
        }
        if let value = options["label_missing"] {
            guard let text = value.stringValue, let policy = MissingLabelPolicy(rawValue: text) else {
                throw fail("label_missing", "error or drop")
            }
            missingLabels = policy
        } else {
            missingLabels = .error
        }
        if let value = options["feature_count"] {
            guard let count = value.intValue, count >= 1 else { throw fail("feature_count", "an integer ≥ 1") }
            featureCount = count
        } else {
            featureCount = nil
        }
        validationFraction = options["validation_fraction"]?.numberValue ?? 0.2
        guard options["validation_fraction"] == nil || options["validation_fraction"]?.numberValue != nil,
              validationFraction > 0, validationFraction < 1
        else { throw fail("validation_fraction", "a number in (0, 1)") }
        if let value = options["split_seed"] {
            guard let seed = value.intValue, seed >= 0 else { throw fail("split_seed", "an integer ≥ 0") }
            splitSeed = UInt64(seed)
        } else {
            splitSeed = 0
        }
        if let value = options["standardize"] {
            guard let flag = value.boolValue else { throw fail("standardize", "true or false") }
            standardize = flag
        } else {
            standardize = true
        }
    }

    /// A short description for messages, e.g. `digits (bundled)` or `csv data/iris.csv`.
    var summary: String {
        kind == .digits ? "digits (bundled)" : "\(kind.rawValue) \(path ?? "")"
    }

    /// The training/validation split, loading and splitting the data on first use.
    ///
    /// - Throws: `TrainerError` when the data cannot be read or split (the message names file, line and column).
    func split() throws(TrainerError) -> DatasetSplit {
        try cache.withLock { (cached: inout DatasetSplit?) throws(TrainerError) -> DatasetSplit in
            if let cached { return cached }
            let dataset: Dataset
            switch kind {
            case .digits: dataset = BundledDatasets.digits
            case .csv: dataset = try CSVLoader.load(path: path!, label: label, missingLabels: missingLabels)
            case .mnist: dataset = try IDXLoader.loadMNIST(directory: path!)
            case .libsvm: dataset = try LibSVMLoader.load(path: path!, featureCount: featureCount, missingLabels: missingLabels)
            }
            var split = try DatasetSplit(stratifying: dataset, validationFraction: validationFraction, seed: splitSeed)
            if standardize { split = split.standardized() }
            cached = split
            return split
        }
    }

    /// Checks that the data exists: a readable file for `csv`/`libsvm`; for `mnist` a directory holding the training
    /// images and labels. With `readsData`, also loads and splits a csv or libsvm file (and the bundled digits), so a
    /// malformed file is reported at once, and returns what was read.
    ///
    /// - Parameter relativeTo: for a relative `path`, says where it was read from (e.g. "this worker's working
    ///   directory"), for the message.
    /// - Throws: `StudyFileError` for option `path`, naming the file as resolved and what to do.
    @discardableResult
    func checkFiles(readsData: Bool, relativeTo: String) throws(StudyFileError) -> DataSummary? {
        guard let path else {
            guard readsData, let split = try? split() else { return nil }
            return DataSummary(source: summary, split: split)
        }
        let resolved = FileChecks.absolute(path)
        let note = path.hasPrefix("/") ? "" : " (\(path), relative to \(relativeTo))"
        func fail(_ message: String) -> StudyFileError { StudyFileError(.objectiveFileUnusable, objective: "mlp", option: "path", message) }
        switch kind {
        case .digits:
            return nil
        case .csv, .libsvm:
            switch FileChecks.entry(resolved) {
            case .missing: throw fail("no such file \(resolved)\(note); check the path")
            case .directory: throw fail("\(resolved)\(note) is a directory; dataset: \(kind.rawValue) needs the file")
            case .file where !FileChecks.isReadable(resolved):
                throw fail("cannot read \(resolved)\(note): permission denied; check the file's permissions")
            case .file: break
            }
        case .mnist:
            guard FileChecks.entry(resolved) == .directory else {
                throw fail("no such directory \(resolved)\(note); dataset: mnist needs the directory holding train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]")
            }
            for name in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"]
            where FileChecks.entry("\(resolved)/\(name)") != .file && FileChecks.entry("\(resolved)/\(name).gz") != .file {
                throw fail("\(resolved)\(note) has no \(name) or \(name).gz; download the MNIST training files into it")
            }
        }
        // MNIST's files are standard and large (60,000 images): their presence is enough here.
        guard readsData, kind != .mnist else { return nil }
        do {
            return DataSummary(source: resolved, split: try split())
        } catch {
            throw fail("cannot use \(kind.rawValue) data \(resolved): \(error); fix the file or the data options (label, feature_count)")
        }
    }
}
