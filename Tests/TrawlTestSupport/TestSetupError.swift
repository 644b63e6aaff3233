/// A test's environment could not be set up (a helper program is missing, a server did not
/// start...): the test fails with this message rather than passing without checking anything.
public struct TestSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ message: String) { description = message }
}
