/// ftlab's own version (`ftlab --version`): raised with every change to a command's contract
/// or to the CSV schema's columns.
public enum FTLabVersion {
    public static let current = "0.14.0"
}
