import Foundation
import HPOTestSupport
import Testing

/// `hpo report` on a real study, rendered by headless Chromium: every chart is drawn, and the SVG has one point per
/// completed trial (issue #10).
@Suite(.serialized, .scratchDirectory("e2e")) struct ReportBrowserTests {
    /// Headless Chromium: found on the PATH, or installed with apt when running as root; nil when neither works.
    static let chromium: String? = {
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        if let found = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) { return found }
        guard getuid() == 0 else { return nil }
        _ = try? HPOProcess.run(
            URL(fileURLWithPath: "/usr/bin/apt-get"), ["install", "-y", "--no-install-recommends", "chromium"],
            environment: ["DEBIAN_FRONTEND": "noninteractive"], timeout: 900)
        return candidates.first(where: FileManager.default.isExecutableFile(atPath:))
    }()

    static let pngStats = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/png_stats.py").path

    /// Screenshot of `url` at 1160 × `height`; returns (inked pixels, distinct colours).
    static func screenshot(_ url: String, to file: String, height: Int) throws -> (inked: Int, colours: Int) {
        let shot = try HPOProcess.run(URL(fileURLWithPath: Self.chromium!), [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1160,\(height)",
            "--screenshot=\(file)", url,
        ])
        try #require(shot.status == 0 && FileManager.default.fileExists(atPath: file), "chromium wrote no screenshot")
        let stats = try HPOProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", Self.pngStats, file])
        let fields = stats.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        try #require(fields.count == 4, "png_stats printed \(stats.stdout)")
        return (fields[2], fields[3])
    }

    /// The text of the `<svg id="...">` element.
    static func svg(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: "<svg id=\"\(id)\""), let end = html[start.upperBound...].range(of: "</svg>") else {
            return nil
        }
        return String(html[start.lowerBound..<end.upperBound])
    }

    @Test(.enabled(if: chromium != nil, "headless Chromium is missing and apt-get could not install it (run scripts/install-deps as root)"))
    func theReportOfARealStudyRendersEveryChartInChromium() throws {
        let directory = try ScratchDirectory.current()
        let journal = try EndToEnd.runDigitsStudy(in: directory, name: "report", trials: 10, epochs: 6, seed: 5)
        let page = directory.appendingPathComponent("report.html").path
        let report = try HPOProcess(["report", journal, "-o", page])
        #expect(report.wait(timeout: 60) == 0, "stderr: \(report.standardError)")
        let html = try String(contentsOfFile: page, encoding: .utf8)

        // The SVG: one point per completed trial, axes titled, one curve per trial, one bar per attempt.
        for id in ["history-trials", "history-time", "slice-lr", "slice-batch_size", "slice-optimizer"] {
            let chart = try #require(Self.svg(id, in: html), "chart \(id)")
            #expect(chart.components(separatedBy: "<circle").count - 1 == 10, "\(id): one point per trial")
            #expect(chart.contains(">accuracy</text>"), "\(id): y axis titled")
        }
        #expect(try #require(Self.svg("slice-lr", in: html)).contains(">lr (log)</text>"))
        #expect(try #require(Self.svg("learning-curves", in: html)).components(separatedBy: "<polyline").count - 1 == 10)
        #expect(try #require(Self.svg("worker-timeline", in: html)).components(separatedBy: "class=\"run ").count - 1 >= 10)
        #expect(try #require(Self.svg("parallel-coordinates", in: html)).components(separatedBy: "class=\"pc-line").count - 1 == 10)

        // The browser: the whole page is not blank, and each section, shown alone (#fragment), draws something.
        let whole = try Self.screenshot("file://\(page)", to: directory.appendingPathComponent("page.png").path, height: 1600)
        #expect(whole.inked > 20_000 && whole.colours > 20, "whole page: \(whole)")
        for id in ["history", "slices", "parallel", "importance", "curves", "timeline", "top-trials", "settings"] {
            let shot = try Self.screenshot(
                "file://\(page)#\(id)", to: directory.appendingPathComponent("\(id).png").path, height: 700)
            #expect(shot.inked > 1_500 && shot.colours > 3, "section \(id) looks blank: \(shot)")
        }
    }
}
