/// The version of this hpo build, shown by `hpo --version` and written into reports.
public enum HPOVersion {
    public static let current = "0.4.0-dev"
}
