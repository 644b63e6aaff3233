/// Checks for financial identifiers (cards, IBANs, bank accounts) and for the credential
/// identifiers of `Patterns/credentials.json` and `Patterns/trawl-secrets.json`.
///
/// Every check takes the value exactly as matched (separators included) and returns true when
/// it is plausible. Checksums come from the published algorithms: Luhn (ISO/IEC 7812), ISO 7064
/// mod 97-10 (IBAN, ISO 13616), the French RIB key, the Italian CIN, the Spanish CCC control digits.
public enum FinancialValidators {
    public static let all: [String: Validator] = [
        "creditCard": { creditCard(Array($0)) },
        "creditCardExpiration": { cardExpiration(Array($0)) },
        "magneticStripe": { magneticStripe(Array($0)) },
        "bankAccountNumber": { bankAccountNumber(Array($0)) },
        "iban": { iban(Array($0)) },
        "franceBankAccount": { franceBankAccount(Array($0)) },
        "germanyBankAccount": { germanyBankAccount(Array($0)) },
        "italyBankAccount": { italyBankAccount(Array($0)) },
        "spainBankAccount": { spainBankAccount(Array($0)) },
        "ukBankAccount": { ukBankAccount(Array($0)) },
        "httpBasicAuth": { httpBasicAuth(Array($0)) },
        "jsonWebToken": { jsonWebToken(Array($0)) },
        "awsSecretKey": { awsSecretKey(Array($0)) },
        "awsAccessKeyId": { awsAccessKeyId(Array($0)) },
        "passwordValue": { passwordValue(Array($0)) },
        "urlCredentials": { urlCredentials(Array($0)) },
    ]

    // MARK: - Cards

    /// 13–19 digits, an issuer prefix with a length that issuer uses, and Luhn. Never-issued
    /// shapes (every digit after the first the same) are refused.
    static func creditCard(_ value: [UInt8]) -> Bool {
        let digits = value.compactMap(digit)
        guard (13...19).contains(digits.count), digits.count + separatorCount(value) == value.count else {
            return false
        }
        guard !ValidatorSupport.allSame(Array(digits.dropFirst())) else { return false }
        return issuerAccepts(digits) && ValidatorSupport.luhn(digits)
    }

    /// Issuer identification ranges (Amex, Dankort, Diners, Discover, Visa incl. Electron, JCB,
    /// Mastercard incl. 2-series, UnionPay) and the lengths each issues.
    static func issuerAccepts(_ d: [UInt8]) -> Bool {
        func prefix(_ n: Int) -> Int { d.prefix(n).reduce(0) { $0 * 10 + Int($1) } }
        let length = d.count
        if d[0] == 4 { return length == 13 || length == 16 || length == 19 }  // Visa, Electron
        if (51...55).contains(prefix(2)) || (2221...2720).contains(prefix(4)) { return length == 16 }  // Mastercard
        if prefix(2) == 34 || prefix(2) == 37 { return length == 15 }  // Amex
        if prefix(4) == 5019 { return length == 16 }  // Dankort
        // Discover
        if prefix(4) == 6011 || (644...649).contains(prefix(3)) || prefix(2) == 65 { return (16...19).contains(length) }
        if prefix(2) == 62 { return (16...19).contains(length) }  // UnionPay (and Discover's 622126–622925)
        if (3528...3589).contains(prefix(4)) || [3088, 3096, 3112, 3158, 3337].contains(prefix(4)) {
            return (16...19).contains(length)  // JCB
        }
        if (300...305).contains(prefix(3)) || prefix(4) == 3095 || [36, 38, 39].contains(prefix(2)) {
            return (14...19).contains(length)  // Diners Club
        }
        return false
    }

    private static let monthNames: [[UInt8]] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .map { Array($0.utf8) }

    /// A card expiry: month 01–12 and a two-digit year or a year 2000–2099. Accepts MM/YY,
    /// MM-YYYY, YYYY-MM(-DD), MMYY, month names ("Feb 2027") and field pairs
    /// (`expY=2026, expM=02`, `"exp_month": 2, "exp_year": 2026`).
    static func cardExpiration(_ value: [UInt8]) -> Bool {
        let tokens = tokenize(value.map(lowercased))
        let numbers = tokens.filter { $0.isNumber }.map(\.text)
        var month: Int?
        var year: [UInt8]?
        if value.contains(UInt8(ascii: "=")) || value.contains(UInt8(ascii: ":")) {
            for (index, token) in tokens.enumerated().dropLast() where !token.isNumber {
                let next = tokens[index + 1]
                guard next.isNumber else { continue }
                var key = token.text[...]
                for stem in ["expiration", "expiry", "exp"].map({ Array($0.utf8) }) where key.starts(with: stem) {
                    key = key.dropFirst(stem.count)
                    break
                }
                if key.first == UInt8(ascii: "y") { year = next.text }
                if key.first == UInt8(ascii: "m") { month = number(next.text) }
            }
        } else if let name = tokens.first(where: {
            !$0.isNumber && $0.text.count >= 3 && monthNames.contains(Array($0.text.prefix(3)))
        }) {
            guard numbers.count == 1 else { return false }
            month = monthNames.firstIndex(of: Array(name.text.prefix(3))).map { $0 + 1 }
            year = numbers[0]
        } else if numbers.count == 1, numbers[0].count == 4 {
            month = number(Array(numbers[0].prefix(2)))
            year = Array(numbers[0].suffix(2))
        } else if numbers.count == 2 {
            let (first, second) = (numbers[0], numbers[1])
            if first.count == 4 {
                year = first
                month = second.count <= 2 ? number(second) : nil
            } else {
                month = first.count <= 2 ? number(first) : nil
                year = second
            }
        } else if numbers.count == 3, numbers[0].count == 4 {
            guard let day = number(numbers[2]), (1...31).contains(day) else { return false }
            year = numbers[0]
            month = number(numbers[1])
        }
        guard let month, (1...12).contains(month), let year else { return false }
        switch year.count {
        case 2: return true
        case 4: return (2000...2099).contains(number(year) ?? 0)
        default: return false
        }
    }

    /// Track 1 (`%B` PAN `^` name `^` YYMM …`?`) or track 2 (`;` PAN `=` YYMM …`?`, sentinels
    /// optional): the PAN passes Luhn and the expiry month is 01–12.
    static func magneticStripe(_ value: [UInt8]) -> Bool {
        let pan: ArraySlice<UInt8>
        let rest: ArraySlice<UInt8>
        if value.count > 2, value[0] == UInt8(ascii: "%"), value[1] | 0x20 == UInt8(ascii: "b") {
            let fields = value.dropFirst(2).split(separator: UInt8(ascii: "^"), omittingEmptySubsequences: false)
            guard fields.count >= 3 else { return false }
            pan = fields[0]
            rest = fields[2]
        } else if let equals = value.firstIndex(of: UInt8(ascii: "=")) {
            pan = value[(value.first == UInt8(ascii: ";") ? 1 : 0)..<equals]
            rest = value[(equals + 1)...]
        } else {
            return false
        }
        let digits = pan.compactMap(digit)
        guard digits.count == pan.count, (13...19).contains(digits.count), ValidatorSupport.luhn(digits) else {
            return false
        }
        guard rest.count >= 4, let month = number(Array(rest.dropFirst(2).prefix(2))) else { return false }
        return (1...12).contains(month)
    }

    // MARK: - Bank accounts

    /// US/CA account number: not one repeated digit, not a run of consecutive digits.
    static func bankAccountNumber(_ value: [UInt8]) -> Bool {
        let digits = value.compactMap(digit)
        guard digits.count >= 6, !ValidatorSupport.allSame(digits) else { return false }
        let ascending = zip(digits, digits.dropFirst()).allSatisfy { ($0.0 + 1) % 10 == $0.1 }
        let descending = zip(digits, digits.dropFirst()).allSatisfy { ($0.1 + 1) % 10 == $0.0 }
        return !ascending && !descending
    }

    /// IBAN lengths of the SWIFT registry (ISO 13616), plus Senegal (UEMOA format).
    static let ibanLengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
        "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
        "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
        "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
        "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
        "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
        "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
        "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SN": 28, "SO": 23,
        "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
    ]

    /// An IBAN in electronic form (spaces tolerated): known country, that country's length,
    /// check digits 02–98, and ISO 7064 mod 97-10.
    static func iban(_ value: [UInt8]) -> Bool {
        let text = value.filter { $0 != 0x20 }.map(uppercased)
        guard text.count >= 5, text.count <= 34 else { return false }
        guard let length = ibanLengths[String(decoding: text.prefix(2), as: UTF8.self)], length == text.count else {
            return false
        }
        guard let check = number(Array(text[2..<4])), (2...98).contains(check) else { return false }
        return mod97(text) == 1
    }

    /// ISO 7064 mod 97-10 over an IBAN (country and check digits moved to the end, letters as
    /// 10–35); nil when a byte is not a digit or a letter.
    static func mod97(_ iban: [UInt8]) -> Int? {
        var remainder = 0
        for byte in iban.dropFirst(4) + iban.prefix(4) {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): remainder = (remainder * 10 + Int(byte - 48)) % 97
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): remainder = (remainder * 100 + Int(byte - 55)) % 97
            default: return nil
            }
        }
        return remainder
    }

    /// The value with spaces, dashes, dots and slashes removed, upper-cased.
    static func compactUpper(_ value: [UInt8]) -> [UInt8] {
        value.filter { ![0x20, 0x2D, 0x2E, 0x2F].contains($0) }.map(uppercased)
    }

    /// "FR76…" when the value is the IBAN form of `country`'s account number.
    static func isIBANForm(_ text: [UInt8], _ country: String) -> Bool {
        text.count > 4 && text.prefix(2).elementsEqual(country.utf8) && digit(text[2]) != nil && digit(text[3]) != nil
    }

    /// French RIB (bank 5, branch 5, account 11 alphanumerics, key 2): 97 − ((89·bank + 15·branch
    /// + 3·account) mod 97) is the key, letters of the account mapped A/J→1 … I/R/Z→9 (S→2).
    static func franceBankAccount(_ value: [UInt8]) -> Bool {
        let text = compactUpper(value)
        if isIBANForm(text, "FR") { return iban(text) }
        guard text.count == 23 else { return false }
        var numeric: [Int] = []
        for byte in text {
            if let d = digit(byte) {
                numeric.append(Int(d))
            } else if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
                let index = Int(byte - UInt8(ascii: "A"))
                numeric.append([1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5, 6, 7, 8, 9][index])
            } else {
                return false
            }
        }
        guard text[0..<10].allSatisfy({ digit($0) != nil }), text[21..<23].allSatisfy({ digit($0) != nil }) else {
            return false
        }
        func part(_ range: Range<Int>) -> Int { numeric[range].reduce(0) { ($0 * 10 + $1) % 97 } }
        let sum = 89 * part(0..<5) + 15 * part(5..<10) + 3 * part(10..<21) + part(21..<23)
        return sum % 97 == 0 && !ValidatorSupport.allSame(text.compactMap(digit))
    }

    /// German BBAN: Bankleitzahl (8 digits, never starting with 0 or 9) and a 10-digit account.
    /// (Account check digits depend on one of ~150 bank-specific methods; not checked.)
    static func germanyBankAccount(_ value: [UInt8]) -> Bool {
        let text = compactUpper(value)
        if isIBANForm(text, "DE") { return iban(text) }
        let digits = text.compactMap(digit)
        guard digits.count == 18, text.count == 18, (1...8).contains(digits[0]) else { return false }
        return !ValidatorSupport.allSame(Array(digits[8...]))
    }

    /// Italian BBAN: CIN letter, ABI (5), CAB (5), account (12 alphanumerics); the CIN is the
    /// check character over the other 22 (odd positions through the conversion table).
    static func italyBankAccount(_ value: [UInt8]) -> Bool {
        let text = compactUpper(value)
        if isIBANForm(text, "IT") { return iban(text) }
        guard text.count == 23, let cin = text.first, cin >= UInt8(ascii: "A"), cin <= UInt8(ascii: "Z") else {
            return false
        }
        let odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
        var total = 0
        for (index, byte) in text.dropFirst().enumerated() {
            let k: Int
            if let d = digit(byte) {
                k = Int(d)
            } else if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z"), index >= 10 {
                k = Int(byte - UInt8(ascii: "A"))
            } else {
                return false
            }
            total += index % 2 == 0 ? odd[k] : k
        }
        return Int(cin - UInt8(ascii: "A")) == total % 26
    }

    /// Spanish CCC (bank 4, branch 4, control 2, account 10): the two control digits are
    /// mod-11 checks over "00"+bank+branch and over the account.
    static func spainBankAccount(_ value: [UInt8]) -> Bool {
        let text = compactUpper(value)
        if isIBANForm(text, "ES") { return iban(text) }
        let digits = text.compactMap(digit)
        guard digits.count == 20, text.count == 20 else { return false }
        func control(_ part: [UInt8]) -> UInt8 {
            let weights = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]
            let r = 11 - zip(part, weights).reduce(0) { $0 + Int($1.0) * $1.1 } % 11
            return UInt8(r == 11 ? 0 : r == 10 ? 1 : r)
        }
        return control([0, 0] + digits[0..<8]) == digits[8] && control(Array(digits[10...])) == digits[9]
            && !ValidatorSupport.allSame(Array(digits[10...]))
    }

    /// UK: IBAN, BBAN (4-letter bank code, sort code, account) or domestic sort code + 8-digit
    /// account. (VocaLink modulus checking needs the banks' table; not checked.)
    static func ukBankAccount(_ value: [UInt8]) -> Bool {
        let text = compactUpper(value)
        if isIBANForm(text, "GB") { return iban(text) }
        let digits = text.compactMap(digit)
        if text.count == 18, text.prefix(4).allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }),
            digits.count == 14
        {
            return !ValidatorSupport.allSame(Array(digits[6...]))
        }
        guard text.count == 14, digits.count == 14 else { return false }
        return !ValidatorSupport.allSame(Array(digits[6...])) && !ValidatorSupport.allSame(Array(digits[..<6]))
    }

    // MARK: - Credentials

    /// `Authorization: Basic <base64>`: the credentials decode to printable UTF-8 `user:password`
    /// whose password is not a placeholder.
    static func httpBasicAuth(_ value: [UInt8]) -> Bool {
        let lower = value.map(lowercased)
        guard let scheme = lastRange(of: Array("basic".utf8), in: lower) else { return false }
        let token = value[scheme.upperBound...].drop { $0 == 0x20 || $0 == 0x09 }
        guard let decoded = base64Decode(Array(token), url: false), decoded.count >= 3,
            let colon = decoded.firstIndex(of: UInt8(ascii: ":")),
            decoded.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }),
            String(validating: decoded, as: UTF8.self) != nil
        else { return false }
        let user = decoded[..<colon]
        let password = decoded[(colon + 1)...]
        if password.isEmpty { return user.count >= 8 }  // API-key-as-user schemes ("sk_live_…:")
        return user.count + password.count >= 2 && !isPlaceholder(Array(password))
    }

    /// A JWS in compact form: three base64url segments, the header a JSON object with "alg"
    /// (and no "enc", which would make it a JWE).
    static func jsonWebToken(_ value: [UInt8]) -> Bool {
        let parts = value.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, let header = base64Decode(Array(parts[0]), url: true),
            base64Decode(Array(parts[1]), url: true) != nil,
            parts[2].isEmpty || base64Decode(Array(parts[2]), url: true) != nil
        else { return false }
        let trimmed = header.drop { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
        guard trimmed.first == UInt8(ascii: "{"),
            header.reversed().drop(while: { [0x20, 0x09, 0x0A, 0x0D].contains($0) }).first == UInt8(ascii: "}")
        else { return false }
        return jsonHasKey(header, "alg") && !jsonHasKey(header, "enc")
    }

    /// A 40-character AWS secret access key is random base64: it has upper case, lower case and
    /// digits (a hex digest or a path segment does not).
    static func awsSecretKey(_ value: [UInt8]) -> Bool {
        value.count == 40 && value.contains { $0 >= 0x41 && $0 <= 0x5A } && value.contains { $0 >= 0x61 && $0 <= 0x7A }
            && value.contains { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Access key IDs ending in EXAMPLE are AWS documentation values.
    static func awsAccessKeyId(_ value: [UInt8]) -> Bool {
        !value.reversed().starts(with: Array("EXAMPLE".utf8).reversed())
    }

    /// The value of `password = …`: at least 6 characters, not a placeholder, a template, a
    /// masked value, nor program text (`os.getenv(`, `self.password`, `get_password`, `DB_PASS`).
    static func passwordValue(_ value: [UInt8]) -> Bool {
        guard value.count >= 6, !isPlaceholder(value) else { return false }
        let isLower = { (b: UInt8) in b >= 0x61 && b <= 0x7A }
        let isUpper = { (b: UInt8) in b >= 0x41 && b <= 0x5A }
        let isDigit = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
        let isIdent = { (b: UInt8) in isLower(b) || isUpper(b) || isDigit(b) || b == 0x5F }
        if value.allSatisfy(isLower) { return false }  // a plain word ("requirements")
        if let paren = value.firstIndex(of: UInt8(ascii: "(")), paren > 0,
            value[..<paren].allSatisfy({ isIdent($0) || $0 == 0x2E })
        {
            return false  // a call: getenv(…), os.environ.get(…)
        }
        let segments = value.split(separator: 0x2E, omittingEmptySubsequences: false)
        if segments.count > 1, segments.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isIdent) && !isDigit($0.first!) }) {
            return false  // obj.attr
        }
        let words = value.split(separator: 0x5F, omittingEmptySubsequences: false)
        if words.count > 1, words.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isLower) }) { return false }  // snake_case
        if words.count > 1, isUpper(value[0]),
            words.allSatisfy({ !$0.isEmpty && $0.allSatisfy { isUpper($0) || isDigit($0) } })
        {
            return false  // ENV_NAME
        }
        return true
    }

    /// `user:password` of a URL: the password has at least 3 characters and neither part is a
    /// placeholder (`user:password`, `${PASS}`, `***`).
    static func urlCredentials(_ value: [UInt8]) -> Bool {
        guard let colon = value.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let user = Array(value[..<colon])
        let password = Array(value[(colon + 1)...])
        guard password.count >= 3, !isPlaceholder(password) else { return false }
        let lowered = password.map(lowercased)
        if lowered == Array("pass".utf8) || lowered == Array("password".utf8) { return false }
        return user.isEmpty || !isPlaceholder(user)
    }

    // MARK: - Helpers

    static let placeholders: Set<String> = [
        "password", "passwd", "pass", "pwd", "secret", "changeme", "changeit", "change_me", "example", "placeholder",
        "yourpassword", "your_password", "mypassword", "my_password", "redacted", "hidden", "masked", "none", "null",
        "nil", "undefined", "true", "false", "required", "optional", "string", "str", "empty", "dummy", "sample", "xxx",
        "password123",
    ]

    /// A value that stands for a secret rather than being one: a known word, one repeated
    /// character, a mask (`****`, `xxxx`), or a template (`${X}`, `{{ x }}`, `<x>`, `%s`, `$X`).
    static func isPlaceholder(_ value: [UInt8]) -> Bool {
        let lower = value.map(lowercased)
        if placeholders.contains(String(decoding: lower, as: UTF8.self)) { return true }
        if Set(lower).count <= 1 { return true }
        if lower.allSatisfy({ [0x2A, 0x78, 0x2E, 0x23, 0x5F, 0x2D].contains($0) }) { return true }  // * x . # _ -
        if String(decoding: lower, as: UTF8.self).contains("\u{2022}") { return true }  // •
        for marker in ["${", "{{", "%(", "$(", "#{", "<%"] where contains(lower, Array(marker.utf8)) { return true }
        guard let first = lower.first, let last = lower.last else { return true }
        switch (first, last) {
        case (UInt8(ascii: "<"), UInt8(ascii: ">")), (UInt8(ascii: "["), UInt8(ascii: "]")),
            (UInt8(ascii: "{"), UInt8(ascii: "}")), (UInt8(ascii: "%"), UInt8(ascii: "%")):
            return true
        default: break
        }
        if lower == Array("%s".utf8) { return true }
        if first == UInt8(ascii: "$"), lower.count > 1,
            lower.dropFirst().allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F })
        {
            return true
        }
        return false
    }

    /// Standard or URL-safe base64, padding optional; nil when invalid.
    static func base64Decode(_ text: [UInt8], url: Bool) -> [UInt8]? {
        var body = text
        while body.last == UInt8(ascii: "=") { body.removeLast() }
        guard body.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(body.count * 3 / 4)
        var buffer = 0
        var bits = 0
        for byte in body {
            let v: Int
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = Int(byte) - 65
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = Int(byte) - 71
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = Int(byte) + 4
            case UInt8(ascii: "+") where !url, UInt8(ascii: "-") where url: v = 62
            case UInt8(ascii: "/") where !url, UInt8(ascii: "_") where url: v = 63
            default: return nil
            }
            buffer = (buffer << 6) | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> bits) & 0xFF))
            }
        }
        return out
    }

    /// True when the JSON text has `"key"` followed by a colon (whitespace allowed).
    static func jsonHasKey(_ json: [UInt8], _ key: String) -> Bool {
        let needle = Array("\"\(key)\"".utf8)
        var start = 0
        while start + needle.count <= json.count {
            guard let found = firstRange(of: needle, in: json, from: start) else { return false }
            if json[found.upperBound...].first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: ":") {
                return true
            }
            start = found.lowerBound + 1
        }
        return false
    }

    static func firstRange(of needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Range<Int>? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        for i in start...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) {
            return i..<(i + needle.count)
        }
        return nil
    }

    static func lastRange(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        for i in stride(from: haystack.count - needle.count, through: 0, by: -1)
        where haystack[i..<(i + needle.count)].elementsEqual(needle) {
            return i..<(i + needle.count)
        }
        return nil
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool { firstRange(of: needle, in: haystack) != nil }

    struct Token {
        var text: [UInt8]
        var isNumber: Bool
    }

    /// Runs of ASCII lower-case letters and runs of digits, everything else dropped.
    static func tokenize(_ value: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var current: Token?
        for byte in value {
            let isDigit = digit(byte) != nil
            guard isDigit || (byte >= 0x61 && byte <= 0x7A) else {
                if let token = current { tokens.append(token) }
                current = nil
                continue
            }
            if current?.isNumber == isDigit {
                current?.text.append(byte)
            } else {
                if let token = current { tokens.append(token) }
                current = Token(text: [byte], isNumber: isDigit)
            }
        }
        if let token = current { tokens.append(token) }
        return tokens
    }

    @inline(__always) static func digit(_ byte: UInt8) -> UInt8? {
        byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : nil
    }

    @inline(__always) static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    @inline(__always) static func uppercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x61 && byte <= 0x7A ? byte & ~0x20 : byte
    }

    static func number(_ digits: [UInt8]) -> Int? {
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        var result = 0
        for byte in digits {
            guard let d = digit(byte) else { return nil }
            result = result * 10 + Int(d)
        }
        return result
    }

    static func separatorCount(_ value: [UInt8]) -> Int {
        value.filter { $0 == 0x20 || $0 == 0x2D }.count
    }
}
