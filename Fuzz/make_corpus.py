#!/usr/bin/env python3
"""Writes the committed seed corpora under Fuzz/corpus/<reader>/: small valid files and every
hostile case the unit tests build by hand (HostileZipTests, HostileTarTests, HostileOOXMLTests).
Re-run after adding a case: python3 Fuzz/make_corpus.py"""
import gzip, io, os, shutil, struct, tarfile, zipfile, zlib

ROOT = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(ROOT, "..", "Tests", "TrawlObjectsTests", "Fixtures")


def write(reader, name, data):
    folder = os.path.join(ROOT, "corpus", reader)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def fixture(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


# --- zip -------------------------------------------------------------------------------------
def local(name, data, csize=None, usize=None, extra=b""):
    n = name.encode()
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 0, 0, 0x21, zlib.crc32(data),
                       len(data) if csize is None else csize, len(data) if usize is None else usize,
                       len(n), len(extra)) + n + extra + data


def central(name, data, csize, usize, offset=0, extra=b""):
    n = name.encode()
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x31E, 45, 0x800, 0, 0, 0x21, zlib.crc32(data),
                       csize, usize, len(n), len(extra), 0, 0, 0, 0, offset) + n + extra


def eocd(entries=0xFFFF, size=0xFFFFFFFF, offset=0xFFFFFFFF):
    return struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries, entries, size, offset, 0)


def locator(offset):
    return struct.pack("<IIQI", 0x07064B50, 0, offset, 1)


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, data in members:
            z.writestr(name, data)
    return buffer.getvalue()


write("zip", "valid-deflated.zip", zip_bytes([("docs/", b""), ("docs/a.csv", b"name,ssn\nJane,123-45-6789\n" * 4), ("b.txt", b"hello")]))
write("zip", "valid-stored.zip", zip_bytes([("a.txt", b"alpha"), ("notes/", b"ssn 123-45-6789\n")], zipfile.ZIP_STORED))
write("zip", "descriptors.zip", fixture("descriptors.zip"))
write("zip", "zip64-locator-max.zip", b"A" * 30 + locator(2**64 - 1) + eocd())
record = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, 2**64 - 1, 2**64 - 1, 2**64 - 1, 2**63 - 1)
write("zip", "zip64-record-huge.zip", record + locator(0) + eocd())
for name, value in [("cd-zip64-csize-int64max.zip", 2**63 - 1), ("cd-zip64-csize-2pow64-1.zip", 2**64 - 1)]:
    l = local("a.txt", b"hello")
    c = central("a.txt", b"hello", 0xFFFFFFFF, 5, extra=struct.pack("<HHQ", 1, 8, value))
    write("zip", name, l + c + eocd(1, len(c), len(l)))
write("zip", "local-4gib.zip", local("big.bin", b"tiny", 0xFFFFFFFF, 0xFFFFFFFF))
write("zip", "local-zip64-4gib.zip", local("ok.txt", b"fine") + local("big.bin", b"tiny", 0xFFFFFFFF, 0xFFFFFFFF, struct.pack("<HHQQ", 1, 16, 2**32, 2**32)))
write("zip", "local-declares-4gib-holds-5.zip", local("a.txt", b"hello", usize=0xFFFFFFFF))
l = local("a", b"data")
c = central("a", b"data", 4, 4, extra=struct.pack("<HH", 0x5455, 0xFFFF) + bytes(range(1, 9)) + b"\x01")
write("zip", "extra-overrun.zip", l + c + eocd(1, len(c), len(l)))

# --- tar -------------------------------------------------------------------------------------
def tar_header(name, size, typeflag=b"0", size_field=None):
    h = bytearray(512)
    h[0:len(name)] = name.encode()
    h[100:108] = b"0000644\0"
    h[108:116] = b"0000000\0"
    h[116:124] = b"0000000\0"
    h[124:136] = size_field if size_field is not None else (b"%011o\0" % size)
    h[136:148] = b"14615532310\0"
    h[156:157] = typeflag
    h[257:265] = b"ustar\x0000"
    h[148:156] = b" " * 8
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


def member(name, data, typeflag=b"0"):
    return tar_header(name, len(data), typeflag) + data + b"\0" * ((512 - len(data) % 512) % 512)


def pax(*records):
    body = b""
    for record in records:
        rest = b" " + record.encode() + b"\n"
        length = len(rest) + 1
        while len(str(length)) + len(rest) != length:
            length += 1
        body += str(length).encode() + rest
    return member("PaxHeader", body, b"x")


def base256(value):
    field = bytearray((value % 2**96).to_bytes(12, "big"))
    field[0] = 0xFF if value < 0 else 0x80
    return bytes(field)


END = b"\0" * 1024
HONEST = member("first.txt", b"kept")
buffer = io.BytesIO()
with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as t:
    for name, data in [("dir/a.csv", b"name,ssn\nJane,123-45-6789\n"), ("r\u00e9sum\u00e9.txt", b"hello")]:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
write("tar", "valid-pax.tar", buffer.getvalue())
write("tar", "pax.tar", fixture("pax.tar"))
write("tar", "gnu_longname.tar", fixture("gnu_longname.tar"))
write("tar", "pax-size-int64max.tar", HONEST + pax("size=9223372036854775807") + member("big", b"x") + END)
write("tar", "pax-size-negative.tar", HONEST + pax("size=-1024") + member("odd", b"x") + END)
write("tar", "pax-size-overflow.tar", HONEST + pax("size=99999999999999999999999") + member("odd", b"x") + END)
write("tar", "pax-size-1tib.tar", HONEST + pax("size=1099511627776") + member("big", b"abc"))
write("tar", "pax-mtime-huge.tar", pax("mtime=1e300") + member("t", b"x") + END)
write("tar", "pax-record-short.tar", member("PaxHeader", b"1 ", b"x") + member("after", b"y") + END)
for name, value in [("base256-near-2pow63.tar", 2**63 - 100), ("base256-int64max.tar", 2**63 - 1), ("base256-2pow63.tar", 2**63),
                    ("base256-minus1.tar", -1), ("base256-minus1024.tar", -1024)]:
    write("tar", name, HONEST + tar_header("liar", 0, size_field=base256(value)) + b"x" * 512 + END)
write("tar", "unknown-types.tar", member("vendor.bin", b"ssn 123-45-6789\n", b"Z") + member("slashed/", b"data") + member("fifo", b"", b"6") + END)

# --- gzip ------------------------------------------------------------------------------------
write("gzip", "valid.gz", gzip.compress(b"name,ssn\nJane,123-45-6789\n" * 10, mtime=0))
named = bytearray(gzip.compress(b'{"ssn": "123-45-6789"}\n', mtime=0))
named[3] = 0x08 | 0x10  # FNAME + FCOMMENT
write("gzip", "named.gz", bytes(named[:10]) + b"data.json\0comment\0" + bytes(named[10:]))
write("gzip", "concatenated.gz", gzip.compress(b"one\n", mtime=0) + gzip.compress(b"two\n", mtime=0))
body = gzip.compress(b"x" * 1000, mtime=0)
write("gzip", "isize-lies.gz", body[:-4] + b"\xff\xff\xff\xff")
write("gzip", "fextra-overrun.gz", b"\x1f\x8b\x08\x04\0\0\0\0\0\x03\xff\xff" + b"abc")
write("gzip", "truncated.gz", body[: len(body) // 2])

# --- OOXML (first byte picks the mode, see Fuzz/FuzzOOXML/main.swift) --------------------------
write("ooxml", "sample.xlsx", b"\0" + fixture("sample.xlsx"))
write("ooxml", "sample.docx", b"\0" + fixture("sample.docx"))
write("ooxml", "row-int64max.sheet", b"\x01" + b'<worksheet><sheetData><row r="9223372036854775807"/><row><c t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>')
write("ooxml", "cell-ref-huge.sheet", b"\x01" + b'<worksheet><sheetData><row><c r="XFD99999999999999999999" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>')
write("ooxml", "shared-strings.sheet", b"\x01" + b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="b"><v>1</v></c><c r="D1"><v>12.5</v></c></row></sheetData></worksheet>'
      + b"\xff" + b'<sst><si><t>name &amp; ssn</t></si><si><r><t>123-</t></r><r><t>45-6789</t></r><rPh><t>x</t></rPh></si><si><t>_x000D_</t></si></sst>')
write("ooxml", "document.xml", b"\x02" + b'<w:document><w:body><w:p><w:r><w:t>SSN 123-45-6789</w:t><w:tab/><w:br/></w:r></w:p><w:p/><w:p><w:t><![CDATA[a<b]]>&#x41;&#65;&amp;</w:t></w:p></w:body></w:document>')
write("ooxml", "slide.xml", b"\x03" + b'<p:sld><a:p><a:r><a:t>one &amp; only</a:t></a:r></a:p></p:sld>')

# --- CSV and text ----------------------------------------------------------------------------
write("csv", "simple.csv", b"name,ssn,note\nJane,123-45-6789,\"quoted, with \"\"quotes\"\"\"\r\nBob,987-65-4321\n")
write("csv", "tabs.tsv", b"name\tcard\nJane\t4111 1111 1111 1111\n")
write("csv", "unterminated.csv", b"a,b\n\"never closed,1\n2,3")
write("csv", "bom-utf8.csv", b"\xef\xbb\xbfname\nJane\r\rBob")
text = "SSN: 123-45-6789\r\nnaïve 😀\n"
write("csv", "utf16le.txt", b"\xff\xfe" + text.encode("utf-16-le"))
write("csv", "utf16be.txt", b"\xfe\xff" + text.encode("utf-16-be"))
write("csv", "utf32le.txt", b"\xff\xfe\0\0" + text.encode("utf-32-le"))
write("csv", "utf32be.txt", b"\0\0\xfe\xff" + text.encode("utf-32-be"))
write("csv", "utf16-lone-surrogates.txt", b"\xff\xfe\x00\xd8\x41\x00\x00\xdc\x42\x00\x43")

# --- JSON and JSON Lines ---------------------------------------------------------------------
write("json", "object.json", b'{"credentials": {"aws": {"key": "AKIA..."}}, "items": [1, -2.5e3, true, null, {"ssn": "123-45-6789"}], "Card Number": "4111"}')
write("json", "escapes.json", b'["\\u00e9\\ud83d\\ude00", "\\ud800", "a\\"b", "tab\\tx"]')
write("json", "lines.jsonl", b'{"a": 1}\n\n{"b": [1, 2]}\r\nnot json\n{"c": "\xff"}\n')
write("json", "deep.json", b"[" * 300 + b"]" * 300)
write("json", "truncated.json", b'{"a": [1, 2, {"b": "unterminated')
print("corpus written to", os.path.join(ROOT, "corpus"))
