import Testing
import TrawlObjects

@Suite struct UntrustedTextTests {
    @Test func terminalTextHasItsControlCharactersEscaped() {
        #expect(UntrustedText.forTerminal("plain/key.csv") == "plain/key.csv")
        #expect(UntrustedText.forTerminal("a\u{1B}[2Jb\nc\td\r") == "a\\x1b[2Jb\\nc\\td\\r")
        #expect(UntrustedText.forTerminal("\u{7F}\u{9B}\u{0}") == "\\x7f\\x9b\\x00")
        #expect(UntrustedText.forTerminal("abc\u{202E}fdp.exe") == "abc\\u{202e}fdp.exe")
        #expect(UntrustedText.forTerminal("café ✓") == "café ✓")
    }

    @Test func csvCellsAreQuotedAndFormulasNeutralised() {
        #expect(UntrustedText.csvCell("plain") == "plain")
        #expect(UntrustedText.csvCell("a,b") == "\"a,b\"")
        #expect(UntrustedText.csvCell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        for start in ["=", "+", "-", "@", "\t"] {
            #expect(UntrustedText.csvCell(start + "1+1") == "'" + start + "1+1")
        }
        #expect(UntrustedText.csvCell("\rcmd") == "\"'\rcmd\"")
        #expect(UntrustedText.csvCell("=SUM(A1,A2)") == "\"'=SUM(A1,A2)\"")
        #expect(UntrustedText.csvCell("a=b") == "a=b")
    }
}
