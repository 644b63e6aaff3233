/// Checks for personal and health identifiers (SSN, ITIN, VIN, NHS, SIN, NPI, DEA...).
public enum PersonalValidators {
    public static let all: [String: Validator] = [:]
}
