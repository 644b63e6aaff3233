/// Checks for national identifiers outside the US, UK and Canada (EU, Latin America, India,
/// Australia): check digits of national IDs, tax IDs and passports.
///
/// Each check receives the value exactly as matched (separators included). The regexes in
/// `Patterns/personal-eu.json`, `personal-intl.json` and `health-intl.json` fix the shape;
/// these checks add the check digits, the calendar dates and the issuing rules. Algorithms
/// follow the issuing authorities as documented by python-stdnum.
public enum InternationalValidators {
    public static let all: [String: Validator] = [
        // Europe
        "frNIR": { frNIR(alnum($0)) },
        "frSPI": { frSPI(ValidatorSupport.digits($0)) },
        "deIdCard": { deIdCard(alnum($0)) },
        "deSteuerID": { deSteuerID(ValidatorSupport.digits($0)) },
        "itCodiceFiscale": { itCodiceFiscale(alnum($0)) },
        "esDNI": { esDNI(alnum($0)) },
        "esNIE": { esNIE(alnum($0)) },
        "esNIF": { esNIF(alnum($0)) },
        "esCIF": { esCIF(alnum($0)) },
        "esDNIorNIE": {
            let v = alnum($0)
            return esDNI(v) || esNIE(v)
        },
        "esSSN": { esSSN(ValidatorSupport.digits($0)) },
        "fiHETU": { fiHETURaw($0) },
        "sePersonnummer": { sePersonnummer(ValidatorSupport.digits($0)) },
        "icaoCheckDigit": { icaoCheckDigit(alnum($0)) },
        "ehic": { ehic(ValidatorSupport.digits($0)) },
        "frPhone": { frPhone($0) },
        "dePhone": { dePhone($0) },
        "itPhone": { itPhone($0) },
        "esPhone": { esPhone($0) },
        // Latin America
        "arCUIT": { arCUIT(ValidatorSupport.digits($0)) },
        "brCPF": { brCPF(ValidatorSupport.digits($0)) },
        "brCNPJ": { brCNPJ(alnum($0)) },
        "brPhone": { brPhone($0) },
        "clRUT": { clRUT(alnum($0)) },
        "coNIT": { coNIT(ValidatorSupport.digits($0)) },
        "coNITPerson": {
            let d = ValidatorSupport.digits($0)
            return coNIT(d) && !coCompanyBody(d)
        },
        "coNITCompany": {
            let d = ValidatorSupport.digits($0)
            return coNIT(d) && coCompanyBody(d)
        },
        "mxCURP": { mxCURP(alnum($0)) },
        "mxRFC": { mxRFC(Array($0)) },
        // India, Australia
        "inAadhaar": { inAadhaar(ValidatorSupport.digits($0)) },
        "inPAN": { inPAN(alnum($0)) },
        "auTFN": { auTFN(ValidatorSupport.digits($0)) },
        // Health
        "medicalDeviceUDI": { medicalDeviceUDI(Array($0)) },
    ]

    // MARK: - Helpers

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }

    /// The ASCII letters and digits of `value`, letters upper-cased; everything else dropped.
    static func alnum(_ value: UnsafeRawBufferPointer) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(value.count)
        for byte in value {
            if isDigit(byte) || isUpper(byte) {
                result.append(byte)
            } else if byte >= 0x61 && byte <= 0x7A {
                result.append(byte - 0x20)
            }
        }
        return result
    }

    /// The number formed by `digits` (ASCII or 0...9 values).
    static func number<C: Collection>(_ digits: C) -> Int where C.Element == UInt8 {
        digits.reduce(0) { $0 * 10 + Int($1 >= 0x30 ? $1 - 0x30 : $1) }
    }

    static func allDigits<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        !bytes.isEmpty && bytes.allSatisfy(isDigit)
    }

    /// A real calendar date (Gregorian, `year` in full).
    static func realDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return day <= (month == 2 && leap ? 29 : days[month - 1])
    }

    // MARK: - France

    /// NIR / INSEE number: sex (1, 2; 3, 4, 7, 8 for provisional numbers), year, month
    /// (01–12, or 20 and above for unknown months), department (2A/2B for Corsica), commune,
    /// order number, then the key 97 − (number mod 97), Corsica counted as 19 and 18.
    static func frNIR(_ v: [UInt8]) -> Bool {
        guard v.count == 15, [1, 2, 3, 4, 7, 8].contains(Int(v[0]) - 0x30) else { return false }
        guard allDigits(v[0..<5]), allDigits(v[7...]) else { return false }
        let month = number(v[3..<5])
        guard (1...12).contains(month) || (20...42).contains(month) || (50...99).contains(month) else { return false }
        var body = number(v[0..<5]) * 100_000_000
        switch (v[5], v[6]) {
        case (0x32, 0x41): body += 19 * 1_000_000  // 2A: 20 − 1
        case (0x32, 0x42): body += 18 * 1_000_000  // 2B: 20 − 2
        case (let a, let b) where isDigit(a) && isDigit(b): body += number([a, b]) * 1_000_000
        default: return false
        }
        body += number(v[7..<13])
        return 97 - body % 97 == number(v[13...])
    }

    /// Numéro fiscal (SPI): 13 digits starting 0–3; the last three are the first ten mod 511.
    static func frSPI(_ d: [UInt8]) -> Bool {
        guard d.count == 13, d[0] <= 3, !ValidatorSupport.allSame(d) else { return false }
        return number(d[0..<10]) % 511 == number(d[10...])
    }

    // MARK: - Germany

    /// ICAO 9303 check digit (weights 7, 3, 1; letters A = 10 … Z = 35) over all but the last
    /// character, which is the check digit.
    static func icaoCheckDigit(_ v: [UInt8]) -> Bool {
        guard v.count >= 2, let last = v.last, isDigit(last) else { return false }
        let weights = [7, 3, 1]
        var sum = 0
        for (i, c) in v.dropLast().enumerated() {
            let value = isDigit(c) ? Int(c - 0x30) : Int(c - 0x41) + 10
            sum += value * weights[i % 3]
        }
        return sum % 10 == Int(last - 0x30)
    }

    /// Personalausweis document number: nine characters from the card alphabet (digits and
    /// C F G H J K L M N P R T V W X Y Z), optionally followed by the ICAO check digit as in
    /// the machine-readable zone. Without the check digit, at least four digits are required.
    static func deIdCard(_ v: [UInt8]) -> Bool {
        let alphabet = Array("0123456789CFGHJKLMNPRTVWXYZ".utf8)
        guard v.count == 9 || v.count == 10, v.prefix(9).allSatisfy({ alphabet.contains($0) }) else { return false }
        let digits = v.prefix(9).filter(isDigit)
        guard digits.count >= 4, !ValidatorSupport.allSame(Array(v.prefix(9))) else { return false }
        return v.count == 9 || icaoCheckDigit(v)
    }

    /// Steuerliche Identifikationsnummer: 11 digits, no leading 0; in the first ten exactly one
    /// digit occurs two or three times; ISO 7064 mod 11,10 check digit.
    static func deSteuerID(_ d: [UInt8]) -> Bool {
        guard d.count == 11, d[0] != 0 else { return false }
        var counts = [Int](repeating: 0, count: 10)
        for digit in d[0..<10] { counts[Int(digit)] += 1 }
        let repeated = counts.filter { $0 > 1 }
        guard repeated.count == 1, repeated[0] == 2 || repeated[0] == 3 else { return false }
        return iso7064Mod1110(d)
    }

    /// ISO 7064 MOD 11,10 over a digit sequence whose last digit is the check digit.
    static func iso7064Mod1110(_ d: [UInt8]) -> Bool {
        var product = 10
        for digit in d.dropLast() {
            var sum = (Int(digit) + product) % 10
            if sum == 0 { sum = 10 }
            product = (sum * 2) % 11
        }
        var check = 11 - product
        if check == 10 { check = 0 }
        return check == Int(d[d.count - 1])
    }

    // MARK: - Italy

    /// Codice fiscale of a person: 16 characters, surname and name letters, birth year, month
    /// letter, day (+40 for women), place code, check letter. Digits may be replaced by the
    /// letters L M N P Q R S T U V (omocodia).
    static func itCodiceFiscale(_ v: [UInt8]) -> Bool {
        guard v.count == 16 else { return false }
        let omocodia = Array("LMNPQRSTUV".utf8)
        func digit(_ c: UInt8) -> Int? {
            if isDigit(c) { return Int(c - 0x30) }
            return omocodia.firstIndex(of: c)
        }
        for i in [0, 1, 2, 3, 4, 5, 8, 11, 15] where !isUpper(v[i]) { return false }
        for i in [6, 7, 9, 10, 12, 13, 14] where digit(v[i]) == nil { return false }
        guard Array("ABCDEHLMPRST".utf8).contains(v[8]) else { return false }
        let day = digit(v[9])! * 10 + digit(v[10])!
        guard (1...31).contains(day) || (41...71).contains(day) else { return false }
        let odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
        var sum = 0
        for (i, c) in v.prefix(15).enumerated() {
            let index = isDigit(c) ? Int(c - 0x30) : Int(c - 0x41)
            sum += i % 2 == 0 ? odd[index] : index
        }
        return Int(v[15] - 0x41) == sum % 26
    }

    // MARK: - Spain

    static let dniLetters = Array("TRWAGMYFPDXBNJZSQVHLCKE".utf8)

    /// DNI: eight digits and the letter of (number mod 23). 99999999 and all-zero numbers are
    /// documentation values (Macie ignores them).
    static func esDNI(_ v: [UInt8]) -> Bool {
        guard v.count == 9, allDigits(v[0..<8]), let letter = v.last, isUpper(letter) else { return false }
        let digits = Array(v[0..<8])
        if digits.allSatisfy({ $0 == 0x30 }) || digits.allSatisfy({ $0 == 0x39 }) { return false }
        return dniLetters[number(digits) % 23] == letter
    }

    /// NIE: X, Y or Z (as 0, 1, 2), seven digits and the DNI letter of the whole.
    static func esNIE(_ v: [UInt8]) -> Bool {
        guard v.count == 9, let prefix = Array("XYZ".utf8).firstIndex(of: v[0]), allDigits(v[1..<8]),
            isUpper(v[8])
        else { return false }
        guard !v[1..<8].allSatisfy({ $0 == 0x30 }) else { return false }
        return dniLetters[(prefix * 10_000_000 + number(v[1..<8])) % 23] == v[8]
    }

    /// NIF of a person: a DNI, a NIE, or K/L/M (Spaniards without DNI, non-residents) with
    /// seven digits and the DNI letter of the digits.
    static func esNIF(_ v: [UInt8]) -> Bool {
        if esDNI(v) || esNIE(v) { return true }
        guard v.count == 9, Array("KLM".utf8).contains(v[0]), allDigits(v[1..<8]), isUpper(v[8]) else { return false }
        guard !v[1..<8].allSatisfy({ $0 == 0x30 }) else { return false }
        return dniLetters[number(v[1..<8]) % 23] == v[8]
    }

    /// CIF (NIF of a legal entity): an organization letter, a two-digit province, five digits
    /// and a control that is the Luhn check digit of the seven digits, or the letter
    /// J A B C D E F G H I standing for it.
    static func esCIF(_ v: [UInt8]) -> Bool {
        guard v.count == 9, Array("ABCDEFGHJNPQRSUVW".utf8).contains(v[0]), allDigits(v[1..<8]) else { return false }
        let body = v[1..<8].map { $0 - 0x30 }
        guard body.contains(where: { $0 != 0 }) else { return false }
        var check = 0
        for candidate in 0...9 where ValidatorSupport.luhn(body + [UInt8(candidate)]) { check = candidate }
        let control = v[8]
        return control == UInt8(0x30 + check) || control == Array("JABCDEFGHI".utf8)[check]
    }

    /// Número de afiliación a la Seguridad Social: province (01–53, 66), eight digits, two
    /// control digits = the first ten mod 97. Numbers below 10,000,000 are also accepted with
    /// the TGSS rule that drops the leading zero of the eight-digit part.
    static func esSSN(_ d: [UInt8]) -> Bool {
        guard d.count == 12, !ValidatorSupport.allSame(d) else { return false }
        let province = number(d[0..<2])
        guard (1...53).contains(province) || province == 66 else { return false }
        let body = number(d[2..<10])
        let control = number(d[10...])
        if (province * 100_000_000 + body) % 97 == control { return true }
        return body < 10_000_000 && (province * 10_000_000 + body) % 97 == control
    }

    // MARK: - Nordics

    /// Finnish personal identity code (HETU): DDMMYY, century sign, individual number 002–899,
    /// check character of the nine digits mod 31.
    static func fiHETU(_ v: [UInt8]) -> Bool {
        guard v.count == 11, allDigits(v[0..<6]), allDigits(v[7..<10]) else { return false }
        let century: Int
        switch v[6] {
        case 0x2B: century = 1800  // +
        case 0x2D, 0x55...0x59: century = 1900  // - U V W X Y
        case 0x41...0x46: century = 2000  // A B C D E F
        default: return false
        }
        let day = number(v[0..<2])
        let month = number(v[2..<4])
        let year = century + number(v[4..<6])
        guard realDate(year: year, month: month, day: day) else { return false }
        let individual = number(v[7..<10])
        guard (2...899).contains(individual) else { return false }
        let checks = Array("0123456789ABCDEFHJKLMNPRSTUVWXY".utf8)
        return checks[(number(v[0..<6]) * 1000 + individual) % 31] == v[10]
    }

    /// The hyphen in a HETU is the century sign, not a separator: only spaces are dropped.
    static func fiHETURaw(_ value: UnsafeRawBufferPointer) -> Bool {
        var v: [UInt8] = []
        for byte in value where byte != 0x20 { v.append(byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte) }
        return fiHETU(v)
    }

    /// Swedish personnummer: YYMMDD (day + 60 for co-ordination numbers) and four digits,
    /// Luhn over the ten digits; a 12-digit form with the century is accepted too.
    static func sePersonnummer(_ d: [UInt8]) -> Bool {
        var ten = d
        if d.count == 12 { ten = Array(d[2...]) }
        guard ten.count == 10, !ValidatorSupport.allSame(ten) else { return false }
        let month = number(ten[2..<4])
        var day = number(ten[4..<6])
        if day > 60 { day -= 60 }
        guard realDate(year: 2000 + number(ten[0..<2]), month: month, day: day) || (month == 2 && day == 29) else {
            return false
        }
        return ValidatorSupport.luhn(ten)
    }

    // MARK: - EHIC

    /// ISO 3166 numeric codes of the countries that issue the European Health Insurance Card
    /// (EU, EEA, Switzerland, UK).
    static let ehicCountries: Set<Int> = [
        40, 56, 100, 191, 196, 203, 208, 233, 246, 250, 276, 300, 348, 352, 372, 380, 428, 438, 440, 442, 470, 528,
        578, 616, 620, 642, 703, 705, 724, 752, 756, 826,
    ]

    /// EHIC card identification number (field 8): 20 digits, ISO/IEC 7812 issuer prefix 80
    /// (health) followed by the issuing country's numeric code.
    static func ehic(_ d: [UInt8]) -> Bool {
        guard d.count == 20, d[0] == 8, d[1] == 0 else { return false }
        return ehicCountries.contains(number(d[2..<5])) && !ValidatorSupport.allSame(Array(d[5...]))
    }

    // MARK: - Phones

    /// Digits of a phone number, skipping a "(0)" trunk prefix written after a country code.
    static func phoneDigits(_ value: UnsafeRawBufferPointer) -> (international: Bool, digits: [UInt8]) {
        let bytes = Array(value)
        var digits: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x28, i + 2 < bytes.count, bytes[i + 1] == 0x30, bytes[i + 2] == 0x29, !digits.isEmpty {
                i += 3
                continue
            }
            if isDigit(bytes[i]) { digits.append(bytes[i] - 0x30) }
            i += 1
        }
        return (bytes.first == 0x2B, digits)
    }

    /// The national significant number: without the country code (international form) or
    /// without the trunk prefix 0 (national form, when `trunk`).
    static func significant(_ value: UnsafeRawBufferPointer, country: [UInt8], trunk: Bool) -> [UInt8]? {
        let (international, digits) = phoneDigits(value)
        if international {
            guard digits.starts(with: country) else { return nil }
            return Array(digits.dropFirst(country.count))
        }
        if trunk {
            guard digits.first == 0 else { return nil }
            return Array(digits.dropFirst())
        }
        return digits
    }

    /// France: nine significant digits, not starting with 0.
    static func frPhone(_ value: UnsafeRawBufferPointer) -> Bool {
        guard let n = significant(value, country: [3, 3], trunk: true) else { return false }
        return n.count == 9 && n[0] != 0 && !ValidatorSupport.allSame(Array(n.dropFirst()))
    }

    /// Germany: area code and subscriber number, 6–11 significant digits, not starting with 0.
    static func dePhone(_ value: UnsafeRawBufferPointer) -> Bool {
        guard let n = significant(value, country: [4, 9], trunk: true) else { return false }
        return (6...11).contains(n.count) && n[0] != 0 && !ValidatorSupport.allSame(Array(n.dropFirst()))
    }

    /// Italy: landlines keep their leading 0 (6–11 digits), mobiles start with 3 (9–10 digits).
    /// Dates written like numbers (01-02-2024, 01/02/24) are not phone numbers.
    static func itPhone(_ value: UnsafeRawBufferPointer) -> Bool {
        if looksLikeDate(value) { return false }
        guard let n = significant(value, country: [3, 9], trunk: false), let first = n.first else { return false }
        guard !ValidatorSupport.allSame(Array(n.dropFirst())) else { return false }
        if first == 0 { return (6...11).contains(n.count) && n[1] != 0 }
        if first == 3 { return (9...10).contains(n.count) }
        return false
    }

    /// DD-MM-YYYY, DD/MM/YY and the like: groups of 2, 2 and 2 or 4 digits, the first two a
    /// plausible day and month.
    static func looksLikeDate(_ value: UnsafeRawBufferPointer) -> Bool {
        var groups: [[UInt8]] = [[]]
        for byte in value {
            if isDigit(byte) {
                groups[groups.count - 1].append(byte)
            } else if !groups[groups.count - 1].isEmpty {
                groups.append([])
            }
        }
        guard groups.count == 3, groups[0].count == 2, groups[1].count == 2, [2, 4].contains(groups[2].count) else {
            return false
        }
        return (1...31).contains(number(groups[0])) && (1...12).contains(number(groups[1]))
    }

    /// Spain: nine digits starting with 6, 7 (mobile), 8 or 9 (fixed).
    static func esPhone(_ value: UnsafeRawBufferPointer) -> Bool {
        guard let n = significant(value, country: [3, 4], trunk: false) else { return false }
        return n.count == 9 && n[0] >= 6 && !ValidatorSupport.allSame(Array(n.dropFirst()))
    }

    /// Brazil: two-digit area code (DDD, digits 1–9), then eight digits starting 2–5 (fixed)
    /// or nine starting with 9 (mobile). A national trunk 0 before the DDD is allowed.
    static func brPhone(_ value: UnsafeRawBufferPointer) -> Bool {
        guard var n = significant(value, country: [5, 5], trunk: false) else { return false }
        if n.first == 0 { n.removeFirst() }
        guard n.count == 10 || n.count == 11, n[0] != 0, n[1] != 0 else { return false }
        guard !ValidatorSupport.allSame(Array(n.dropFirst(3))) else { return false }
        return n.count == 11 ? n[2] == 9 : (2...5).contains(n[2])
    }

    // MARK: - Argentina, Brazil, Chile, Colombia, Mexico

    /// CUIT/CUIL: type (20, 23, 24, 27 persons; 30, 33, 34 companies), DNI or serial, and a
    /// mod-11 check digit with weights 5 4 3 2 7 6 5 4 3 2.
    static func arCUIT(_ d: [UInt8]) -> Bool {
        guard d.count == 11, [20, 23, 24, 27, 30, 33, 34].contains(number(d[0..<2])) else { return false }
        guard !ValidatorSupport.allSame(Array(d[2..<10])) else { return false }
        let weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
        var sum = 0
        for i in 0..<10 { sum += weights[i] * Int(d[i]) }
        let check = Array("012345678990".utf8)[11 - sum % 11]
        return Int(check - 0x30) == Int(d[10])
    }

    /// Mod-11 check digit used by CPF and CNPJ: weights over `values`; remainders 0 and 1 give 0.
    static func mod11Check(_ values: [Int], weights: [Int]) -> Int {
        var sum = 0
        for (value, weight) in zip(values, weights) { sum += value * weight }
        let r = sum % 11
        return r < 2 ? 0 : 11 - r
    }

    /// CPF: nine digits and two mod-11 check digits; eleven identical digits are invalid.
    static func brCPF(_ d: [UInt8]) -> Bool {
        guard d.count == 11, !ValidatorSupport.allSame(d) else { return false }
        let v = d.map(Int.init)
        let first = mod11Check(Array(v[0..<9]), weights: Array((2...10).reversed()))
        let second = mod11Check(Array(v[0..<10]), weights: Array((2...11).reversed()))
        return first == v[9] && second == v[10]
    }

    /// CNPJ: twelve characters (digits, or from July 2026 also letters valued ASCII − 48) and
    /// two mod-11 check digits with weights 5…2 9…2 and 6…2 9…2.
    static func brCNPJ(_ v: [UInt8]) -> Bool {
        guard v.count == 14, isDigit(v[12]), isDigit(v[13]) else { return false }
        guard !ValidatorSupport.allSame(v) else { return false }
        let values = v.map { Int($0) - 48 }
        let first = mod11Check(Array(values[0..<12]), weights: [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
        let second = mod11Check(Array(values[0..<13]), weights: [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
        return first == values[12] && second == values[13]
    }

    /// RUT/RUN: the number and a mod-11 check character (weights 2…7 from the right; 10 is K).
    static func clRUT(_ v: [UInt8]) -> Bool {
        guard (8...9).contains(v.count), allDigits(v.dropLast()), let check = v.last else { return false }
        let body = v.dropLast().map { Int($0 - 0x30) }
        guard body.contains(where: { $0 != 0 }) else { return false }
        var sum = 0
        for (i, digit) in body.reversed().enumerated() { sum += digit * (2 + i % 6) }
        let expected = Array("0123456789K0".utf8)[11 - sum % 11]
        return check == expected
    }

    /// NIT: the number and a mod-11 check digit (weights 3 7 13 17 19 23 29 37 41 43 47 53 59 67
    /// 71 from the right).
    static func coNIT(_ d: [UInt8]) -> Bool {
        guard (7...16).contains(d.count), !ValidatorSupport.allSame(Array(d.dropLast())) else { return false }
        let weights = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71]
        var sum = 0
        for (i, digit) in d.dropLast().reversed().enumerated() { sum += weights[i] * Int(digit) }
        return Array("01987654321".utf8)[sum % 11] == d[d.count - 1] + 0x30
    }

    /// Companies' NITs are nine digits starting with 8 or 9 (plus the check digit); persons'
    /// NITs are their cédula numbers.
    static func coCompanyBody(_ d: [UInt8]) -> Bool {
        d.count == 10 && (d[0] == 8 || d[0] == 9)
    }

    static let curpStates: Set<String> = [
        "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC", "MC", "MN", "MS", "NT",
        "NL", "OC", "PL", "QT", "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS", "NE",
    ]

    /// CURP: four letters, birth date, sex (H, M, X), state, three consonants, a character that
    /// tells the century (digit: 1900s, letter: 2000s) and a check digit over the alphabet
    /// 0–9 A–N Ñ O–Z with weights 18…2.
    static func mxCURP(_ v: [UInt8]) -> Bool {
        guard v.count == 18, v[0..<4].allSatisfy(isUpper), allDigits(v[4..<10]) else { return false }
        guard [0x48, 0x4D, 0x58].contains(v[10]), curpStates.contains(String(decoding: v[11..<13], as: UTF8.self)),
            v[13..<16].allSatisfy(isUpper), isDigit(v[17])
        else { return false }
        let year = (isDigit(v[16]) ? 1900 : 2000) + number(v[4..<6])
        guard realDate(year: year, month: number(v[6..<8]), day: number(v[8..<10])) else { return false }
        var sum = 0
        for (i, c) in v.prefix(17).enumerated() {
            let value: Int
            if isDigit(c) {
                value = Int(c - 0x30)
            } else if isUpper(c) {
                value = Int(c - 0x41) + (c > 0x4E ? 11 : 10)  // Ñ sits between N and O
            } else {
                return false
            }
            sum += value * (18 - i)
        }
        return (10 - sum % 10) % 10 == Int(v[17] - 0x30)
    }

    /// RFC: three (companies) or four (persons) letters, a real date YYMMDD and a three-character
    /// homoclave. The check digit is not verified: SAT has issued RFCs whose last character does
    /// not follow the published algorithm (python-stdnum does not verify it by default either).
    static func mxRFC(_ bytes: [UInt8]) -> Bool {
        // Ñ (UTF-8 C3 91) counts as one letter; & too.
        var letters = 0
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if isUpper(c) || c == 0x26 {
                letters += 1
                i += 1
            } else if c == 0xC3, i + 1 < bytes.count, bytes[i + 1] == 0x91 {
                letters += 1
                i += 2
            } else {
                break
            }
        }
        guard letters == 3 || letters == 4 else { return false }
        let rest = bytes[i...].filter { $0 != 0x20 && $0 != 0x2D }
        guard rest.count == 9, allDigits(rest.prefix(6)) else { return false }
        let date = Array(rest.prefix(6))
        return realDate(year: 2000 + number(date[0..<2]), month: number(date[2..<4]), day: number(date[4..<6]))
            || (number(date[2..<4]) == 2 && number(date[4..<6]) == 29)
    }

    // MARK: - India, Australia

    static let verhoeffD: [[Int]] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ]
    static let verhoeffP: [[Int]] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ]

    /// Verhoeff over a digit sequence whose last digit is the check digit.
    static func verhoeff(_ d: [UInt8]) -> Bool {
        var c = 0
        for (i, digit) in d.reversed().enumerated() { c = verhoeffD[c][verhoeffP[i % 8][Int(digit)]] }
        return c == 0
    }

    /// Aadhaar: 12 digits, first 2–9, not a palindrome, Verhoeff check digit.
    static func inAadhaar(_ d: [UInt8]) -> Bool {
        d.count == 12 && d[0] >= 2 && d != d.reversed() && verhoeff(d)
    }

    /// PAN: three letters, the holder type (P person, C company, H HUF, F firm, A AOP, T trust,
    /// B BOI, L local authority, J juridical person, G government, K krish, E LLP), the first
    /// letter of the name, a serial 0001–9999 and a check letter.
    static func inPAN(_ v: [UInt8]) -> Bool {
        guard v.count == 10, v[0..<5].allSatisfy(isUpper), allDigits(v[5..<9]), isUpper(v[9]) else { return false }
        return Array("ABCFGHLJPTKE".utf8).contains(v[3]) && number(v[5..<9]) != 0
    }

    /// Tax File Number: nine digits with weights 1 4 3 7 5 8 6 9 10, or eight (older numbers)
    /// with weights 10 7 8 4 6 3 5 1; the weighted sum is a multiple of 11.
    static func auTFN(_ d: [UInt8]) -> Bool {
        let weights: [Int]
        switch d.count {
        case 9: weights = [1, 4, 3, 7, 5, 8, 6, 9, 10]
        case 8: weights = [10, 7, 8, 4, 6, 3, 5, 1]
        default: return false
        }
        guard !ValidatorSupport.allSame(d) else { return false }
        var sum = 0
        for (digit, weight) in zip(d, weights) { sum += Int(digit) * weight }
        return sum % 11 == 0
    }

    // MARK: - Medical devices

    /// GS1 check digit (weights 3, 1 from the right of the payload) of a GTIN-14.
    static func gtin(_ d: [UInt8]) -> Bool {
        guard d.count == 14, !ValidatorSupport.allSame(d) else { return false }
        var sum = 0
        for (i, digit) in d.dropLast().reversed().enumerated() { sum += Int(digit) * (i % 2 == 0 ? 3 : 1) }
        return (10 - sum % 10) % 10 == Int(d[13])
    }

    /// FDA UDI issuing agencies: GS1 — the GTIN after application identifier 01 has a valid
    /// check digit; HIBCC — the last character is the mod-43 check of everything before it;
    /// ICCBBA (ISBT 128) — the structure is fixed by the regex.
    static func medicalDeviceUDI(_ v: [UInt8]) -> Bool {
        guard let first = v.first else { return false }
        switch first {
        case 0x28, 0x30:  // "(01)" or "01"
            let start = first == 0x28 ? 4 : 2
            guard v.count >= start + 14 else { return false }
            let payload = Array(v[start..<(start + 14)])
            guard allDigits(payload) else { return false }
            return gtin(payload.map { $0 - 0x30 })
        case 0x2B:  // "+"
            let table = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%".utf8)
            var sum = 0
            for c in v.dropLast() {
                guard let value = table.firstIndex(of: c) else { return false }
                sum += value
            }
            return table[sum % 43] == v[v.count - 1]
        case 0x3D:  // "="
            return true
        default:
            return false
        }
    }
}
