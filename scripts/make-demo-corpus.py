#!/usr/bin/env python3
"""Write Corpus/buckets: a small, realistic sample tree for `make demo` and the end-to-end
test. Deterministic (fixed dates, no randomness); every value is synthetic but passes the
checks a real one would (Luhn, mod-97, SSA ranges...). Re-run after editing; the expected
results live in Corpus/expected-scan.json and are asserted by Tests/TrawlEndToEndTests.
"""
import gzip, io, os, pathlib, shutil, struct, time, zipfile, zlib

root = pathlib.Path(__file__).resolve().parent.parent / "Corpus" / "buckets"
if root.exists():
    shutil.rmtree(root)
STAMP = time.mktime((2024, 3, 11, 9, 30, 0, 0, 0, 0))

def write(rel, data, mode="w"):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    os.utime(path, (STAMP, STAMP))

# --- acme-customer-exports: CSV exports (column names count as keywords) -------------
write("acme-customer-exports/exports/2024/03/customers.csv",
      "customer_id,full_name,email,ssn,credit_card_number,phone,date_of_birth,city\n"
      "10001,Maria Garcia,maria.garcia@example.org,536-22-1734,4556 7375 8689 9855,+1 415-555-0132,1984-07-12,San Francisco\n"
      "10002,James Miller,j.miller@example.net,482-71-3390,5425 2334 3010 9903,+1 212-555-0187,1979-11-03,New York\n"
      "10003,Chen Wei,chen.wei@example.com,301-58-2216,3762 041857 30250,+1 312-555-0149,1991-02-28,Chicago\n"
      "10004,Ana Souza,ana.souza@example.org,,,,1988-05-19,Austin\n")
write("acme-customer-exports/exports/2024/03/orders.tsv",
      "order_id\tcustomer_id\tamount\tcurrency\tstatus\n"
      "88231\t10001\t149.90\tUSD\tshipped\n"
      "88232\t10002\t12.50\tUSD\tpending\n"
      "88233\t10003\t980.00\tUSD\tshipped\n")

# xlsx with shared strings: an IBAN column and a NINO column.
def xlsx(rows, sheet="Payroll"):
    strings, index = [], {}
    def sid(s):
        if s not in index:
            index[s] = len(strings); strings.append(s)
        return index[s]
    def col(i):
        return chr(ord("A") + i)
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(f'<c r="{col(c)}{r}" t="s"><v>{sid(v)}</v></c>' for c, v in enumerate(row))
        sheet_rows.append(f'<row r="{r}">{cells}</row>')
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + "".join(sheet_rows) + '</sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">' + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>",
    }
    return zipbytes(parts)

def zipbytes(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 3, 11, 9, 30, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buffer.getvalue()

write("acme-customer-exports/exports/2024/03/payroll.xlsx", xlsx([
    ["employee", "national insurance number", "iban"],
    ["Oliver Smith", "AB123456C", "GB33BUKB20201555555555"],
    ["Amelia Jones", "CE654321A", "DE89370400440532013000"],
]))

# --- acme-app-logs: logs, a gzip'd log, a clean log, a truncated gzip ----------------
log = (
    "2024-03-11T09:30:01.482Z INFO  api request_id=7f9c2a1b path=/v1/orders/88231 status=200 latency_ms=42\n"
    "2024-03-11T09:30:02.113Z INFO  auth login ok user=maria.garcia@example.org client=10.12.4.77\n"
    "2024-03-11T09:30:02.901Z DEBUG http outbound headers: Authorization: Basic YWxpY2U6czNjcjN0LXBhc3N3b3Jk\n"
    "2024-03-11T09:30:03.007Z WARN  billing retry card=4556737586899855 reason=timeout\n"
    "2024-03-11T09:30:04.250Z INFO  api request_id=8a1d3c44 path=/v1/health status=200 latency_ms=1\n"
    "2024-03-11T09:30:05.777Z DEBUG session token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMDAwMSIsIm5hbWUiOiJNYXJpYSBHYXJjaWEiLCJpYXQiOjE3MTAxNDk0MDV9.3gJ9f1sO0kM3vXrB3cQ5bZr6pZ1yq8rW7aQ2pS4tU6w\n"
)
write("acme-app-logs/api/2024/03/11/api.log", log)
write("acme-app-logs/api/2024/03/10/api.log.gz", gzip.compress(log.encode(), mtime=0))
write("acme-app-logs/api/2024/03/09/health.log",
      "".join(f"2024-03-09T10:{m:02d}:00.000Z INFO  api path=/v1/health status=200 latency_ms={m % 7 + 1}\n" for m in range(60)))
truncated = gzip.compress((log * 50).encode(), mtime=0)
write("acme-app-logs/api/2024/03/08/api.log.gz", truncated[: len(truncated) // 2])

# --- acme-config: JSON configs with credentials, a PEM key, a broken JSON ------------
write("acme-config/services/payments/config.json", """{
  "service": "payments",
  "region": "us-east-1",
  "credentials": {
    "aws": {
      "aws_access_key_id": "AKIAZ7Q4EXAMPLEQ4J2W",
      "aws_secret_access_key": "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"
    },
    "stripe": {"secret_key": "sk_live_51Hs8KqLmN3pQrSt4UvWxYz0AbCdEfGh"}
  },
  "database": {"host": "db.internal", "port": 5432}
}
""")
write("acme-config/services/search/config.json", """{
  "service": "search",
  "replicas": 3,
  "features": {"fuzzy": true, "synonyms": ["sofa", "couch"]}
}
""")
write("acme-config/keys/deploy_key.pem",
      "-----BEGIN RSA PRIVATE KEY-----\n"
      "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
      "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n"
      "LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo\n"
      "-----END RSA PRIVATE KEY-----\n")
write("acme-config/services/legacy/broken.json",
      '{"service": "legacy", "owner": "ops", "note": "ssn 536-22-1734 kept for migration", "items": [1, 2,\n')

# --- acme-docs: a docx, a zip of documents (with a nested zip), images, a note --------
def docx(paragraphs):
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>" for p in paragraphs)
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' + body + "</w:body></w:document>",
    }
    return zipbytes(parts)

write("acme-docs/hr/offer-letter-garcia.docx", docx([
    "ACME Corp - Offer of Employment",
    "Dear Maria Garcia,",
    "We are pleased to offer you the position of Data Engineer starting April 1, 2024.",
    "For payroll setup we have on file: SSN 536-22-1734, date of birth: 07/12/1984.",
    "Please bring your passport (passport number 584930172) on your first day.",
]))
inner = zipbytes({"bank-details.txt": "Vendor payout account\nIBAN: FR1420041010050500013M02606\nBIC: PSSTFRPPXXX\n"})
write("acme-docs/archive/2023-contracts.zip", zipbytes({
    "contracts/readme.txt": "Signed contracts for 2023. Nothing sensitive in this note.\n",
    "contracts/vendor-list.csv": "vendor,contact_email,bank_account_number\nNorthwind,ap@northwind.example.com,40719263815\n",
    "contracts/payments.zip": inner,
}))
png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
png += struct.pack(">I", zlib.crc32(png[12:29]) & 0xFFFFFFFF)
write("acme-docs/images/logo.png", png + b"\x00\x00\x00\x00IEND\xaeB`\x82")
write("acme-docs/images/team-photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) + b"\xff\xd9")
write("acme-docs/notes/meeting-notes.txt",
      "Quarterly planning notes\n- migrate search cluster\n- review on-call rotation\n- budget for Q3 travel\n")
print(f"wrote {sum(1 for p in root.rglob('*') if p.is_file())} objects under {root}")
