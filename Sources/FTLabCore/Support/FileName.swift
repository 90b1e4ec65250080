extension String {
    /// The text as one file name: letters, digits, `.` and `-` kept, anything else `_`.
    public var asFileName: String {
        String(map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
    }
}
