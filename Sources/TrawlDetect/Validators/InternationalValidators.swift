/// Checks for national identifiers outside the US, UK and Canada (EU, Latin America, India,
/// Australia): check digits of national IDs, tax IDs and passports.
public enum InternationalValidators {
    public static let all: [String: Validator] = [:]
}
