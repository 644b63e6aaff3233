import Testing

@testable import TrawlDetect

/// Published test vectors and issuing rules for the personal and health validators.
@Suite struct PersonalValidatorTests {
    @Test func everyNameIsRegistered() {
        for name in PersonalValidators.all.keys {
            #expect(Validators.registry[name] != nil, "\(name)")
        }
    }

    @Test(arguments: ["536-22-1234", "536 22 1234", "536221234", "123-45-6789", "899-99-9999"])
    func ssnIssued(_ value: String) {
        #expect(check("usSSN", value))
    }

    /// SSA: area 000, 666 and 900–999, group 00 and serial 0000 are never issued.
    @Test(arguments: [
        "000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", "123-00-4567", "123-45-0000",
        "111-11-1111", "12345678",
    ])
    func ssnNeverIssued(_ value: String) {
        #expect(!check("usSSN", value))
    }

    @Test func hicnUsesTheSSNRules() {
        #expect(check("usHICN", "536-22-1234A"))
        #expect(check("usHICN", "536221234C1"))
        #expect(check("usHICN", "536-22-1234 B2"))
        #expect(!check("usHICN", "000-22-1234A"))
        #expect(!check("usHICN", "666221234D"))
    }

    /// CMS's documented example NPI 1234567893; the 80840 prefix makes 1234567890 invalid.
    @Test func npi() {
        #expect(check("usNPI", "1234567893"))
        #expect(check("usNPI", "1245319599"))
        #expect(check("usNPI", "1003000126"))
        #expect(!check("usNPI", "1234567890"))
        #expect(!check("usNPI", "3234567893"))
        #expect(!check("usNPI", "123456789"))
    }

    /// DEA: 1+3+5 + 2×(2+4+6) = 33 → check digit 3.
    @Test func dea() {
        #expect(check("usDEA", "AB1234563"))
        #expect(check("usDEA", "BJ6125341"))
        #expect(check("usDEA", "B91234563"))
        #expect(!check("usDEA", "AB1234564"))
        #expect(!check("usDEA", "AB123456"))
    }

    /// NHS Digital's examples 943 476 5919 and 401 023 2137; a check of 10 is never issued.
    @Test func nhs() {
        #expect(check("ukNHS", "943 476 5919"))
        #expect(check("ukNHS", "4010232137"))
        #expect(check("ukNHS", "485-777-3457"))
        #expect(!check("ukNHS", "943 476 5918"))
        #expect(!check("ukNHS", "1234567890"))
        #expect(!check("ukNHS", "0000000000"))
    }

    /// SIN: Luhn, and the first digit is never 0 or 8 (046 454 286 is the Government of
    /// Canada's illustration and passes Luhn only).
    @Test func sin() {
        #expect(check("caSIN", "130 692 544"))
        #expect(check("caSIN", "723-456-786"))
        #expect(!check("caSIN", "130 692 545"))
        #expect(!check("caSIN", "046 454 286"))
        #expect(!check("caSIN", "856 454 284"))
    }

    /// OHIP numbers are Luhn; BC PHNs use mod 11 with weights 2 4 8 5 10 9 7 3 (9698658215 is
    /// the BC Ministry of Health's sample).
    @Test func canadianHealthNumbers() {
        #expect(check("caHealthNumber", "1296-844-028-AB"))
        #expect(check("caHealthNumber", "9698658215"))
        #expect(check("caHealthNumber", "9876543218"))
        #expect(check("caHealthNumber", "TREM 5603 1512"))
        #expect(check("caHealthNumber", "12345-6789"))
        #expect(!check("caHealthNumber", "1296-844-027-AB"))
        #expect(!check("caHealthNumber", "9698658216"))
        #expect(!check("caHealthNumber", "0000-000-000"))
    }

    /// ISO 3779: 1M8GDM9AXKP042788 (check digit X) and 1HGCM82633A004352 are the usual
    /// published examples; European VINs carry no check digit.
    @Test func vin() {
        #expect(check("vin", "1M8GDM9AXKP042788"))
        #expect(check("vin", "1HGCM82633A004352"))
        #expect(check("vin", "WVWZZZ1JZXW000001"))
        #expect(!check("vin", "1M8GDM9A1KP042788"))
        #expect(!check("vin", "1M8GDM9AXKP04278O"))
        #expect(!check("vin", "11111111111111111"))
        #expect(!check("vin", "1M8GDM9AXKP04278"))
    }

    @Test(arguments: [
        "+1 (206) 555-0142", "+12065550142", "(415) 555-2671", "604.555.0188", "1-800-555-0199",
        "+1-416-555-0123", "2125550123",
    ])
    func nanpValid(_ value: String) {
        #expect(check("nanpPhone", value))
    }

    @Test(arguments: ["(415) 155-2671", "911-555-0100", "415-511-2671", "195-555-0100", "290-555-0100", "415-555-267"])
    func nanpInvalid(_ value: String) {
        #expect(!check("nanpPhone", value))
    }

    @Test func ukPhone() {
        #expect(check("ukPhone", "+44 20 7946 0958"))
        #expect(check("ukPhone", "+447700900123"))
        #expect(check("ukPhone", "+44 (0)113 496 0000"))
        #expect(check("ukPhone", "020 7946 0958"))
        #expect(check("ukPhone", "(0161) 496 0000"))
        #expect(check("ukPhone", "0800 123 4567"))
        #expect(!check("ukPhone", "040 7946 0958"))
        #expect(!check("ukPhone", "020 7946"))
        #expect(!check("ukPhone", "+33 1 23 45 67 89"))
    }

    @Test(arguments: [
        "05/17/1990", "17/05/1990", "17.05.1990", "1990-05-17", "19900517", "May 17, 1990", "17 May 1990",
        "3rd Sept. 1985", "17-MAY-90", "29/02/2000", "1/2/85", "December 31 1899",
    ])
    func realDates(_ value: String) {
        #expect(check("dateOfBirth", value))
    }

    @Test(arguments: [
        "02/30/1990", "13/13/1990", "1990-13-01", "29/02/2001", "29/02/1900", "31 April 1990",
        "19901301", "05/17/1790", "May 32, 1990",
    ])
    func impossibleDates(_ value: String) {
        #expect(!check("dateOfBirth", value))
    }

    @Test func latitudeLongitude() {
        #expect(check("latLong", "41.948614,-87.655311"))
        #expect(check("latLong", "-90.000, 180.000"))
        #expect(check("latLong", "51.5007° N, 0.1246° W"))
        #expect(!check("latLong", "91.948614,-87.655311"))
        #expect(!check("latLong", "41.948614,-187.655311"))
        #expect(!check("latLong", "41.948614"))
    }

    @Test func email() {
        #expect(check("emailAddress", "jane.roe@example.com"))
        #expect(check("emailAddress", "j.o'brien+news@mail.example.co.uk"))
        #expect(check("emailAddress", "x@example.zip"))
        #expect(!check("emailAddress", "logo@2x.png"))
        #expect(!check("emailAddress", "icon@1.5x.webp"))
        #expect(!check("emailAddress", "jane..roe@example.com"))
        #expect(!check("emailAddress", ".jane@example.com"))
        #expect(!check("emailAddress", "user@localhost"))
        #expect(!check("emailAddress", "react@18.2.0"))
        #expect(!check("emailAddress", String(repeating: "a", count: 65) + "@example.com"))
    }

    /// RFC 4291 and RFC 5952 examples.
    @Test(arguments: [
        "2001:db8:85a3::8a2e:370:7334", "2001:0db8:0000:0000:0000:ff00:0042:8329", "fe80::1", "::1",
        "::ffff:192.0.2.128", "2001:db8::", "1:2:3:4:5:6:7:8", "1::8", "2001:db8:0:0:1:0:0:1",
    ])
    func ipv6Valid(_ value: String) {
        #expect(check("ipv6", value))
    }

    @Test(arguments: [
        "2001:db8::1::2", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "12345::1", "::ffff:300.0.2.128",
        "dead::beef", "12:30:45", "2001:db8::1:", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7::8", "::",
    ])
    func ipv6Invalid(_ value: String) {
        #expect(!check("ipv6", value))
    }

    @Test func mac() {
        #expect(check("macAddress", "00:1a:2b:3c:4d:5e"))
        #expect(check("macAddress", "3C-52-82-1F-9A-07"))
        #expect(!check("macAddress", "00:00:00:00:00:00"))
        #expect(!check("macAddress", "ff:ff:ff:ff:ff:ff"))
        #expect(!check("macAddress", "FF:ff:FF:ff:FF:ff"))
    }

    @Test func repeatedDigits() {
        #expect(check("usPassport", "A12345678"))
        #expect(check("usPassport", "488839667"))
        #expect(!check("usPassport", "000000000"))
        #expect(check("usDriversLicense", "WDLABCD456DG"))
        #expect(!check("usDriversLicense", "0000000"))
        #expect(check("notAllSameDigits", "GA302922"))
        #expect(!check("notAllSameDigits", "AB000000"))
        #expect(check("usNDC", "0002-1433-80"))
        #expect(!check("usNDC", "0000-0000-00"))
    }
}
