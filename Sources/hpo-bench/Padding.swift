/// `text` right-aligned in `width` columns, for the fixed-width tables; a text that fills them gets one space before
/// it, so columns never run together.
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
}
