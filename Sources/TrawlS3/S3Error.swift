import Foundation
import TrawlObjects

/// A failed S3 request: the HTTP status, S3's error code and message, and what was asked for.
/// Never holds credentials: request signatures and keys stay out of every message.
public struct S3Error: Error, Sendable, CustomStringConvertible {
    /// HTTP status; 0 when no complete answer came (connection refused, lost or timed out).
    public var status: Int
    /// S3's error code (`AccessDenied`, `NoSuchKey`, `SlowDown`...), or trawl's: transport
    /// failures (`ConnectionFailed` when no connection could be made, `ConnectionLost` when one
    /// was closed or reset before the whole answer came, `Timeout`), `RegionMismatch`,
    /// `MalformedResponse`.
    public var code: String
    public var message: String
    public var operation: String
    public var bucket: String?
    public var key: String?
    public var requestId: String?

    public init(
        status: Int, code: String, message: String, operation: String, bucket: String? = nil, key: String? = nil,
        requestId: String? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.operation = operation
        self.bucket = bucket
        self.key = key
        self.requestId = requestId
    }

    public var description: String {
        var target = ""
        if let bucket { target = " s3://\(bucket)" + (key.map { "/\($0)" } ?? "") }
        let status = self.status > 0 ? "HTTP \(self.status) " : ""
        return "\(operation)\(target): \(status)\(code)\(message.isEmpty ? "" : ": \(message)")"
    }

    /// Macie's reason code for an object that could not be read because of this error
    /// (`NETWORK_ERROR`, trawl's, when the network or the service failed).
    public var macieReason: ReasonCode {
        if isTransient { return .networkError }
        return switch (status, code) {
        case (_, "NoSuchBucket"): .noSuchBucketAvailable
        case (_, "NoSuchKey"), (_, "NoSuchVersion"), (404, _): .sourceObjectNoLongerAvailable
        case (412, _), (_, "PreconditionFailed"), (_, "ETagMismatch"): .objectVersionMismatch
        case (_, "InvalidObjectState"): .invalidObjectState
        case (_, let code) where code.hasPrefix("KMS."): .invalidKMSKey
        case (400, "InvalidRequest") where message.localizedCaseInsensitiveContains("encryption"): .invalidEncryption
        case (403, _), (_, "AccessDenied"), (_, "AllAccessDisabled"): .permissionDenied
        default: .unableToParseFile
        }
    }

    /// Whether trying again may help: throttling, server errors, lost connections.
    public var isRetryable: Bool {
        isTransient || code == "RequestTimeTooSkewed"
    }

    /// A failure of the network or the service rather than of the request or the object.
    var isTransient: Bool {
        if status == 0 { return ["ConnectionFailed", "ConnectionLost", "Timeout"].contains(code) }
        if status == 429 || status >= 500 { return true }
        return ["SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable"].contains(code)
    }

    /// No connection could be made at all (or none answered in time): few attempts, since a
    /// wrong endpoint should fail fast.
    var isConnectFailure: Bool { status == 0 && (code == "ConnectionFailed" || code == "Timeout") }

    static func parse(status: Int, body: Data, operation: String, bucket: String?, key: String?) -> S3Error {
        if let root = XMLNode.parse(body), root.name == "Error" {
            return S3Error(
                status: status, code: root.value("Code") ?? "HTTP\(status)", message: root.value("Message") ?? "",
                operation: operation, bucket: bucket, key: key, requestId: root.value("RequestId"))
        }
        // HEAD answers and some proxies have no XML body.
        let code: String
        switch status {
        case 403: code = "AccessDenied"
        case 404: code = key == nil ? "NoSuchBucket" : "NoSuchKey"
        case 412: code = "PreconditionFailed"
        case 503: code = "SlowDown"
        default: code = "HTTP\(status)"
        }
        return S3Error(status: status, code: code, message: "", operation: operation, bucket: bucket, key: key)
    }
}

/// Exponential backoff with full jitter; `Retry-After` raises the wait, never lowers it.
public struct RetryPolicy: Sendable {
    /// Attempts in all (the first one included) for throttling and server errors.
    public var maxAttempts = 8
    /// Attempts in all when no connection could be made (a wrong endpoint should fail fast).
    public var maxConnectAttempts = 3
    public var baseDelay = 0.1
    public var maxDelay = 20.0

    public init(maxAttempts: Int = 8, maxConnectAttempts: Int = 3, baseDelay: Double = 0.1, maxDelay: Double = 20.0) {
        self.maxAttempts = maxAttempts
        self.maxConnectAttempts = maxConnectAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Seconds to wait before attempt `attempt + 1` (attempt counts from 1).
    public func delay(afterAttempt attempt: Int, retryAfter: Double?) -> Double {
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
        let jittered = Double.random(in: 0...ceiling)
        return min(maxDelay, max(jittered, retryAfter ?? 0))
    }

    /// `Retry-After` as seconds (delta-seconds or an HTTP date).
    static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
