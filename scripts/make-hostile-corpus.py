#!/usr/bin/env python3
"""Writes a bucket tree of hostile objects: headers that lie, values where names belong, an
object that is slow to match. Each is small and built by hand, byte for byte, the way an
attacker who can put an object in a bucket would build it. The end-to-end tests scan it
(every object gets a status and a reason, the scan goes on, no value is printed) and the
hardening note measures a two-worker scan's peak memory on it.

usage: make-hostile-corpus.py DIR
"""
import io
import os
import struct
import sys
import zipfile

# Values that must never appear in any output (valid-looking: Luhn cards, issued-range SSNs).
CARD = "4532015112830366"
SSN = "234-56-7891"
CANARY = "ssn 345-67-8912\n"  # every bucket's last object: proves the scan went on


def zip_eocd(entries, cd_size, cd_offset):
    return struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries, entries, cd_size, cd_offset, 0)


def zip64_locator_lie():
    """72 bytes: a ZIP64 end-of-central-directory locator pointing at offset 2^64-1."""
    locator = struct.pack("<IIQI", 0x07064B50, 0, 0xFFFFFFFFFFFFFFFF, 1)
    body = b"\0" * (72 - len(locator) - 22)
    return body + locator + zip_eocd(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)


def zip64_extra_lie():
    """A central directory entry whose ZIP64 extra declares a compressed size of 2^63-1."""
    name = b"secret.txt"
    data = b"ssn " + SSN.encode() + b"\n"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 0, 0, 0, 0, len(data), len(data), len(name), 0) + name + data
    extra = struct.pack("<HHQQ", 0x0001, 16, len(data), 0x7FFFFFFFFFFFFFFF)
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 0, 0, 0, 0, 0xFFFFFFFF, 0xFFFFFFFF, len(name), len(extra), 0, 0, 0, 0, 0
    ) + name + extra
    return local + central + zip_eocd(1, len(central), len(local))


def zip_no_directory():
    """A local header declaring 4 GiB of stored data and no central directory at all."""
    name = b"huge.txt"
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, 0, 0xFFFFFFFF, 0xFFFFFFFF, len(name), 0) + name + b"ssn " + SSN.encode()


def tar_header(name, size_field, typeflag=b"0"):
    header = bytearray(512)
    header[0:len(name)] = name
    header[100:108] = b"0000644\0"
    header[108:116] = b"0000000\0"
    header[116:124] = b"0000000\0"
    header[124:136] = size_field
    header[136:148] = b"00000000000\0"
    header[156:157] = typeflag
    header[257:263] = b"ustar\0"
    header[263:265] = b"00"
    header[148:156] = b"        "
    checksum = sum(header)
    header[148:156] = b"%06o\0 " % checksum
    return bytes(header)


def octal(n):
    return b"%011o\0" % n


def pad(data):
    return data + b"\0" * ((512 - len(data) % 512) % 512)


def tar_pax(size_value):
    body = b" size=" + size_value + b"\n"
    length = len(body) + 1
    while len(str(length)) + len(body) != length:  # the length counts its own digits
        length = len(str(length)) + len(body)
    record = str(length).encode() + body
    entry = tar_header(b"PaxHeaders/x", octal(len(record)), b"x") + pad(record)
    data = b"ssn " + SSN.encode() + b"\n"
    return entry + tar_header(b"x.txt", octal(len(data))) + pad(data) + b"\0" * 1024


def zip_directory_member_with_data():
    """A member named like a folder ("notes/") that holds data: GNU unzip writes it as a file."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr(zipfile.ZipInfo("notes/"), "ssn " + SSN + "\n")
    return out.getvalue()


def tar_unknown_type():
    """An entry with a type flag tar does not define ('Z'): GNU tar extracts it as a file."""
    data = b"ssn " + SSN.encode() + b"\n"
    return tar_header(b"odd.txt", octal(len(data)), b"Z") + pad(data) + b"\0" * 1024


def tar_base256():
    field = bytes([0x80]) + (0x7FFFFFFFFFFFFF00).to_bytes(11, "big")
    data = b"ssn " + SSN.encode() + b"\n"
    return tar_header(b"x.txt", field) + pad(data) + b"\0" * 1024


def xlsx(sheet_xml, shared_strings=None):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
        z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                   + sheet_xml + "</sheetData></worksheet>")
        if shared_strings is not None:
            z.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + shared_strings + "</sst>")
    return out.getvalue()


def main():
    root = sys.argv[1]
    buckets = {
        "archives": {
            "zip64-locator.zip": zip64_locator_lie(),
            "zip64-extra.zip": zip64_extra_lie(),
            "no-directory.zip": zip_no_directory(),
            "pax-huge.tar": tar_pax(b"9223372036854775807"),
            "pax-negative.tar": tar_pax(b"-1024"),
            "base256.tar": tar_base256(),
            "folder-member.zip": zip_directory_member_with_data(),
            "unknown-type.tar": tar_unknown_type(),
        },
        "office": {
            "row-overflow.xlsx": xlsx('<row r="9223372036854775807"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row><c t="inlineStr"><is><t>y</t></is></c></row>'),
            "shared-string-bomb.xlsx": xlsx(
                "".join('<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (i, i) for i in range(1, 20001)),
                "<si><t>" + "a" * (1 << 20) + "</t></si>"),
        },
        "exports": {
            "headerless.csv": ("%s,ssn %s,Jane\n4916338506082832,ssn 456-78-9123,John\n" % (CARD, SSN)).encode(),
            "member-name.json": ('{"ssn %s": {"card": "%s"}}' % (SSN, CARD)).encode(),
        },
        "slow": {
            "digits.txt": b"1" * (4 << 20) + b"\n",
        },
    }
    for bucket, objects in buckets.items():
        objects["zz-canary.txt"] = CANARY.encode()
        os.makedirs(os.path.join(root, bucket), exist_ok=True)
        for name, data in objects.items():
            with open(os.path.join(root, bucket, name), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
