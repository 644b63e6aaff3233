/// A check on a candidate value's bytes (separators included, exactly as matched).
/// Returns true when the value is plausible: checksums and issuing rules are what keep
/// false positives down.
public typealias Validator = @Sendable (UnsafeRawBufferPointer) -> Bool

/// All validators by the name used in `Patterns/*.json`.
public enum Validators {
    public static let registry: [String: Validator] = {
        var all: [String: Validator] = [:]
        for part in [
            CommonValidators.all, FinancialValidators.all, PersonalValidators.all, InternationalValidators.all,
        ] {
            all.merge(part) { first, _ in first }
        }
        return all
    }()

    /// Validates a Swift string; for tests and `trawl patterns test`.
    public static func check(_ name: String, _ value: String) -> Bool? {
        guard let validator = registry[name] else { return nil }
        return Array(value.utf8).withUnsafeBytes { validator($0) }
    }
}

/// Helpers shared by validators.
public enum ValidatorSupport {
    /// The ASCII digits of `value`, as numbers 0...9, skipping everything else.
    @inlinable
    public static func digits(_ value: UnsafeRawBufferPointer) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(value.count)
        for byte in value where byte >= 0x30 && byte <= 0x39 { result.append(byte &- 0x30) }
        return result
    }

    /// The bytes of `value` with spaces, dashes and dots removed.
    @inlinable
    public static func compact(_ value: UnsafeRawBufferPointer) -> [UInt8] {
        value.filter { $0 != 0x20 && $0 != 0x2D && $0 != 0x2E }
    }

    /// Luhn (mod 10) over a digit sequence, the last digit being the check digit.
    @inlinable
    public static func luhn(_ digits: [UInt8]) -> Bool {
        guard digits.count >= 2 else { return false }
        var sum = 0
        var double = false
        for digit in digits.reversed() {
            var d = Int(digit)
            if double {
                d *= 2
                if d > 9 { d -= 9 }
            }
            sum += d
            double.toggle()
        }
        return sum % 10 == 0
    }

    /// True when every digit is the same (000000000, 111111111...): never a real number.
    @inlinable
    public static func allSame(_ digits: [UInt8]) -> Bool {
        guard let first = digits.first else { return true }
        return digits.allSatisfy { $0 == first }
    }
}

/// Validators not tied to one category.
public enum CommonValidators {
    public static let all: [String: Validator] = [
        "luhn": { ValidatorSupport.luhn(ValidatorSupport.digits($0)) },
        "ipv4": { ipv4($0) },
    ]

    /// Four dotted octets, each 0...255 without a leading zero (except 0 itself).
    static func ipv4(_ value: UnsafeRawBufferPointer) -> Bool {
        var octets = 0
        var current = -1
        var length = 0
        for byte in value {
            if byte == 0x2E {
                guard current >= 0 else { return false }
                octets += 1
                current = -1
                length = 0
            } else if byte >= 0x30 && byte <= 0x39 {
                if length == 1 && current == 0 { return false }
                current = (current < 0 ? 0 : current) * 10 + Int(byte - 0x30)
                length += 1
                if current > 255 { return false }
            } else {
                return false
            }
        }
        return current >= 0 && octets == 3
    }
}
