import Foundation
import Testing
import TrawlTestSupport

@testable import TrawlDetect

/// Published test vectors for the financial and credential validators.
@Suite struct FinancialValidatorTests {
    // MARK: Cards

    @Test(arguments: [
        "378282246310005", "371449635398431", "6011111111111117", "6011000990139424", "5555555555554444",
        "5105105105105100", "2223003122003222", "3566002020360505", "30569309025904", "38520000023237",
        "36227206271667", "6200000000000005", "6205500000000000004", "5019717010103742", "4012888888881881",
        "4242 4242 4242 4242", "3782-822463-10005", "4917610000000000003",
    ])
    func issuerTestCardsPassLuhnAndPrefix(card: String) {
        #expect(check("creditCard", card))
    }

    @Test(arguments: [
        "4012888888881882",  // Luhn fails
        "1234567812345670",  // Luhn passes, no issuer starts with 1
        "378282246310",  // too short
        "5555555555554444000",  // Mastercard is 16 digits
        "4111111111111111",  // every digit after the first the same
        "4242x4242x4242x4242",
    ])
    func badCardsFail(card: String) {
        #expect(!check("creditCard", card))
    }

    @Test func luhnAgreesWithIssuerCheckOnGeneratedNumbers() {
        #expect(check("creditCard", "4929837295016484"))
        #expect(!check("creditCard", "4929837295016485"))
        #expect(check("creditCard", "6221837295016483720"))
    }

    @Test(arguments: [
        "02/27", "2/27", "11-2030", "2027-11", "2027/11/30", "0227", "March 2028", "feb, 27",
        "expY=2026, expM=02", "\"exp_month\": 12, \"exp_year\": 2027", "expiry_month=7&expiry_year=29",
    ])
    func expirationsAccepted(date: String) {
        #expect(check("creditCardExpiration", date))
    }

    @Test(arguments: ["13/27", "00/27", "2027-13", "1327", "Smarch 2028", "02/1999", "expY=2026", "2027/11/32"])
    func expirationsRefused(date: String) {
        #expect(!check("creditCardExpiration", date))
    }

    @Test func magneticStripeTracks() {
        #expect(check("magneticStripe", "%B4929837295016484^ROE/JANE Q^2702101000000000000000123000000?"))
        #expect(check("magneticStripe", ";4929837295016484=27021010000012300000?"))
        #expect(check("magneticStripe", "4929837295016484=27021010000012300000"))
        #expect(!check("magneticStripe", "%B4929837295016485^ROE/JANE Q^2702101000000000000000123000000?"))
        #expect(!check("magneticStripe", ";4929837295016484=27131010000012300000?"))
    }

    // MARK: Bank accounts

    /// The SWIFT IBAN registry's examples for the 52 countries Macie supports.
    static let registryIBANs = [
        "AL47212110090000000235698741", "AD1200012030200359100100", "AE070331234567890123456", "BA391290079401028494",
        "BG80BNBG96611020345678", "BR1800360305000010009795493C1", "CH9300762011623852957", "CR05015202001026284066",
        "CY17002001280000001200527600", "CZ6508000000192000145399", "DK5000400440116243",
        "DO28BAGR00000001212453611324",
        "EE382200221020145685", "EG380019000500000000263180002", "FO6264600001631634", "FI2112345600000785",
        "GE29NB0000000101904917", "GL8964710001000206", "GR1601101250000000012300695", "HR1210010051863000160",
        "HU42117730161111101800000000", "IE29AIBK93115212345678", "IS140159260076545510730339",
        "JO94CBJO0010000000000131000302", "XK051212012345678906", "LI21088100002324013AA", "LT121000011101001000",
        "MT84MALT011000012345MTLCAST001S", "MR1300020001010000123456753", "MU17BOMM0101101030300200000MUR",
        "MC5811222000010123456789030", "ME25505000012345678951", "NL91ABNA0417164300", "MK07250120000058984",
        "PL61109010140000071219812874", "PT50000201231234567890154", "SM86U0322509800000000270100",
        "RS35260005601001611379", "SK3112000000198742637541", "SI56263300012039086", "SE4550000000058398257466",
        "TL380080012345678910157", "TN5910006035183598478831", "TR330006100519786457841326",
        "UA213223130000026007233566001", "VG96VPVG0000012345678901", "SN08SN0100152000048500003035",
        "FR1420041010050500013M02606", "DE89370400440532013000", "IT60X0542811101000000123456",
        "ES9121000418450200051332", "GB29NWBK60161331926819", "GB82WEST12345698765432",
    ]

    @Test(arguments: registryIBANs)
    func registryIBANsPassMod97(iban: String) {
        #expect(check("iban", iban))
    }

    @Test func ibanFailures() {
        #expect(!check("iban", "GB82WEST12345698765431"))  // mod 97
        #expect(!check("iban", "GB83WEST12345698765432"))  // check digits
        #expect(!check("iban", "DE8937040044053201300"))  // length
        #expect(!check("iban", "QQ82WEST12345698765432"))  // country
        #expect(!check("iban", "GB00WEST12345698765432"))  // check digits 00 never issued
    }

    @Test func frenchRIBKey() {
        #expect(check("franceBankAccount", "30006 00001 12345678901 89"))
        #expect(check("franceBankAccount", "20041010050500013M02606"))
        #expect(check("franceBankAccount", "FR7630006000011234567890189"))
        #expect(!check("franceBankAccount", "30006 00001 12345678901 88"))
        #expect(!check("franceBankAccount", "FR7630006000011234567890188"))
    }

    @Test func italianCIN() {
        #expect(check("italyBankAccount", "X0542811101000000123456"))
        #expect(check("italyBankAccount", "X 05428 11101 000000123456"))
        #expect(!check("italyBankAccount", "Y0542811101000000123456"))
        #expect(check("italyBankAccount", "IT60X0542811101000000123456"))
    }

    @Test func spanishControlDigits() {
        #expect(check("spainBankAccount", "2100 0418 45 0200051332"))
        #expect(check("spainBankAccount", "2100-0418-45-0200051332"))
        #expect(!check("spainBankAccount", "2100 0418 46 0200051332"))
        #expect(!check("spainBankAccount", "2100 0418 45 0200051333"))
        #expect(check("spainBankAccount", "ES9121000418450200051332"))
    }

    @Test func germanAndUKShapes() {
        #expect(check("germanyBankAccount", "37040044 0532013000"))
        #expect(!check("germanyBankAccount", "97040044 0532013000"))
        #expect(!check("germanyBankAccount", "37040044 0000000000"))
        #expect(check("germanyBankAccount", "DE89370400440532013000"))
        #expect(check("ukBankAccount", "60-16-13 31926819"))
        #expect(check("ukBankAccount", "NWBK60161331926819"))
        #expect(check("ukBankAccount", "GB29NWBK60161331926819"))
        #expect(!check("ukBankAccount", "60-16-13 00000000"))
        #expect(!check("ukBankAccount", "GB29NWBK60161331926818"))
    }

    @Test func usBankAccount() {
        #expect(check("bankAccountNumber", "004815162342"))
        #expect(!check("bankAccountNumber", "000000000"))
        #expect(!check("bankAccountNumber", "123456789"))
        #expect(!check("bankAccountNumber", "987654321"))
    }

    // MARK: Credentials

    @Test func basicAuthRFC7617() {
        #expect(check("httpBasicAuth", "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="))  // Aladdin:open sesame
        #expect(check("httpBasicAuth", "Proxy-Authorization: basic dGVzdDoxMjPCow=="))  // test:123£ in UTF-8
        #expect(!check("httpBasicAuth", "Authorization: Basic bm9jb2xvbmhlcmU="))  // nocolonhere
        #expect(!check("httpBasicAuth", "Authorization: Basic dXNlcjpwYXNzd29yZA=="))  // user:password
        #expect(!check("httpBasicAuth", "Authorization: Basic ////"))
    }

    @Test func jwtRFC7519() {
        // RFC 7519 §3.1 and §6.1 (unsecured) examples.
        #expect(
            check(
                "jsonWebToken",
                "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
            ))
        #expect(
            check(
                "jsonWebToken",
                "eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
            ))
        #expect(!check("jsonWebToken", "eyJ0eXAiOiJKV1QiLCJraWQiOiJrMSJ9.eyJzdWIiOiJ4In0.c2ln"))  // no "alg"
        // A JWE header.
        #expect(!check("jsonWebToken", "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.eyJzdWIiOiJ4In0.c2ln"))
        #expect(!check("jsonWebToken", "eyJub3QganNvbg.eyJzdWIiOiJ4In0.c2ln"))
    }

    @Test func awsKeys() {
        #expect(check("awsSecretKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEK1"))
        #expect(!check("awsSecretKey", "da39a3ee5e6b4b0d3255bfef95601890afd80709"))
        #expect(check("awsAccessKeyId", "AKIAZ7Q3M5N2XK4BW6RT"))
        #expect(!check("awsAccessKeyId", "AKIAIOSFODNN7EXAMPLE"))
    }

    @Test(arguments: ["Xq7!rT9#kLm2", "correct horse 42", "S3cr3t-Pr0d", "hunter2hunter2"])
    func passwordsAccepted(value: String) {
        #expect(check("passwordValue", value))
    }

    @Test(arguments: [
        "${DB_PASSWORD}", "<your-password>", "********", "changeme", "os.getenv", "self.password",
        "get_password", "DB_PASSWORD", "requirements", "{{ vault }}", "$dbpass", "xxxxxxxx", "getenv(x)",
    ])
    func passwordPlaceholdersRefused(value: String) {
        #expect(!check("passwordValue", value))
    }

    @Test func urlCredentials() {
        #expect(check("urlCredentials", "app:Zk29-vPq7xR"))
        #expect(check("urlCredentials", ":h8Fq2mLz9"))
        #expect(!check("urlCredentials", "user:password"))
        #expect(!check("urlCredentials", "${USER}:${PASS}"))
        #expect(!check("urlCredentials", "guest:***"))
    }

    // MARK: Catalog consistency

    private static let ownFiles = ["credentials.json", "financial.json", "iban.json", "trawl-secrets.json"]

    private static func identifiers(in file: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: Repository.patterns.appendingPathComponent(file))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(root["identifiers"] as? [[String: Any]])
    }

    /// Every validator these files name exists, and every «value» marked in a match example
    /// passes the validator of its identifier (the engine's examples test then only has to
    /// agree on regex and keywords).
    @Test(arguments: ownFiles)
    func markedExampleValuesPassTheirValidator(file: String) throws {
        for identifier in try Self.identifiers(in: file) {
            let id = identifier["id"] as? String ?? "?"
            let alternatives = identifier["alternatives"] as? [[String: Any]] ?? []
            let names = ([identifier] + alternatives).compactMap { $0["validator"] as? String }
            for name in names {
                #expect(Validators.registry[name] != nil, "\(id): unknown validator \(name)")
            }
            guard let name = identifier["validator"] as? String,
                let examples = identifier["examples"] as? [String: [String]]
            else { continue }
            for text in examples["match"] ?? [] {
                for value in Self.markedValues(text) {
                    #expect(check(name, value), "\(id): \(name) refuses «\(value)»")
                }
            }
        }
    }

    @Test func macieIBANCountriesAreAllThere() throws {
        let ids = try Self.identifiers(in: "iban.json").compactMap { $0["id"] as? String }
        #expect(ids.count == 52)
        #expect(Set(ids).count == 52)
        #expect(ids.contains("VIRGIN_ISLANDS_BANK_ACCOUNT_NUMBER"))
        #expect(ids.contains("TURKIYE_BANK_ACCOUNT_NUMBER"))
    }

    private static func markedValues(_ text: String) -> [String] {
        var values: [String] = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "«"), let close = rest[open...].firstIndex(of: "»") {
            values.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return values
    }
}
