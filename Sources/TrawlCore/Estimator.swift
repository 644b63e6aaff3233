import Foundation
import TrawlDetect
import TrawlObjects

/// Counts of objects and bytes.
public struct Tally: Codable, Sendable, Equatable {
    public var objects = 0
    public var bytes: Int64 = 0
    public init() {}
    mutating func add(_ size: Int64) {
        objects += 1
        bytes = bytes.saturatingAdd(size)
    }
}

/// What a scan would read and cost, computed before anything is read in full.
public struct EstimateReport: Codable, Sendable {
    public var buckets = 0
    /// Objects in scope before sampling, and those sampling keeps.
    public var objectsInScope = Tally()
    public var samplingPercentage = 100
    public var selected = Tally()
    /// Objects trawl (and Macie) can analyse; `uncompressedBytes` is what gets analysed.
    public var classifiable = Tally()
    public var classifiableUncompressedBytes: Int64 = 0
    /// Objects that will be skipped, by Macie reason code.
    public var notClassifiable: [String: Tally] = [:]
    /// Compressed objects (gzip, zip): stored bytes and estimated uncompressed bytes.
    public var compressed = Tally()
    public var compressedEstimatedUncompressedBytes: Int64 = 0
    /// How many compressed sizes were measured (gzip trailer, zip directory) versus assumed 3:1.
    public var compressionMeasured = 0
    public var compressionAssumed = 0
    public var macie = MacieCost()
    public var time = TimeEstimate()
    /// Only for S3 sources: the requests and transfer the scan itself costs.
    public var s3: S3Cost?

    public struct MacieCost: Codable, Sendable {
        public var region = ""
        public var billableBytes: Int64 = 0
        public var freeTierApplied = true
        public var usd = 0.0
        /// Whether a price tier used is inferred rather than published.
        public var inferredPrice = false
    }

    public struct TimeEstimate: Codable, Sendable {
        public var workers = 1
        /// Detector throughput measured on this machine just now, per core.
        public var measuredMBPerSecondPerCore = 0.0
        public var seconds = 0.0
    }

    public struct S3Cost: Codable, Sendable {
        public var listRequests = 0
        public var getRequests = 0
        public var bytesTransferred: Int64 = 0
        public var usd = 0.0
        public var region = ""
    }

    public init() {}
}

/// Computes an `EstimateReport`.
public struct Estimator {
    public var pricing = Pricing.builtin
    public var region: String
    public var workers: Int
    public var applyFreeTier = true
    /// Bytes of an object the estimate may peek at (head to sniff the format, tail to measure
    /// compression); nil for an object means judge by extension and assume 3:1.
    public var probe: (ObjectRef) -> (any ObjectBytes)?

    public init(region: String, workers: Int, probe: @escaping (ObjectRef) -> (any ObjectBytes)? = { _ in nil }) {
        self.region = region
        self.workers = max(1, workers)
        self.probe = probe
    }

    /// `inScope`: objects after scoping; `selected`: the sampled subset that will be read.
    public func estimate(inScope: [ObjectRef], selected: [ObjectRef], samplingPercentage: Int, detector: Detector?)
        -> EstimateReport
    {
        var report = EstimateReport()
        report.buckets = Set(inScope.map(\.bucket)).count
        report.samplingPercentage = samplingPercentage
        for object in inScope { report.objectsInScope.add(object.size) }
        for object in selected {
            report.selected.add(object.size)
            if let skip = StorageClass.skipReason(
                storageClass: object.storageClass, encryption: object.serverSideEncryption)
            {
                report.notClassifiable[skip.reason.rawValue, default: Tally()].add(object.size)
                continue
            }
            let kind: ContentKind
            let bytes = probe(object)
            if let bytes, let head = try? bytes.head(ContentKind.sniffLength) {
                kind = ContentKind.sniff(fileExtension: object.fileExtension, head: head)
            } else {
                kind = FormatPolicy.kind(forExtension: object.fileExtension)
            }
            if let unsupported = kind.unsupportedReason {
                report.notClassifiable[unsupported.rawValue, default: Tally()].add(object.size)
                continue
            }
            guard object.size <= FormatPolicy.sizeLimit(kind) else {
                report.notClassifiable[FormatLimits.macie.sizeLimitReason(for: kind).rawValue, default: Tally()].add(
                    object.size)
                continue
            }
            report.classifiable.add(object.size)
            var uncompressed = object.size
            if kind == .gzip || kind == .zip || kind == .docx || kind == .xlsx {
                report.compressed.add(object.size)
                if let bytes, let measured = measuredUncompressedSize(object, kind: kind, bytes: bytes) {
                    uncompressed = measured
                    report.compressionMeasured += 1
                } else {
                    uncompressed = object.size.saturatingMultiply(3)
                    report.compressionAssumed += 1
                }
                report.compressedEstimatedUncompressedBytes = report.compressedEstimatedUncompressedBytes.saturatingAdd(
                    uncompressed)
            }
            report.classifiableUncompressedBytes = report.classifiableUncompressedBytes.saturatingAdd(uncompressed)
        }
        let cost = pricing.macieCost(
            bytes: report.classifiableUncompressedBytes, region: region, applyFreeTier: applyFreeTier)
        report.macie = .init(
            region: cost.region, billableBytes: report.classifiableUncompressedBytes, freeTierApplied: applyFreeTier,
            usd: (cost.usd * 100).rounded() / 100, inferredPrice: cost.inferred)
        let perCore = detector.map(Self.measureThroughput) ?? 0
        report.time.workers = workers
        report.time.measuredMBPerSecondPerCore = (perCore * 10).rounded() / 10
        if perCore > 0 {
            let effective = perCore * Double(min(workers, ProcessInfo.processInfo.activeProcessorCount))
            report.time.seconds =
                Double(report.classifiableUncompressedBytes) / 1e6 / effective
                + Double(report.selected.objects) * 0.00005
        }
        return report
    }

    func measuredUncompressedSize(_ object: ObjectRef, kind: ContentKind, bytes: any ObjectBytes) -> Int64? {
        func tail(_ object: ObjectRef, _ count: Int) -> [UInt8]? { try? bytes.tail(count) }
        switch kind {
        case .gzip:
            // ISIZE (mod 2^32) is exact for single-member files under 4 GiB.
            guard object.size < 1 << 32, let bytes = tail(object, 4), bytes.count == 4 else { return nil }
            let size = Int64(bytes[0]) | Int64(bytes[1]) << 8 | Int64(bytes[2]) << 16 | Int64(bytes[3]) << 24
            // Deflate cannot expand beyond ~1032:1; a larger "size" is a truncated or
            // multi-member file's garbage trailer.
            return size >= object.size / 2 && size <= object.size * 1032 ? size : nil
        case .zip, .docx, .xlsx:
            guard let bytes = tail(object, 1 << 20) else { return nil }
            return Self.zipUncompressedTotal(tail: bytes)
        default:
            return nil
        }
    }

    /// Sums the uncompressed sizes in a zip's central directory, found from the end of the
    /// file (End Of Central Directory record). nil when the directory is not in `tail` or
    /// uses ZIP64 sizes.
    static func zipUncompressedTotal(tail: [UInt8]) -> Int64? {
        func u16(_ i: Int) -> Int { Int(tail[i]) | Int(tail[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        guard tail.count >= 22 else { return nil }
        var eocd = tail.count - 22
        while eocd >= 0
            && !(tail[eocd] == 0x50 && tail[eocd + 1] == 0x4B && tail[eocd + 2] == 0x05 && tail[eocd + 3] == 0x06)
        {
            eocd -= 1
        }
        guard eocd >= 0 else { return nil }
        let entries = u16(eocd + 10)
        let directorySize = u32(eocd + 12)
        let directoryStart = eocd - directorySize
        guard directoryStart >= 0, entries != 0xFFFF else { return nil }
        var offset = directoryStart
        var total: Int64 = 0
        for _ in 0..<entries {
            guard offset + 46 <= eocd, u32(offset) == 0x0201_4B50 else { return nil }
            let size = u32(offset + 24)
            if size == 0xFFFF_FFFF { return nil }
            total += Int64(size)
            offset += 46 + u16(offset + 28) + u16(offset + 30) + u16(offset + 32)
        }
        return total
    }

    /// Scans a synthetic 4 MB sample of logs, CSV and prose with the detector and returns
    /// MB/s for one core.
    static func measureThroughput(_ detector: Detector) -> Double {
        var sample = [UInt8]()
        let lines = [
            "2024-03-11T10:22:31.482Z INFO  api request_id=7f9c2a1b user=4821 path=/v1/orders/88231 status=200 latency_ms=42\n",
            "10.12.4.77 - - [11/Mar/2024:10:22:31 +0000] \"GET /static/app.js HTTP/1.1\" 200 5123 \"-\" \"Mozilla/5.0\"\n",
            "88231,2024-03-11,Berlin,DE,149.90,EUR,shipped,express,3,Musterstrasse 12\n",
            "The quarterly review covered onboarding, pricing changes and the new warehouse in Lyon.\n",
        ]
        while sample.count < 4 << 20 { for line in lines { sample += Array(line.utf8) } }
        let scratch = DetectorScratch()
        // A pathological custom identifier must not stall the estimate: the measurement stops
        // at its own small deadline, and what it did in that time is the rate.
        scratch.start(deadline: DispatchTime.now().uptimeNanoseconds + 3_000_000_000)
        return sample.withUnsafeBytes { raw -> Double in
            _ = detector.scan(UnsafeRawBufferPointer(rebasing: raw[0..<(1 << 20)]), scratch: scratch)
            let start = DispatchTime.now().uptimeNanoseconds
            _ = detector.scan(raw, scratch: scratch)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            // Stopped at the deadline: the sample was not read whole, so the rate is at most this.
            if scratch.deadlineReached { return Double(raw.count) / 1e6 / 3 }
            return seconds > 0 ? Double(raw.count) / 1e6 / seconds : 0
        }
    }
}
