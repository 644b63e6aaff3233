#!/usr/bin/env python3
"""Generate Patterns/iban.json: Macie's 52 IBAN identifiers (<COUNTRY>_BANK_ACCOUNT_NUMBER).

The table below is the SWIFT IBAN registry (ISO 13616) for the countries Macie lists: the BBAN
structure (n = digits, a = upper-case letters, c = upper-case letters or digits, as in the
registry's notation "5!n5!n11!c2!n") and the registry's example IBAN. Senegal is not in the
SWIFT registry; its entry follows the UEMOA national format (two alphanumerics, 22 digits).

FRANCE, GERMANY, ITALY, SPAIN and UK share their ID with Macie's BBAN identifiers, so each of
those entries has two matchers: the entry's own regex (domestic BBAN or IBAN, keyword needed)
and an `alternatives` matcher for the IBAN alone (no keyword), as Macie does.

Usage: python3 scripts/gen-iban.py > Patterns/iban.json
"""
import json
import re
import sys

# Macie country name, ISO code, BBAN structure, registry example IBAN.
COUNTRIES = [
    ("ALBANIA", "AL", "8!n16!c", "AL47212110090000000235698741"),
    ("ANDORRA", "AD", "4!n4!n12!c", "AD1200012030200359100100"),
    ("BOSNIA_AND_HERZEGOVINA", "BA", "3!n3!n8!n2!n", "BA391290079401028494"),
    ("BRAZIL", "BR", "8!n5!n10!n1!a1!c", "BR1800360305000010009795493C1"),
    ("BULGARIA", "BG", "4!a4!n2!n8!c", "BG80BNBG96611020345678"),
    ("COSTA_RICA", "CR", "4!n14!n", "CR05015202001026284066"),
    ("CROATIA", "HR", "7!n10!n", "HR1210010051863000160"),
    ("CYPRUS", "CY", "3!n5!n16!c", "CY17002001280000001200527600"),
    ("CZECH_REPUBLIC", "CZ", "4!n6!n10!n", "CZ6508000000192000145399"),
    ("DENMARK", "DK", "4!n9!n1!n", "DK5000400440116243"),
    ("DOMINICAN_REPUBLIC", "DO", "4!c20!n", "DO28BAGR00000001212453611324"),
    ("EGYPT", "EG", "4!n4!n17!n", "EG380019000500000000263180002"),
    ("ESTONIA", "EE", "2!n14!n", "EE382200221020145685"),
    ("FAROE_ISLANDS", "FO", "4!n9!n1!n", "FO6264600001631634"),
    ("FINLAND", "FI", "3!n11!n", "FI2112345600000785"),
    ("FRANCE", "FR", "5!n5!n11!c2!n", "FR1420041010050500013M02606"),
    ("GEORGIA", "GE", "2!a16!n", "GE29NB0000000101904917"),
    ("GERMANY", "DE", "8!n10!n", "DE89370400440532013000"),
    ("GREECE", "GR", "3!n4!n16!c", "GR1601101250000000012300695"),
    ("GREENLAND", "GL", "4!n9!n1!n", "GL8964710001000206"),
    ("HUNGARY", "HU", "3!n4!n1!n15!n1!n", "HU42117730161111101800000000"),
    ("ICELAND", "IS", "4!n2!n6!n10!n", "IS140159260076545510730339"),
    ("IRELAND", "IE", "4!a6!n8!n", "IE29AIBK93115212345678"),
    ("ITALY", "IT", "1!a5!n5!n12!c", "IT60X0542811101000000123456"),
    ("JORDAN", "JO", "4!a4!n18!c", "JO94CBJO0010000000000131000302"),
    ("KOSOVO", "XK", "4!n10!n2!n", "XK051212012345678906"),
    ("LIECHTENSTEIN", "LI", "5!n12!c", "LI21088100002324013AA"),
    ("LITHUANIA", "LT", "5!n11!n", "LT121000011101001000"),
    ("MALTA", "MT", "4!a5!n18!c", "MT84MALT011000012345MTLCAST001S"),
    ("MAURITANIA", "MR", "5!n5!n11!n2!n", "MR1300020001010000123456753"),
    ("MAURITIUS", "MU", "4!a2!n2!n12!n3!n3!a", "MU17BOMM0101101030300200000MUR"),
    ("MONACO", "MC", "5!n5!n11!c2!n", "MC5811222000010123456789030"),
    ("MONTENEGRO", "ME", "3!n13!n2!n", "ME25505000012345678951"),
    ("NETHERLANDS", "NL", "4!a10!n", "NL91ABNA0417164300"),
    ("NORTH_MACEDONIA", "MK", "3!n10!c2!n", "MK07250120000058984"),
    ("POLAND", "PL", "8!n16!n", "PL61109010140000071219812874"),
    ("PORTUGAL", "PT", "4!n4!n11!n2!n", "PT50000201231234567890154"),
    ("SAN_MARINO", "SM", "1!a5!n5!n12!c", "SM86U0322509800000000270100"),
    ("SENEGAL", "SN", "2!c22!n", "SN08SN0100152000048500003035"),
    ("SERBIA", "RS", "3!n13!n2!n", "RS35260005601001611379"),
    ("SLOVAKIA", "SK", "4!n6!n10!n", "SK3112000000198742637541"),
    ("SLOVENIA", "SI", "5!n8!n2!n", "SI56263300012039086"),
    ("SPAIN", "ES", "4!n4!n1!n1!n10!n", "ES9121000418450200051332"),
    ("SWEDEN", "SE", "3!n16!n1!n", "SE4550000000058398257466"),
    ("SWITZERLAND", "CH", "5!n12!c", "CH9300762011623852957"),
    ("TIMOR_LESTE", "TL", "3!n14!n2!n", "TL380080012345678910157"),
    ("TUNISIA", "TN", "2!n3!n13!n2!n", "TN5910006035183598478831"),
    ("TURKIYE", "TR", "5!n1!n16!c", "TR330006100519786457841326"),
    ("UK", "GB", "4!a6!n8!n", "GB29NWBK60161331926819"),
    ("UKRAINE", "UA", "6!n19!c", "UA213223130000026007233566001"),
    ("UNITED_ARAB_EMIRATES", "AE", "3!n16!n", "AE070331234567890123456"),
    ("VIRGIN_ISLANDS", "VG", "4!a16!n", "VG96VPVG0000012345678901"),
]

DISPLAY = {
    "UK": "UK", "TURKIYE": "Türkiye", "VIRGIN_ISLANDS": "British Virgin Islands",
    "TIMOR_LESTE": "Timor-Leste", "UNITED_ARAB_EMIRATES": "United Arab Emirates",
}

CLASSES = {"n": "[0-9]", "a": "[A-Z]", "c": "[0-9A-Z]"}

# The five countries whose ID is also Macie's BBAN identifier: domestic formats, keywords,
# the validator that checks both forms, and examples of the domestic form.
BBAN = {
    "FRANCE": {
        "domestic": r"[0-9]{5}(?<s>[ ]?)[0-9]{5}\k<s>[0-9A-Z]{11}\k<s>[0-9]{2}",
        "validator": "franceBankAccount",
        "keywords": ["account number", "bank account", "iban", "bban", "rib", "relevé d'identité bancaire",
                     "releve d'identite bancaire", "numéro de compte", "numero de compte", "n° de compte",
                     "compte bancaire", "coordonnées bancaires", "coordonnees bancaires", "code banque",
                     "code guichet", "clé rib", "cle rib"],
        "match": ["RIB : «30006 00001 12345678901 89»",
                  "numero de compte;«20041010050500013M02606»"],
        "nomatch": ["RIB : 30006 00001 12345678901 88",
                    "commande 30006 00001 12345678901 89 expédiée"],
    },
    "GERMANY": {
        "domestic": r"[1-8][0-9]{7}[ ]?[0-9]{10}",
        "validator": "germanyBankAccount",
        "keywords": ["account number", "bank account", "iban", "bban", "kontonummer", "konto-nr", "kontonr",
                     "konto", "bankverbindung", "bankleitzahl", "blz"],
        "match": ["Kontonummer: «37040044 0532013000»",
                  "bankverbindung=«500105175407324931»"],
        "nomatch": ["Kontonummer: 97040044 0532013000",
                    "Bestellung 370400440532013000 versandt"],
    },
    "ITALY": {
        "domestic": r"[A-Z](?<s>[ ]?)[0-9]{5}\k<s>[0-9]{5}\k<s>[0-9A-Z]{12}",
        "validator": "italyBankAccount",
        "keywords": ["account number", "bank account", "iban", "bban", "numero di conto", "numero conto",
                     "conto corrente", "conto", "coordinate bancarie", "codice iban"],
        "match": ["conto corrente: «X 05428 11101 000000123456»",
                  "BBAN «X0542811101000000123456»"],
        "nomatch": ["conto corrente: Y 05428 11101 000000123456",
                    "ordine X0542811101000000123456 spedito"],
    },
    "SPAIN": {
        "domestic": r"[0-9]{4}(?<s>[ -]?)[0-9]{4}\k<s>[0-9]{2}\k<s>[0-9]{10}",
        "validator": "spainBankAccount",
        "keywords": ["account number", "bank account", "iban", "bban", "número de cuenta", "numero de cuenta",
                     "cuenta bancaria", "cuenta corriente", "cuenta", "ccc", "código cuenta cliente",
                     "codigo cuenta cliente"],
        "match": ["número de cuenta: «2100 0418 45 0200051332»",
                  "CCC=«2100-0418-45-0200051332»"],
        "nomatch": ["número de cuenta: 2100 0418 46 0200051332",
                    "pedido 21000418450200051332 enviado"],
    },
    "UK": {
        "domestic": r"[A-Z]{4}[0-9]{14}|[0-9]{2}(?<s>[- ]?)[0-9]{2}\k<s>[0-9]{2}[ ]{1,3}[0-9]{8}",
        "validator": "ukBankAccount",
        "keywords": ["account number", "account no", "acc no", "acct no", "bank account", "bank details",
                     "sort code", "iban", "bban"],
        "match": ["Sort code and account: «60-16-13 31926819»",
                  "bank account «NWBK60161331926819»"],
        "nomatch": ["Sort code and account: 60-16-13 00000000",
                    "ticket 60-16-13 31926819 closed"],
    },
}


def spec_regex(spec):
    parts = []
    for count, kind in re.findall(r"(\d+)!([nac])", spec):
        cls = CLASSES[kind]
        if parts and parts[-1][0] == cls:
            parts[-1][1] += int(count)
        else:
            parts.append([cls, int(count)])
    return "".join(f"{cls}{{{n}}}" if n > 1 else cls for cls, n in parts)


def mod97(text):
    rearranged = text[4:] + text[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97


def with_check_digits(code, bban):
    check = 98 - mod97(code + "00" + bban)
    return f"{code}{check:02d}{bban}"


def generated_example(code, spec, seed):
    """A second valid IBAN of the country's shape, built from a fixed digit sequence."""
    source = "73914528610"
    letters = "KTRBNWQZMLPX"
    out = []
    i = seed
    for count, kind in re.findall(r"(\d+)!([nac])", spec):
        for _ in range(int(count)):
            out.append(letters[i % len(letters)] if kind == "a" else source[i % len(source)])
            i += 1
    return with_check_digits(code, "".join(out))


def broken_check(iban):
    """The same IBAN with its check digits changed: fails only mod-97."""
    check = int(iban[2:4])
    other = check + 1 if check < 97 else 2
    return f"{iban[:2]}{other:02d}{iban[4:]}"


def entry(name, code, spec, example):
    assert mod97(example) == 1, example
    assert len(example) == 4 + sum(int(n) for n in re.findall(r"(\d+)!", spec)), example
    length = len(example)
    iban = f"{code}[0-9]{{2}}{spec_regex(spec)}"
    iban_regex = f"(?<![0-9A-Za-z])(?<value>{iban})(?![0-9A-Za-z])"
    second = generated_example(code, spec, len(name))
    country = DISPLAY.get(name, name.replace("_", " ").title().replace(" And ", " and "))
    iban_matcher = {
        "regex": iban_regex,
        "anchors": [{"digits": {"min": 2, "max": 34, "separators": "", "afterUpper": 2, "after": code}}],
        "validator": "iban",
        "maxLength": length,
    }
    iban_match = [
        f"beneficiary IBAN: «{example}»",
        f"{name.lower()},«{second}»,EUR,1250.00",
    ]
    iban_nomatch = [
        f"beneficiary IBAN: {broken_check(example)}",
        f"beneficiary IBAN: {example[:-1]}",
        "beneficiary IBAN: " + " ".join(example[i:i + 4] for i in range(0, length, 4)),
    ]
    item = {
        "id": f"{name}_BANK_ACCOUNT_NUMBER",
        "name": f"{country} bank account number (IBAN)",
        "category": "FINANCIAL_INFORMATION",
        "origin": "macie",
        "recommended": False,
    }
    if name in BBAN:
        b = BBAN[name]
        item["name"] = f"{country} bank account number (BBAN or IBAN)"
        item["regex"] = f"(?<![0-9A-Za-z])(?<value>{iban}|{b['domestic']})(?![0-9A-Za-z])"
        item["keywords"] = b["keywords"]
        item["validator"] = b["validator"]
        item["maxLength"] = 40
        item["alternatives"] = [dict(iban_matcher, keywordRequired=False)]
        item["severity"] = ["High", "High", "High"]
        item["examples"] = {"match": iban_match + b["match"], "nomatch": iban_nomatch + b["nomatch"]}
    else:
        item.update(iban_matcher)
        item["severity"] = ["High", "High", "High"]
        item["examples"] = {"match": iban_match, "nomatch": iban_nomatch}
    return item


def main():
    assert len(COUNTRIES) == 52
    identifiers = [entry(*row) for row in COUNTRIES]
    json.dump({"identifiers": identifiers}, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
