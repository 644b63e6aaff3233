import Testing

@testable import TrawlDetect

/// Published test vectors (mostly python-stdnum's documentation examples, which come from the
/// issuing authorities) for the international validators.
@Suite struct InternationalValidatorTests {
    private func valid(_ name: String, _ values: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for value in values {
            #expect(check(name, value), "\(name) should accept \(value)", sourceLocation: sourceLocation)
        }
    }

    private func invalid(_ name: String, _ values: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for value in values {
            #expect(!check(name, value), "\(name) should refuse \(value)", sourceLocation: sourceLocation)
        }
    }

    @Test func everyNameIsRegistered() {
        for name in InternationalValidators.all.keys {
            #expect(Validators.registry[name] != nil, "\(name)")
        }
        #expect(Validators.registry["luhn"] != nil)
    }

    @Test func everyValidatorNamedInTheCatalogExists() throws {
        for identifier in CatalogExamplesTests.catalog.identifiers {
            for name in ([identifier.validator] + identifier.alternatives.map(\.validator)).compactMap({ $0 }) {
                #expect(Validators.registry[name] != nil, "\(identifier.id): validator \(name)")
            }
        }
    }

    // MARK: - France

    /// INSEE: key = 97 − (13 digits mod 97); Corsica 2A/2B counted as 19/18 minus 1,000,000/2,000,000.
    @Test func franceNIR() {
        valid(
            "frNIR",
            ["2 95 10 99 126 111 93", "253072B07300470", "253072A07300443", "1 85 05 78 006 084 91", "269029934173285"])
        invalid(
            "frNIR",
            [
                "295109912611199", "253072C07300443", "6546546546546703", "5 85 05 78 006 084 91",
                "1 85 13 78 006 084 91",
            ])
    }

    /// SPI: the last three digits are the first ten mod 511; the first digit is 0–3.
    @Test func franceTaxNumber() {
        valid("frSPI", ["3023217600053", "30 23 217 600 053", "1234567890066"])
        invalid("frSPI", ["3023217600054", "070198776543", "9701987765432", "0000000000000"])
    }

    // MARK: - Germany

    /// ICAO 9303 check digits of the specimen documents (Erika Mustermann).
    @Test func germanIdentityCardAndPassport() {
        valid("deIdCard", ["T22000129", "T220001293", "1220001297", "C01X00T47", "C01X00T478", "L01X00T471"])
        invalid("deIdCard", ["T220001294", "C01X00T479", "CXYZHKLMN", "111111111", "T2200012", "A22000129"])
        valid("icaoCheckDigit", ["L898902C36", "D231458907"])
        invalid("icaoCheckDigit", ["L898902C37"])
    }

    /// Steuer-ID: ISO 7064 mod 11,10 and the repeated-digit rule.
    @Test func germanTaxID() {
        valid("deSteuerID", ["36 574 261 809", "36574261809", "65929970489", "72328601290"])
        invalid("deSteuerID", ["36574261890", "36554266806", "06574261809", "1234567890", "11111111111"])
    }

    // MARK: - Italy

    @Test func codiceFiscale() {
        valid(
            "itCodiceFiscale",
            [
                "RCCMNL83S18D969H", "MRTMTT91D08F205J", "RSSMRA85T10A562S", "BNCGLI80A01H501Y",
                "BNCGLI80A01H50MQ", "rccmnl83s18d969h",
            ])
        invalid(
            "itCodiceFiscale",
            [
                "RCCMNL83S18D960H", "RCCMNL83S18D969", "RSSMRA85T10A562T", "RSSMRA85T99A562S",
                "RSSMRA85Z10A562S",
            ])
    }

    // MARK: - Spain

    @Test func spainDNIAndNIE() {
        valid("esDNI", ["54362315-K", "54362315K", "12345678Z", "12.345.678-Z", "00000001R"])
        invalid("esDNI", ["54362315Z", "54362315", "99999999R", "00000000T", "12345678-A"])
        valid("esNIE", ["x-2482300w", "X2482300W", "X1234567L", "Y1234567X", "Z7654321H"])
        invalid("esNIE", ["x-2482300a", "X2482300", "W1234567L", "X0000000T"])
        valid("esDNIorNIE", ["12345678Z", "X1234567L"])
        invalid("esDNIorNIE", ["12345678A", "X1234567A"])
    }

    @Test func spainNIFAndCIF() {
        valid("esNIF", ["54362315K", "X-5253868-R", "M-1234567-L", "K7654321J"])
        invalid("esNIF", ["54362315Z", "M-1234567-A", "B64717838"])
        valid("esCIF", ["J99216582", "B64717838", "A58000027", "A5800002G", "Q2826000H", "Q28260008"])
        invalid("esCIF", ["J99216583", "B64717839", "J992165831", "M-1234567-L", "O-1234567-L", "A0000000J"])
    }

    /// NUSS: the first ten digits mod 97.
    @Test func spainSocialSecurity() {
        valid("esSSN", ["281234567840", "28/12345678/40", "084012345654"])
        invalid("esSSN", ["281234567841", "991234567806", "000000000000", "28123456784"])
    }

    // MARK: - Nordics

    @Test func finnishHETU() {
        valid("fiHETU", ["131052-308T", "131052 -308T", "150385-456R", "010101A123N"])
        invalid("fiHETU", ["131052-308U", "310252-308Y", "131052*308T", "131052-000T"])
    }

    @Test func swedishPersonnummer() {
        valid("sePersonnummer", ["880320-0016", "8803200016", "811228-9874", "19811228-9874", "900101-1239"])
        invalid("sePersonnummer", ["880320-0018", "881320-0016", "0000000000"])
    }

    // MARK: - Latin America

    @Test func argentinaCUIT() {
        valid("arCUIT", ["20-05536168-2", "20-12345678-6", "27350000009", "30-71234567-1", "30123456781"])
        invalid("arCUIT", ["20267565392", "20-12345678-7", "10-12345678-6", "2012345678"])
    }

    @Test func brazilCPF() {
        valid("brCPF", ["390.533.447-05", "52998224725", "111.444.777-35"])
        invalid("brCPF", ["231.002.999-00", "111.111.111-11", "390.533.447-5"])
    }

    /// CNPJ, including the alphanumeric form in use from July 2026.
    @Test func brazilCNPJ() {
        valid("brCNPJ", ["16.727.230/0001-97", "11222333000181", "12.ABC.345/01DE-35", "12ABC34501DE35"])
        invalid("brCNPJ", ["16.727.230.0001-98", "00000000000000", "12ABC34501DE36", "1672723000019"])
    }

    @Test func brazilPhone() {
        valid(
            "brPhone",
            ["(11) 3456-7890", "(21) 98765-4321", "+55 11 98765-4321", "+55 (61) 3322-4455", "011 3456-7890"])
        invalid("brPhone", ["(10) 3456-7890", "(11) 1234-5678", "(11) 8765-4321 1", "+44 11 98765-4321"])
    }

    @Test func chileRUT() {
        valid("clRUT", ["76086428-5", "12531909-2", "12.345.678-5", "7654321-6", "15.678.902-K", "15678902k"])
        invalid("clRUT", ["12531909-3", "76086A28-5", "00000000-0", "12.345.678-K"])
    }

    @Test func colombiaNIT() {
        valid("coNIT", ["213.123.432-1", "2131234321"])
        invalid("coNIT", ["2131234325"])
        valid("coNITCompany", ["900.123.456-8", "860034313-7", "800197268-4"])
        invalid("coNITCompany", ["79.123.456-0", "900.123.456-7"])
        valid("coNITPerson", ["79.123.456-0", "1020304050-8", "52123456-2"])
        invalid("coNITPerson", ["900.123.456-8", "79.123.456-1"])
    }

    @Test func mexicoCURP() {
        valid("mxCURP", ["BOXW310820HNERXN09", "GODE561231HDFRRN00", "HEGG560427MVZRRL04"])
        invalid("mxCURP", ["BOXW310820HNERXN08", "BOXW310230HNERXN09", "BOXW310820HXXRXN09", "BOXW310820ZNERXN09"])
    }

    /// RFC: shape and date (SAT's check digit is not reliable in practice).
    @Test func mexicoRFC() {
        valid(
            "mxRFC",
            ["GODE561231GR8", "GODE 561231 GR8", "MAB-930714-8T4", "VACE-460910-SX6", "MUÑO800101AB1", "ABC680524P76"])
        invalid("mxRFC", ["GODE561331GR8", "GODE560230GR8", "GO561231GR8", "GODEX561231GR8"])
    }

    // MARK: - India, Australia

    @Test func aadhaar() {
        valid("inAadhaar", ["234123412346", "2341 2341 2346", "499118665246", "9876-5432-1012"])
        invalid("inAadhaar", ["234123412347", "123412341234", "643343121", "222222222222"])
    }

    @Test func pan() {
        valid("inPAN", ["ACUPA7085R", "AAPPV8261K", "AAACR5055K"])
        invalid("inPAN", ["ACUPA7085RR", "ABMPA32111", "ABMXA3211G", "ACUPA0000R"])
    }

    /// ATO: nine-digit TFNs with weights 1 4 3 7 5 8 6 9 10, eight-digit with 10 7 8 4 6 3 5 1.
    @Test func tfn() {
        valid("auTFN", ["123 456 782", "123456782", "876543210", "37876540", "12345677"])
        invalid("auTFN", ["999 999 999", "123456783", "1234567", "37876541"])
    }

    // MARK: - Phones

    @Test func europeanPhones() {
        valid("frPhone", ["01 42 68 53 00", "06.12.34.56.78", "+33 6 12 34 56 78", "+33 (0)1 42 68 53 00"])
        invalid("frPhone", ["00 12 34 56 78", "+33 06 12 34 56 78", "06 12 34 56 7", "+49 6 12 34 56 78"])
        valid("dePhone", ["030 12345678", "(089) 123456", "0171 1234567", "+49 30 12345678", "+49 (0)89 2345-678"])
        invalid("dePhone", ["0123", "+49 0301234567", "30 12345678", "+49 30 123456789012"])
        valid("itPhone", ["06 1234 5678", "347 123 4567", "+39 02 1234567", "+39 347 1234567"])
        invalid(
            "itPhone",
            ["00 1234 5678", "347 12", "+39 512 345 678", "5123456789", "01-02-2024", "12/05/1985", "12/05/24"])
        valid("esPhone", ["912 345 678", "612 34 56 78", "+34 612 345 678", "+34912345678"])
        invalid("esPhone", ["512 345 678", "600 000 000", "91 234 567", "+33 612 345 678"])
    }

    // MARK: - Health

    @Test func ehic() {
        valid("ehic", ["80276001234567890123", "80250 12345 67890 12345", "8024680246 1234567890"])
        invalid(
            "ehic", ["80999001234567890123", "8027600123456789012", "70276001234567890123", "80276000000000000000"])
    }

    /// GS1 GTIN check digits, HIBCC mod 43 (the HIBCC specification's example +A123BJC5D6E71G).
    @Test func medicalDeviceUDI() {
        valid(
            "medicalDeviceUDI",
            [
                "(01)00844588003288", "(01)00844588003288(17)141120(10)7654321D", "0100844588003288",
                "+A123BJC5D6E71G", "=/A9999XYZ100T0944",
            ])
        invalid(
            "medicalDeviceUDI",
            ["(01)00844588003289", "0100844588003287", "+A123BJC5D6E71H", "(01)0084458800328", "X123"])
    }
}
