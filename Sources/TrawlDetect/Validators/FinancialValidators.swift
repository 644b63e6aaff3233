/// Checks for financial identifiers (cards, IBANs, bank accounts).
public enum FinancialValidators {
    public static let all: [String: Validator] = [:]
}
