#!/usr/bin/env python3
"""Regenerates the binary fixtures of TrawlObjectsTests (run from anywhere; writes beside
this script). Deterministic: fixed timestamps, no machine paths. Python's own zipfile and
tarfile are the independent writers the Swift readers are checked against; the OOXML parts
are hand-written minimal but realistic XML (what Excel and Word write, trimmed)."""
import io
import os
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
STAMP = (2024, 5, 17, 12, 30, 0)


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def zip_bytes(parts, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = compression
            z.writestr(info, data)
    return buf.getvalue()


class Unseekable(io.RawIOBase):
    """A write-only stream without seek/tell, so zipfile writes data descriptors."""

    def __init__(self):
        self.data = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.data += b
        return len(b)


def zip_with_data_descriptors(parts):
    sink = Unseekable()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            with z.open(zipfile.ZipInfo(name, STAMP), "w") as f:
                f.write(data)
    return bytes(sink.data)


CONTENT_TYPES_DOCX = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>"""

RELS_DOCX = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"""

DOCUMENT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body><w:p><w:pPr><w:pStyle w:val="Title"/><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Employee record</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">Name: </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>Jane Q. Doe</w:t></w:r><w:r><w:tab/><w:t>SSN: 123-45-6789</w:t></w:r></w:p><w:p/><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Card</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>4111 1111 1111 1111</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>Tom &amp; Jerry &lt;tj@example.com&gt; &#x00E9;t&#233;</w:t><w:br/><w:t>second line</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "http://x" </w:instrText></w:r><w:ins><w:r><w:t>inserted</w:t></w:r></w:ins><w:del><w:r><w:delText>deleted</w:delText></w:r></w:del></w:p><w:sectPr/></w:body></w:document>"""

HEADER = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>Confidential header</w:t></w:r></w:p></w:hdr>"""

CONTENT_TYPES_XLSX = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"""

RELS_XLSX = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""

WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView/></bookViews><sheets><sheet name="Customers" sheetId="1" r:id="rId3"/><sheet name="Q&amp;A Notes" sheetId="2" state="hidden" r:id="rId1"/></sheets></workbook>"""

# Relationship ids deliberately not in sheet order: the reader must follow them.
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>"""

SHARED = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="7" uniqueCount="6"><si><t>name</t></si><si><t>ssn</t></si><si><t>email</t></si><si><r><rPr><b/></rPr><t>Jane</t></r><r><t xml:space="preserve"> Doe</t></r></si><si><t>123-45-6789</t><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si><si><t>line_x000D_break &amp; more</t></si></sst>"""

SHEET1 = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:D3"/><sheetData><row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="str"><f>"bal"&amp;"ance"</f><v>balance</v></c></row><row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c><c r="C2" t="inlineStr"><is><t>jane@example.com</t></is></c><c r="D2"><v>1234.5</v></c></row><row r="3"><c r="A3" t="s"><v>5</v></c><c r="B3"/><c r="C3" t="b"><v>1</v></c><c r="AA3"><v>42</v></c></row></sheetData></worksheet>"""

SHEET2 = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2"><c r="B2" t="inlineStr"><is><r><t>key</t></r></is></c></row><row r="5"><c r="B5" t="inlineStr"><is><t>AKIAIOSFODNN7EXAMPLE</t></is></c></row></sheetData></worksheet>"""


def main():
    write("sample.docx", zip_bytes([
        ("[Content_Types].xml", CONTENT_TYPES_DOCX),
        ("_rels/.rels", RELS_DOCX),
        ("word/document.xml", DOCUMENT),
        ("word/header1.xml", HEADER),
    ]))
    write("sample.xlsx", zip_bytes([
        ("[Content_Types].xml", CONTENT_TYPES_XLSX),
        ("_rels/.rels", RELS_XLSX),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/sharedStrings.xml", SHARED),
        ("xl/worksheets/sheet1.xml", SHEET1),
        ("xl/worksheets/sheet2.xml", SHEET2),
    ]))
    write("descriptors.zip", zip_with_data_descriptors([
        ("notes/readme.txt", b"hello from a streamed zip\n" * 20),
        ("notes/empty.txt", b""),
    ]))

    long_name = "deep/" + "d" * 120 + "/customers-export-" + "x" * 40 + ".csv"
    for fmt, fname in ((tarfile.GNU_FORMAT, "gnu_longname.tar"), (tarfile.PAX_FORMAT, "pax.tar")):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
            d = tarfile.TarInfo("deep")
            d.type = tarfile.DIRTYPE
            d.mtime = 1715949000
            t.addfile(d)
            name = long_name if fmt == tarfile.GNU_FORMAT else "r\u00e9sum\u00e9s/" + "p" * 110 + ".txt"
            data = b"name,ssn\nJane,123-45-6789\n"
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1715949000
            t.addfile(info, io.BytesIO(data))
            small = tarfile.TarInfo("short.txt")
            small.size = 5
            small.mtime = 1715949000
            t.addfile(small, io.BytesIO(b"hello"))
        write(fname, buf.getvalue())


if __name__ == "__main__":
    main()
