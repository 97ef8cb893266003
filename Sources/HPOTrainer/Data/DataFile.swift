internal import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads data files as bytes, inflating gzip transparently.
enum DataFile {
    /// The bytes of the file at `path`, gunzipped when they start with the gzip magic (1f 8b),
    /// whatever the file's extension.
    ///
    /// - Throws: `TrainerError.unreadableFile` naming the path and the system's reason.
    static func contents(of path: String) throws(TrainerError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .unreadableFile(path: path, reason: "\(String(cString: strerror(errno))); check the path (relative paths start at the working directory)")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B {
            return try gunzip(bytes, path: path)
        }
        return bytes
    }

    /// Inflates a gzip (or zlib) stream with zlib.
    ///
    /// - Throws: `TrainerError.unreadableFile` with zlib's message when the stream is corrupt or truncated.
    static func gunzip(_ compressed: [UInt8], path: String) throws(TrainerError) -> [UInt8] {
        var stream = z_stream()
        // 15 window bits + 32: detect gzip or zlib headers automatically.
        guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .unreadableFile(path: path, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(compressed.count * 4)
        var chunk = [UInt8](repeating: 0, count: 1 << 17)
        var input = compressed
        var status: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: out[0..<(out.count - Int(stream.avail_out))])
                }
            } while status == Z_OK
        }
        guard status == Z_STREAM_END else {
            let message = stream.msg.map { String(cString: $0) } ?? "status \(status)"
            let detail = status == Z_BUF_ERROR ? "the gzip data ends early (truncated file?)" : "corrupt gzip data (\(message))"
            throw .unreadableFile(path: path, reason: "\(detail) after \(output.count) decompressed bytes")
        }
        return output
    }
}
