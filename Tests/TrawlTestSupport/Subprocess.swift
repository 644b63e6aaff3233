import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a finished child process did: exit status, how it ended, and what it wrote.
public struct ProcessResult {
    /// The exit status, or the signal number when `terminationReason` is `.uncaughtSignal`.
    public var status: Int32
    public var terminationReason: Process.TerminationReason
    public var stdoutData: Data
    public var stderrData: Data
    /// The timeout ran out and the child was terminated.
    public var timedOut: Bool

    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    public var stderr: String { String(decoding: stderrData, as: UTF8.self) }
    /// Standard output followed by standard error, for messages.
    public var output: String { stdout + stderr }
}

/// Every child process the tests start goes through here: one way to pass arguments, an
/// environment, standard input and a timeout, and to read both output streams without the
/// child blocking on a full pipe.
public enum Subprocess {
    /// What becomes of the child's standard output and error.
    public enum Output: Sendable {
        /// Read into the result (both streams at once, as the child writes them).
        case capture
        /// Sent to /dev/null (long-running children whose output nobody reads).
        case discard
    }

    /// Starts `executable` (a path, or a name looked up on the PATH) and returns at once.
    /// `environment` is added to (and overrides) this process's environment; standard input
    /// is `stdin` or, without it, /dev/null.
    public static func start(
        _ executable: String, _ arguments: [String] = [], environment: [String: String] = [:], directory: URL? = nil,
        stdin: Data? = nil, output: Output = .capture
    ) throws -> RunningProcess {
        try RunningProcess(
            executable, arguments, environment: environment, directory: directory, stdin: stdin, output: output)
    }

    /// Runs `executable` to its end and returns its status and output. With a `timeout` the
    /// child is terminated (SIGTERM, then SIGKILL) when it runs longer, and `timedOut` is set.
    public static func run(
        _ executable: String, _ arguments: [String] = [], environment: [String: String] = [:], directory: URL? = nil,
        stdin: Data? = nil, timeout: TimeInterval? = nil
    ) throws -> ProcessResult {
        let child = try start(executable, arguments, environment: environment, directory: directory, stdin: stdin)
        return child.wait(timeout: timeout)
    }

    /// Runs a python3 script (`python3 -c script arguments...`).
    public static func python(
        _ script: String, _ arguments: [String] = [], environment: [String: String] = [:], timeout: TimeInterval? = nil
    ) throws -> ProcessResult {
        try run("python3", ["-c", script] + arguments, environment: environment, timeout: timeout)
    }
}

/// A child process started by `Subprocess.start`: signal it, stop it, wait for it.
public final class RunningProcess: @unchecked Sendable {
    private let process = Process()
    private let readers = DispatchGroup()
    private let lock = NSLock()
    private var stdoutData = Data()
    private var stderrData = Data()
    private var timedOut = false

    fileprivate init(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: URL?, stdin: Data?,
        output: Subprocess.Output
    ) throws {
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            // env looks the name up on the PATH and execs it: the child keeps env's process id.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = directory }

        var input: Pipe?
        if stdin != nil {
            input = Pipe()
            process.standardInput = input
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        var pipes: (out: Pipe, err: Pipe)?
        switch output {
        case .capture:
            pipes = (Pipe(), Pipe())
            process.standardOutput = pipes!.out
            process.standardError = pipes!.err
        case .discard:
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }

        try process.run()

        if let pipes {
            read(pipes.out.fileHandleForReading) { data in self.stdoutData = data }
            read(pipes.err.fileHandleForReading) { data in self.stderrData = data }
        }
        if let input, let stdin {
            let handle = input.fileHandleForWriting
            Thread.detachNewThread {
                // A child that exits without reading all of it must not kill us with SIGPIPE.
                signal(SIGPIPE, SIG_IGN)
                try? handle.write(contentsOf: stdin)
                try? handle.close()
            }
        }
    }

    /// Reads a stream to its end on its own thread, so neither pipe can fill and block the child.
    private func read(_ handle: FileHandle, into store: @escaping @Sendable (Data) -> Void) {
        readers.enter()
        Thread.detachNewThread { [self] in
            let data = handle.readDataToEndOfFile()
            lock.lock()
            store(data)
            lock.unlock()
            readers.leave()
        }
    }

    public var processIdentifier: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Sends `signal` (SIGINT, SIGTERM, SIGKILL...) to the child.
    public func send(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// Waits for the child to end (terminating it once `timeout` has passed) and for its output.
    @discardableResult
    public func wait(timeout: TimeInterval? = nil) -> ProcessResult {
        var watchdog: DispatchWorkItem?
        if let timeout {
            let item = DispatchWorkItem { [self] in
                guard process.isRunning else { return }
                lock.lock()
                timedOut = true
                lock.unlock()
                stop(grace: 5)
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: item)
            watchdog = item
        }
        process.waitUntilExit()
        readers.wait()
        watchdog?.cancel()
        lock.lock()
        defer { lock.unlock() }
        return ProcessResult(
            status: process.terminationStatus, terminationReason: process.terminationReason,
            stdoutData: stdoutData, stderrData: stderrData, timedOut: timedOut)
    }

    /// Stops the child: SIGTERM, then SIGKILL if it is still there after `grace` seconds (some
    /// servers do not always leave on SIGTERM). Returns once it has ended.
    public func stop(grace: TimeInterval = 3) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
