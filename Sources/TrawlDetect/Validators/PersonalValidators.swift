/// Checks for personal and health identifiers (SSN, ITIN, VIN, NHS, SIN, NPI, DEA...).
///
/// Each check receives the value exactly as matched (separators included). The regexes in
/// `Patterns/personal-*.json`, `health.json` and `trawl-personal.json` already fix the shape;
/// these checks add what a regex cannot say cheaply: checksums, never-issued ranges, real
/// calendar dates and coordinate ranges.
public enum PersonalValidators {
    public static let all: [String: Validator] = [
        "usSSN": { usSSN($0) },
        "usHICN": { usHICN($0) },
        "usPassport": { notAllSame($0, minimumDigits: 8) },
        "usDriversLicense": { notAllSame($0, minimumDigits: 3) },
        "notAllSameDigits": { notAllSame($0, minimumDigits: 1) },
        "usNDC": { notAllSame($0, minimumDigits: 10) },
        "nanpPhone": { nanpPhone($0) },
        "ukPhone": { ukPhone($0) },
        "dateOfBirth": { dateOfBirth($0) },
        "latLong": { latLong($0) },
        "vin": { vin($0) },
        "ukNHS": { ukNHS(ValidatorSupport.digits($0)) },
        "caSIN": { caSIN(ValidatorSupport.digits($0)) },
        "caHealthNumber": { caHealthNumber($0) },
        "usNPI": { usNPI(ValidatorSupport.digits($0)) },
        "usDEA": { usDEA($0) },
        "emailAddress": { emailAddress($0) },
        "ipv6": { ipv6($0) },
        "macAddress": { macAddress($0) },
    ]

    // MARK: - US

    /// SSA rules for numbers never issued: area 000, 666 or 900–999, group 00, serial 0000;
    /// nine identical digits are never real either.
    static func usSSN(_ value: UnsafeRawBufferPointer) -> Bool {
        ssnDigitsValid(ValidatorSupport.digits(value))
    }

    static func ssnDigitsValid(_ d: [UInt8]) -> Bool {
        guard d.count == 9, !ValidatorSupport.allSame(d) else { return false }
        let area = Int(d[0]) * 100 + Int(d[1]) * 10 + Int(d[2])
        let group = Int(d[3]) * 10 + Int(d[4])
        let serial = d[5...].reduce(0) { $0 * 10 + Int($1) }
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
    }

    /// A HICN is the wage earner's SSN followed by a beneficiary identification code: the
    /// first nine digits follow the SSN rules.
    static func usHICN(_ value: UnsafeRawBufferPointer) -> Bool {
        var d: [UInt8] = []
        for byte in value {
            if isDigit(byte) {
                d.append(byte &- 0x30)
                if d.count == 9 { break }
            } else if byte != 0x2D {
                break
            }
        }
        return ssnDigitsValid(d)
    }

    /// NANP (US, Canada): ten digits after an optional country code 1; the area code and the
    /// exchange start with 2–9 and are not N11 service codes; area codes N9X are reserved.
    static func nanpPhone(_ value: UnsafeRawBufferPointer) -> Bool {
        var d = ValidatorSupport.digits(value)
        if d.count == 11, d[0] == 1 { d.removeFirst() }
        guard d.count == 10 else { return false }
        if d[0] < 2 || d[3] < 2 { return false }
        if d[1] == 1 && d[2] == 1 { return false }
        if d[4] == 1 && d[5] == 1 { return false }
        if d[1] == 9 { return false }
        return true
    }

    /// The US National Provider Identifier: ten digits starting with 1 or 2, whose Luhn check
    /// covers the card-issuer prefix 80840 (ISO 7812) followed by the ten digits.
    static func usNPI(_ d: [UInt8]) -> Bool {
        guard d.count == 10, d[0] == 1 || d[0] == 2 else { return false }
        return ValidatorSupport.luhn([8, 0, 8, 4, 0] + d)
    }

    /// DEA registration numbers: two letters and seven digits; (d1 + d3 + d5) + 2 × (d2 + d4 + d6)
    /// ends in d7.
    static func usDEA(_ value: UnsafeRawBufferPointer) -> Bool {
        guard value.count == 9 else { return false }
        let d = ValidatorSupport.digits(UnsafeRawBufferPointer(rebasing: value[2...]))
        guard d.count == 7 else { return false }
        let sum = Int(d[0]) + Int(d[2]) + Int(d[4]) + 2 * (Int(d[1]) + Int(d[3]) + Int(d[5]))
        return sum % 10 == Int(d[6])
    }

    // MARK: - UK and Canada

    /// NHS numbers: weights 10…2 over the first nine digits, check = 11 − (sum mod 11), where 11
    /// means 0 and 10 means the number is never issued.
    static func ukNHS(_ d: [UInt8]) -> Bool {
        guard d.count == 10, !ValidatorSupport.allSame(d) else { return false }
        var sum = 0
        for i in 0..<9 { sum += Int(d[i]) * (10 - i) }
        var check = 11 - sum % 11
        if check == 11 { check = 0 }
        return check != 10 && check == Int(d[9])
    }

    /// Social Insurance Numbers: nine digits, Luhn; the first digit is never 0 or 8.
    static func caSIN(_ d: [UInt8]) -> Bool {
        d.count == 9 && d[0] != 0 && d[0] != 8 && ValidatorSupport.luhn(d)
    }

    /// Provincial health numbers. Ten-digit numbers must pass Ontario's Luhn check or British
    /// Columbia's mod 11 (leading 9, weights 2 4 8 5 10 9 7 3); the other provinces publish no
    /// check, so only repeated digits are refused.
    static func caHealthNumber(_ value: UnsafeRawBufferPointer) -> Bool {
        let d = ValidatorSupport.digits(value)
        guard !ValidatorSupport.allSame(d) else { return false }
        let startsWithLetter = value.first.map(isUpper) ?? false
        guard d.count == 10, !startsWithLetter else { return true }
        if ValidatorSupport.luhn(d) { return true }
        guard d[0] == 9 else { return false }
        let weights = [2, 4, 8, 5, 10, 9, 7, 3]
        var sum = 0
        for i in 0..<8 { sum += Int(d[i + 1]) * weights[i] }
        return 11 - sum % 11 == Int(d[9])
    }

    /// UK numbers: after +44 (and an optional "(0)") or the trunk 0, a national number of 9 or
    /// 10 digits whose first digit is in use (1, 2, 3, 5, 7, 8, 9).
    static func ukPhone(_ value: UnsafeRawBufferPointer) -> Bool {
        var d = ValidatorSupport.digits(value)
        if value.first == 0x2B {
            guard d.count > 2, d[0] == 4, d[1] == 4 else { return false }
            d.removeFirst(2)
            if d.first == 0 { d.removeFirst() }
        } else {
            guard d.first == 0 else { return false }
            d.removeFirst()
        }
        guard d.count == 9 || d.count == 10 else { return false }
        return [1, 2, 3, 5, 7, 8, 9].contains(d[0])
    }

    static func notAllSame(_ value: UnsafeRawBufferPointer, minimumDigits: Int) -> Bool {
        let d = ValidatorSupport.digits(value)
        return d.count >= minimumDigits && !ValidatorSupport.allSame(d)
    }

    // MARK: - Any country

    /// ISO 3779 VIN: 17 characters without I, O, Q, with at least one letter and one digit. The
    /// check digit in position 9 is mandatory in North America (WMI starting with 1–5: US,
    /// Canada, Mexico) and checked there; elsewhere (Europe notably) position 9 is free.
    static func vin(_ value: UnsafeRawBufferPointer) -> Bool {
        guard value.count == 17 else { return false }
        var sum = 0
        var letters = 0
        var digits = 0
        for (index, raw) in value.enumerated() {
            let byte = isLower(raw) ? raw &- 0x20 : raw
            let number: Int
            if isDigit(byte) {
                number = Int(byte &- 0x30)
                digits += 1
            } else if let transliterated = vinTransliteration(byte) {
                number = transliterated
                letters += 1
            } else {
                return false
            }
            sum += number * vinWeights[index]
        }
        guard letters > 0, digits > 0 else { return false }
        let first = value[0]
        guard first >= 0x31 && first <= 0x35 else { return true }
        let check = sum % 11
        let expected: UInt8 = check == 10 ? 0x58 : UInt8(0x30 + check)
        let actual = isLower(value[8]) ? value[8] &- 0x20 : value[8]
        return actual == expected
    }

    static let vinWeights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]

    /// A=1…H=8, J=1…N=5, P=7, R=9, S=2…Z=9; I, O and Q are never used.
    static func vinTransliteration(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x41...0x48: Int(byte - 0x41) + 1  // A-H
        case 0x4A...0x4E: Int(byte - 0x4A) + 1  // J-N
        case 0x50: 7  // P
        case 0x52: 9  // R
        case 0x53...0x5A: Int(byte - 0x53) + 2  // S-Z
        default: nil
        }
    }

    /// A real calendar date, years 1800–2099 (two-digit years pivot at 50). Numeric dates are
    /// accepted when either reading (month first or day first) is a real date; year-first
    /// dates are year, month, day. Month names give the month.
    static func dateOfBirth(_ value: UnsafeRawBufferPointer) -> Bool {
        var numbers: [(value: Int, length: Int)] = []
        var words: [String] = []
        var index = 0
        let bytes = Array(value)
        while index < bytes.count {
            let byte = bytes[index]
            if isDigit(byte) {
                var number = 0
                var length = 0
                while index < bytes.count, isDigit(bytes[index]) {
                    if length < 9 { number = number * 10 + Int(bytes[index] &- 0x30) }
                    length += 1
                    index += 1
                }
                numbers.append((number, length))
            } else if isUpper(byte) || isLower(byte) {
                var word = ""
                while index < bytes.count, isUpper(bytes[index]) || isLower(bytes[index]) {
                    word.unicodeScalars.append(Unicode.Scalar(bytes[index] | 0x20))
                    index += 1
                }
                words.append(word)
            } else {
                index += 1
            }
        }
        if let month = words.lazy.compactMap(monthNumber).first {
            guard numbers.count == 2, numbers[0].length <= 2 else { return false }
            return realDate(year: numbers[1].value, yearLength: numbers[1].length, month: month, day: numbers[0].value)
        }
        if numbers.count == 1, numbers[0].length == 8 {
            let n = numbers[0].value
            return realDate(year: n / 10000, yearLength: 4, month: n / 100 % 100, day: n % 100)
        }
        guard numbers.count == 3 else { return false }
        let (a, b, c) = (numbers[0], numbers[1], numbers[2])
        if a.length == 4 {
            return realDate(year: a.value, yearLength: 4, month: b.value, day: c.value)
        }
        guard c.length == 2 || c.length == 4 else { return false }
        return realDate(year: c.value, yearLength: c.length, month: a.value, day: b.value)
            || realDate(year: c.value, yearLength: c.length, month: b.value, day: a.value)
    }

    static func monthNumber(_ word: String) -> Int? {
        guard word.count >= 3 else { return nil }
        let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        guard let index = names.firstIndex(of: String(word.prefix(3))) else { return nil }
        return index + 1
    }

    static func realDate(year rawYear: Int, yearLength: Int, month: Int, day: Int) -> Bool {
        var year = rawYear
        if yearLength == 2 { year += year < 50 ? 2000 : 1900 } else if yearLength != 4 { return false }
        guard (1800...2099).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    /// Two decimal-degree numbers: latitude within ±90, longitude within ±180.
    static func latLong(_ value: UnsafeRawBufferPointer) -> Bool {
        var magnitudes: [Double] = []
        var index = 0
        let bytes = Array(value)
        while index < bytes.count {
            guard isDigit(bytes[index]) else {
                index += 1
                continue
            }
            var text = ""
            while index < bytes.count, isDigit(bytes[index]) || bytes[index] == 0x2E {
                text.unicodeScalars.append(Unicode.Scalar(bytes[index]))
                index += 1
            }
            guard let number = Double(text) else { return false }
            magnitudes.append(number)
        }
        return magnitudes.count == 2 && magnitudes[0] <= 90 && magnitudes[1] <= 180
    }

    // MARK: - Network and contact (trawl's own)

    /// File extensions that look like top-level domains in `name@2x.png`-style asset names
    /// and `pkg@1.2.js`-style references, but are not TLDs.
    static let fileExtensions: Set<String> = [
        "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "css", "js", "mjs", "cjs",
        "ts", "tsx", "jsx", "json", "map", "html", "htm", "txt", "pdf", "webm", "mp3", "mp4", "woff",
        "woff2", "ttf", "otf", "eot", "py", "rb", "java", "swift", "go", "rs", "php", "yml", "yaml", "xml",
        "lock",
    ]

    /// RFC 5321 sizes (local part ≤ 64, address ≤ 254), no empty dot-atoms in the local part,
    /// an alphabetic top-level domain that is not a file extension, and no `@2x`-style
    /// resolution suffix as the first domain label.
    static func emailAddress(_ value: UnsafeRawBufferPointer) -> Bool {
        guard value.count <= 254, let at = value.lastIndex(of: 0x40) else { return false }
        let local = value[..<at]
        let domain = Array(value[(at + 1)...])
        guard !local.isEmpty, local.count <= 64, local.first != 0x2E, local.last != 0x2E else { return false }
        var previousDot = false
        for byte in local {
            if byte == 0x2E && previousDot { return false }
            previousDot = byte == 0x2E
        }
        let labels = domain.split(separator: 0x2E, omittingEmptySubsequences: false)
        guard labels.count >= 2, let tld = labels.last, !tld.isEmpty, tld.allSatisfy({ isUpper($0) || isLower($0) })
        else { return false }
        let tldText = String(decoding: tld.map { $0 | 0x20 }, as: UTF8.self)
        if fileExtensions.contains(tldText) { return false }
        // "2x", "1.5x" (the split makes "1" then "5x"): an image density suffix.
        if let first = labels.first, first.count >= 2, first.last == 0x78 || first.last == 0x58,
            first.dropLast().allSatisfy(isDigit)
        {
            return false
        }
        if labels.count >= 3, labels[0].allSatisfy(isDigit), let second = labels.dropFirst().first,
            second.count >= 2, second.last == 0x78, second.dropLast().allSatisfy(isDigit)
        {
            return false
        }
        return true
    }

    /// RFC 4291 text forms: eight groups of 1–4 hex digits, or fewer with exactly one "::",
    /// optionally ending in a dotted IPv4 address (which counts as two groups). Addresses made
    /// only of letters (`dead::beef`, `a::b`) are refused: in text they are far more often
    /// code (`a::b`) than addresses.
    static func ipv6(_ value: UnsafeRawBufferPointer) -> Bool {
        let bytes = Array(value)
        guard bytes.count >= 2, bytes.contains(where: isDigit) else { return false }
        var groups = 0
        var compressed = false
        var index = 0
        if bytes.starts(with: [0x3A, 0x3A]) {
            compressed = true
            index = 2
            if index == bytes.count { return true }
        } else if bytes[0] == 0x3A {
            return false
        }
        while index < bytes.count {
            var end = index
            while end < bytes.count, bytes[end] != 0x3A { end += 1 }
            let group = bytes[index..<end]
            if group.contains(0x2E) {
                guard end == bytes.count,
                    group.withUnsafeBytes({ CommonValidators.ipv4($0) })
                else { return false }
                groups += 2
            } else {
                guard (1...4).contains(group.count), group.allSatisfy(isHex) else { return false }
                groups += 1
            }
            if end == bytes.count { break }
            // `end` is a colon: a second one right after it is the compression.
            if end + 1 < bytes.count, bytes[end + 1] == 0x3A {
                if compressed { return false }
                compressed = true
                index = end + 2
                if index == bytes.count { break }
            } else {
                guard end + 1 < bytes.count else { return false }
                index = end + 1
            }
        }
        return compressed ? groups <= 7 : groups == 8
    }

    /// Six octets; all-zero and all-ones (broadcast) addresses carry nothing about anyone.
    static func macAddress(_ value: UnsafeRawBufferPointer) -> Bool {
        var nibbles: [UInt8] = []
        for byte in value where isHex(byte) { nibbles.append(byte | 0x20) }
        return nibbles.count == 12 && !ValidatorSupport.allSame(nibbles)
    }

    // MARK: - Bytes

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    @inline(__always) static func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    @inline(__always) static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
    }
}
