extension LiveDisplay {
    /// The text one redraw writes to the terminal: the cursor moved up over the `drawn` lines of the previous frame
    /// and the screen cleared below (`erase`), then `lines`, each ended by a newline.
    ///
    /// Public so that `hpo-bench live-view` times exactly what a redraw builds.
    public static func frame(_ lines: [String], erasing drawn: Int) -> String {
        erase(drawn) + lines.joined(separator: "\n") + "\n"
    }
}
