import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bucket-like directory tree: each direct subdirectory of `root` is a bucket, every
/// regular file below it an object keyed by its path relative to the bucket. With `bucket`
/// set, `root` itself is that single bucket.
///
/// Symbolic links are never followed out of the tree: a link whose target resolves outside
/// the bucket is reported as a listing problem, not read.
///
/// Files directly in `root`, beside the bucket folders, are not left out: they are the objects of
/// one more bucket named after `root` itself (`looseFilesBucket`).
public struct DirectorySource: Sendable {
    public var root: URL
    /// When set, `root` is one bucket with this name.
    public var singleBucket: String?
    /// When set, the source is this one file of `root` (a single file given as SOURCE).
    public var onlyFile: String?

    public init(root: URL, singleBucket: String? = nil, onlyFile: String? = nil) {
        self.root = root.standardizedFileURL
        self.singleBucket = singleBucket
        self.onlyFile = onlyFile
    }

    /// A file given as SOURCE: the one object of a bucket named after its folder.
    public init(file: URL) {
        let file = file.standardizedFileURL
        let folder = file.deletingLastPathComponent()
        self.init(root: folder, singleBucket: folder.lastPathComponent, onlyFile: file.lastPathComponent)
    }

    public struct Bucket: Sendable, Hashable {
        public var name: String
        public var path: String
        /// Only the regular files directly in `path` (the files beside the bucket folders).
        public var looseFilesOnly = false
    }

    /// The bucket holding the files directly in `root`, named after it; nil when there are none.
    public var looseFilesBucket: String? {
        guard singleBucket == nil, hasLooseFiles else { return nil }
        return root.lastPathComponent
    }

    private var hasLooseFiles: Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return entries.contains { name in
            var status = stat()
            return !name.hasPrefix(".") && lstat(root.appendingPathComponent(name).path, &status) == 0
                && (status.st_mode & S_IFMT) != S_IFDIR
        }
    }

    /// The buckets, sorted by name.
    public func buckets() throws -> [Bucket] {
        if let name = singleBucket { return [Bucket(name: name, path: root.path)] }
        let entries = try FileManager.default.contentsOfDirectory(atPath: root.path)
        var buckets: [Bucket] = entries.sorted().compactMap { name in
            guard !name.hasPrefix(".") else { return nil }
            let path = root.appendingPathComponent(name).path
            var status = stat()
            guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else { return nil }
            return Bucket(name: name, path: path)
        }
        if let loose = looseFilesBucket, !buckets.contains(where: { $0.name == loose }) {
            buckets.append(Bucket(name: loose, path: root.path, looseFilesOnly: true))
            buckets.sort { $0.name < $1.name }
        }
        return buckets
    }

    /// Walks every bucket depth-first in key order, calling `object` for each regular file
    /// and `problem` for entries that cannot be listed. Returning false from `object` stops.
    public func walk(
        buckets selected: [Bucket]? = nil,
        object: (ObjectRef) throws -> Bool,
        problem: (ListingProblem) -> Void
    ) throws {
        for bucket in try selected ?? buckets() {
            let realBucket = realPath(bucket.path) ?? bucket.path
            let only = bucket.looseFilesOnly ? Entries.filesOnly : onlyFile.map(Entries.named) ?? .all
            if try !walkDirectory(
                bucket: bucket.name, bucketRoot: realBucket, path: bucket.path, prefix: "", entries: only,
                object: object,
                problem: problem)
            {
                return
            }
        }
    }

    /// Which entries of the top folder a walk takes.
    enum Entries {
        case all
        /// Regular files only (the loose files beside the bucket folders).
        case filesOnly
        /// This one entry.
        case named(String)
    }

    private func walkDirectory(
        bucket: String, bucketRoot: String, path: String, prefix: String, entries: Entries = .all,
        object: (ObjectRef) throws -> Bool, problem: (ListingProblem) -> Void
    ) throws -> Bool {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            problem(
                ListingProblem(bucket: bucket, key: prefix, reason: .permissionDenied, message: "cannot list directory")
            )
            return true
        }
        for name in names {
            if case .named(let only) = entries, name != only { continue }
            let full = path + "/" + name
            let key = prefix + name
            var status = stat()
            guard lstat(full, &status) == 0 else {
                problem(ListingProblem(bucket: bucket, key: key, reason: .permissionDenied, message: "cannot stat"))
                continue
            }
            var mode = status.st_mode & S_IFMT
            // The file is read where it really is: a link inside the bucket is resolved here,
            // and the reader opens without following links.
            var readPath = full
            if mode == S_IFLNK {
                // Follow only links that stay inside the bucket.
                guard let target = realPath(full), target == bucketRoot || target.hasPrefix(bucketRoot + "/") else {
                    problem(
                        ListingProblem(
                            bucket: bucket, key: key, reason: .unsupportedFileTypeException,
                            message: "symbolic link leads outside the bucket; not followed"))
                    continue
                }
                guard stat(full, &status) == 0 else { continue }
                mode = status.st_mode & S_IFMT
                if mode == S_IFDIR { continue }  // directory links could loop; keys come from real paths
                readPath = target
            }
            if mode == S_IFDIR {
                if case .filesOnly = entries { continue }  // a bucket folder, walked as its own bucket
                if try !walkDirectory(
                    bucket: bucket, bucketRoot: bucketRoot, path: full, prefix: key + "/", object: object,
                    problem: problem)
                {
                    return false
                }
            } else if mode == S_IFREG {
                if try !object(Self.objectRef(bucket: bucket, key: key, path: readPath, status: status)) {
                    return false
                }
            } else {
                // A FIFO, socket or device is not an object: reading one could block or never end.
                problem(
                    ListingProblem(
                        bucket: bucket, key: key, reason: .unsupportedFileTypeException,
                        message: "\(Self.kindName(mode)) is not a regular file; not read"))
            }
        }
        return true
    }

    static func objectRef(bucket: String, key: String, path: String, status: stat) -> ObjectRef {
        #if canImport(Darwin)
            let seconds = status.st_mtimespec.tv_sec
            let nanos = status.st_mtimespec.tv_nsec
        #else
            let seconds = status.st_mtim.tv_sec
            let nanos = status.st_mtim.tv_nsec
        #endif
        let modified = Date(timeIntervalSince1970: Double(seconds) + Double(nanos) / 1e9)
        let stamp = UInt64(seconds) &* 1_000_000_000 &+ UInt64(nanos)
        let eTag = String(UInt64(status.st_size), radix: 16) + "-" + String(stamp, radix: 16)
        return ObjectRef(
            bucket: bucket, key: key, size: Int64(status.st_size), lastModified: modified, eTag: eTag,
            location: .file(path: path), fileIdentity: FileIdentity(status))
    }

    static func kindName(_ mode: mode_t) -> String {
        switch mode {
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        default: "an entry of an unknown type"
        }
    }

    private func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
