import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real S3 server for the tests: moto's standalone server (`pip install 'moto[server]'`),
/// started on 127.0.0.1 with a free port and stopped when the test is done. (A client for it
/// is the S3 tests' business: see `MotoServer.client` there.)
public final class MotoServer: @unchecked Sendable {
    private let process: RunningProcess
    public let port: Int
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Starts a server; `environment` adds variables (`MOTO_ACCOUNT_ID`).
    public init(environment: [String: String] = [:]) throws {
        port = try Loopback.freePort()
        process = try Subprocess.start(
            "moto_server", ["-H", "127.0.0.1", "-p", String(port)], environment: environment, output: .discard)
        // Ready when it answers on its port (moto starts in about a second).
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if !process.isRunning {
                throw TestSetupError(
                    "moto_server exited at start (is `moto[server]` installed? `make test` installs it)")
            }
            if Loopback.canConnect(port: port) { return }
            usleep(100_000)
        }
        stop()
        throw TestSetupError("moto_server did not start listening on port \(port) within 30 s")
    }

    /// Stops the server: SIGTERM, and SIGKILL if it is still there after 3 s (werkzeug's
    /// threaded server does not always leave on SIGTERM).
    public func stop() { process.stop(grace: 3) }

    deinit { stop() }

    /// Runs python with boto3 against this server (IAM and account set-up that is not S3's);
    /// the endpoint is in `$ENDPOINT`.
    public func python(_ script: String, accessKey: String = "AKIDTESTTESTTEST", secret: String = "test-secret") throws
        -> String
    {
        let result = try Subprocess.python(
            script,
            environment: [
                "AWS_ACCESS_KEY_ID": accessKey, "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": "us-east-1",
                "ENDPOINT": endpoint,
            ])
        guard result.status == 0 else { throw TestSetupError("python set-up failed: \(result.stderr)") }
        return result.stdout
    }
}
