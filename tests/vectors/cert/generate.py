#!/usr/bin/env python3
"""Generates tests/vectors/cert/generated.json: certificate-mode, response and AES vectors made by
implementations independent of the crate under test.

- Certificates: Python `cryptography` (x509 builder: exact validity, long serials, unusual
  issuer names and string types, CA / non-CA extensions).
- Expected certificate SNs: the JDK (`SnOracle.java`: X500Principal.getName() + BigInteger, the
  algorithm of Alipay's Java SDK). `openssl x509 -issuer -nameopt RFC2253` and Python's
  `rfc4514_string()` are recorded beside it for information only (both differ from Java).
- Expected chain verdicts: designed, and cross-checked with `openssl verify -attime`.
- Response signatures: `openssl dgst -sign` over the raw value text placed in the body.
- AES: `openssl enc -aes-128-cbc -iv 0…`, expected plaintext checked by decrypting with
  Python `cryptography`.

Also extracts the real certificates used by doc examples from real/*.json (see README.md).

Needs: python3 with cryptography, openssl (3.x), java (11+). Run from anywhere:
    python3 tests/vectors/cert/generate.py
Keys are random, so every run writes new (equally valid) vectors.
"""

import base64
import datetime as dt
import hashlib
import json
import os
import subprocess
import tempfile
import warnings

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.x509.name import _ASN1Type
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID

# The negative-serial vector is deliberately non-RFC 5280.
warnings.filterwarnings("ignore", category=CryptographyDeprecationWarning)

HERE = os.path.dirname(os.path.abspath(__file__))
TMP = tempfile.mkdtemp(prefix="certvec-")
UTC = dt.timezone.utc
NOW = dt.datetime(2024, 6, 1, 12, 0, 0, tzinfo=UTC)
NOW_MS = int(NOW.timestamp() * 1000)


def run(args, data=None):
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout


def tmpfile(name, data):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path


def rsa_key(bits=2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def attr(oid, value, typ=None):
    return x509.NameAttribute(oid, value, _type=typ) if typ else x509.NameAttribute(oid, value)


def name(*rdns):
    """Each argument is one RDN: an attribute or a list of attributes (multi-valued RDN)."""
    return x509.Name(
        [x509.RelativeDistinguishedName(r if isinstance(r, list) else [r]) for r in rdns]
    )


def simple_name(cn, o="Test Org"):
    return name(attr(NameOID.COUNTRY_NAME, "CN"), attr(NameOID.ORGANIZATION_NAME, o),
                attr(NameOID.COMMON_NAME, cn))


def cert(subject, issuer, key, issuer_key, serial, not_before, not_after, ca=False,
         hash_alg=None):
    b = (x509.CertificateBuilder()
         .subject_name(subject).issuer_name(issuer).public_key(key.public_key())
         .serial_number(serial).not_valid_before(not_before).not_valid_after(not_after)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if isinstance(issuer_key, ec.EllipticCurvePrivateKey):
        alg = hashes.SHA256()
    else:
        alg = hash_alg or hashes.SHA256()
    return b.sign(issuer_key, alg)


def pem(c):
    return c.public_bytes(serialization.Encoding.PEM).decode()


def d(y, m=1, day=1):
    return dt.datetime(y, m, day, tzinfo=UTC)


def java(mode, text):
    path = tmpfile("oracle.pem", text)
    p = subprocess.run(["java", os.path.join(HERE, "SnOracle.java"), mode, path], capture_output=True,
                       check=True)
    if p.stderr:
        print("java:", p.stderr.decode(errors="replace").strip())
    return p.stdout.decode("utf-8")


def java_sn(text):
    """(getName(), serial, SN) of the first certificate, per the JDK."""
    line = java("sn", text).split("\n")[0]
    if "\t" not in line:
        raise RuntimeError("the JDK could not read the certificate:\n" + text)
    java_name, serial, _alg, sn = line.split("\t")
    return base64.b64decode(java_name).decode("utf-8"), serial, sn


def openssl_issuer(text):
    path = tmpfile("c.pem", text)
    p = subprocess.run(["openssl", "x509", "-in", path, "-noout", "-issuer", "-nameopt", "RFC2253"],
                       capture_output=True)
    if p.returncode != 0:
        return "openssl error: " + p.stderr.decode(errors="replace").strip().splitlines()[0]
    return p.stdout.decode("utf-8", "replace").strip().removeprefix("issuer=")


def openssl_sign(key, data, digest="sha256"):
    kpath = tmpfile("k.pem", key.private_bytes(serialization.Encoding.PEM,
                                                serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption()))
    sig = run(["openssl", "dgst", "-" + digest, "-sign", kpath], data=data)
    return base64.b64encode(sig).decode()


def openssl_verify(leaf, untrusted, roots, at):
    # -partial_chain: every bundle certificate is a trust anchor, as in Alipay's SDKs.
    args = ["openssl", "verify", "-partial_chain", "-attime", str(int(at.timestamp()))]
    if roots:
        args += ["-CAfile", tmpfile("roots.pem", roots)]
    else:
        args += ["-no-CAfile", "-no-CApath"]
    if untrusted:
        args += ["-untrusted", tmpfile("untrusted.pem", untrusted)]
    args.append(tmpfile("leaf.pem", leaf))
    p = subprocess.run(args, capture_output=True)
    text = (p.stdout + p.stderr).decode(errors="replace")
    if p.returncode == 0:
        return "OK"
    for line in text.splitlines():
        if line.startswith("error "):
            return line.split(":", 2)[-1].strip()
    return text.strip().splitlines()[-1]


# ------------------------------------------------------------------------------------------
# The PKI
# ------------------------------------------------------------------------------------------

root_key = rsa_key()
root_name = simple_name("Test Root CA", "Test Root")
root = cert(root_name, root_name, root_key, root_key, 1, d(2020), d(2040), ca=True)

inter_key = rsa_key()
inter_name = name(
    attr(NameOID.COUNTRY_NAME, "CN"),
    attr(NameOID.ORGANIZATION_NAME, "Acme, Inc."),
    attr(NameOID.ORGANIZATIONAL_UNIT_NAME, "Ops"),
    attr(NameOID.ORGANIZATIONAL_UNIT_NAME, "Dev+Test"),
    attr(NameOID.COMMON_NAME, "测试中间 CA"),
    attr(NameOID.EMAIL_ADDRESS, "ca@example.com"),
)
inter = cert(inter_name, root_name, inter_key, root_key, 0x1000_0000_0000_0000_0001, d(2021),
             d(2035), ca=True)

leaf_key = rsa_key()
leaf_name = simple_name("2088000000000000-2021000000000000", "支付宝(中国)网络技术有限公司")
LEAF_SERIAL = 0x2020_0514_E63C_2FE0_4D53_8716_FE21_358B_11  # 136 bits
leaf = cert(leaf_name, inter_name, leaf_key, inter_key, LEAF_SERIAL, d(2022), d(2027))


def openssl_resign_sha1(subject, key, not_before, not_after, ca, ca_key, serial):
    """A certificate for `key` issued by `ca` with sha1WithRSA, signed by OpenSSL (cryptography
    refuses SHA-1). OpenSSL 3.0 re-signs only a self-signed input, so one is made first."""
    c = cert(subject, subject, key, key, 1, not_before, not_after)
    kpath = tmpfile("ca.key", ca_key.private_bytes(serialization.Encoding.PEM,
                                                    serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))
    out = run(["openssl", "x509", "-in", tmpfile("in.pem", pem(c)), "-CA", tmpfile("ca.pem", pem(ca)),
               "-CAkey", kpath, "-sha1", "-set_serial", str(serial), "-preserve_dates"])
    return x509.load_pem_x509_certificate(out)


leaf_sha1 = openssl_resign_sha1(leaf_name, leaf_key, d(2022), d(2027), inter, inter_key,
                                LEAF_SERIAL + 1)
assert leaf_sha1.signature_algorithm_oid.dotted_string == "1.2.840.113549.1.1.5"
leaf_expired = cert(leaf_name, inter_name, leaf_key, inter_key, 77, d(2018), d(2019))
leaf_future = cert(leaf_name, inter_name, leaf_key, inter_key, 78, d(2030), d(2031))

other_root_key = rsa_key()
other_root_name = simple_name("Other Root CA", "Elsewhere")
other_root = cert(other_root_name, other_root_name, other_root_key, other_root_key, 5, d(2020),
                  d(2040), ca=True)
untrusted_leaf = cert(leaf_name, other_root_name, leaf_key, other_root_key, 99, d(2022), d(2027))

# Forged: the intermediate's name as issuer, signed by a different key.
forger_key = rsa_key()
forged_leaf = cert(leaf_name, inter_name, leaf_key, forger_key, 100, d(2022), d(2027))

# A leaf (not a CA) used as an issuer: an app certificate signing a fake "Alipay" certificate.
app_key = rsa_key()
app_name = simple_name("2088111111111111-2021111111111111", "Some App Developer")
app_cert = cert(app_name, inter_name, app_key, inter_key, 4242, d(2022), d(2027))
evil_leaf = cert(simple_name("fake alipay"), app_name, leaf_key, app_key, 4343, d(2022), d(2027))

inter_expired = cert(inter_name, root_name, inter_key, root_key, 31, d(2015), d(2020), ca=True)

ec_root_key = ec.generate_private_key(ec.SECP256R1())
ec_root_name = simple_name("EC Root", "Test Root")
ec_root = cert(ec_root_name, ec_root_name, ec_root_key, ec_root_key, 9, d(2020), d(2040), ca=True)
ec_leaf = cert(simple_name("ec leaf"), ec_root_name, ec_root_key, ec_root_key, 10, d(2022),
               d(2027))


# ------------------------------------------------------------------------------------------
# SN vectors: unusual issuer names (self-signed, so the issuer is the subject)
# ------------------------------------------------------------------------------------------

sn_key = rsa_key()
N = NameOID
T = _ASN1Type
SN_NAMES = {
    "plain-alipay-like": (name(attr(N.COUNTRY_NAME, "CN"), attr(N.ORGANIZATION_NAME, "Ant Financial"),
                               attr(N.ORGANIZATIONAL_UNIT_NAME, "Certification Authority"),
                               attr(N.COMMON_NAME, "Ant Financial Certification Authority Class 2 R1")),
                          "the shape of Alipay's real issuers"),
    "email-address": (name(attr(N.COUNTRY_NAME, "CN"), attr(N.COMMON_NAME, "x"),
                           attr(N.EMAIL_ADDRESS, "pki@example.com")),
                      "emailAddress: Java writes 1.2.840.113549.1.9.1=#16… (OID + DER hex)"),
    "multiple-ou": (name(attr(N.ORGANIZATION_NAME, "O"), attr(N.ORGANIZATIONAL_UNIT_NAME, "A"),
                         attr(N.ORGANIZATIONAL_UNIT_NAME, "B"), attr(N.ORGANIZATIONAL_UNIT_NAME, "C")),
                    "repeated OU, reversed order"),
    "utf8-chinese": (name(attr(N.COUNTRY_NAME, "CN"), attr(N.ORGANIZATION_NAME, "蚂蚁金服"),
                          attr(N.COMMON_NAME, "支付宝 测试 CA")), "UTF8String Chinese, kept raw"),
    "comma-plus-escapes": (name(attr(N.ORGANIZATION_NAME, "Acme, Inc. + Sons"),
                                attr(N.COMMON_NAME, 'a=b;c<d>e"f\\g')),
                           "RFC 2253 specials , + = ; < > \" \\ each get a backslash"),
    "hash-inside-and-leading": (name(attr(N.COMMON_NAME, "#1 CA #2")),
                                "Java escapes every #, RFC 4514 only a leading one"),
    "leading-trailing-spaces": (name(attr(N.COMMON_NAME, "  padded  "),
                                     attr(N.ORGANIZATIONAL_UNIT_NAME, "\rcr\r")),
                                "leading/trailing space and CR escaped"),
    "multi-valued-rdn": (name(attr(N.COUNTRY_NAME, "CN"),
                              [attr(N.ORGANIZATIONAL_UNIT_NAME, "Unit"), attr(N.COMMON_NAME, "Multi")]),
                         "multi-valued RDN joined with + in encoded (DER-sorted) order"),
    "all-keywords": (name(attr(N.DOMAIN_COMPONENT, "com"), attr(N.DOMAIN_COMPONENT, "example"),
                          attr(N.COUNTRY_NAME, "CN"), attr(N.STATE_OR_PROVINCE_NAME, "Zhejiang"),
                          attr(N.LOCALITY_NAME, "Hangzhou"), attr(N.STREET_ADDRESS, "1 West Lake Rd"),
                          attr(N.ORGANIZATION_NAME, "O"), attr(N.USER_ID, "uid42"),
                          attr(N.COMMON_NAME, "kw")),
                     "DC, C, ST, L, STREET, O, UID, CN: Java's RFC 2253 keywords"),
    "non-keyword-attributes": (name(attr(N.SERIAL_NUMBER, "12345"), attr(N.TITLE, "Boss"),
                                    attr(N.GIVEN_NAME, "San"), attr(N.SURNAME, "Zhang"),
                                    attr(N.COMMON_NAME, "nk")),
                               "serialNumber, title, givenName, surname: OID=#hex in Java"),
    "bmp-string": (name(attr(N.COMMON_NAME, "中文AB", T.BMPString)),
                   "BMPString: Java decodes the UTF-16 bytes as UTF-8 (NUL → \\00, invalid → U+FFFD)"),
    "teletex": (name(attr(N.COMMON_NAME, "café", T.T61String)),
                "T61String (cryptography writes UTF-8 bytes): text"),
    "ia5-cn": (name(attr(N.COMMON_NAME, "ia5 value", T.IA5String)), "IA5String is text"),
    "numeric-string": (name(attr(N.COMMON_NAME, "12345", T.NumericString)),
                       "NumericString is not text for Java: CN=#12…"),
    "universal-string": (name(attr(N.COMMON_NAME, "uni", T.UniversalString)),
                         "UniversalString: CN=#1c…"),
    "visible-string": (name(attr(N.COMMON_NAME, "vis", T.VisibleString)), "VisibleString: #hex"),
    "control-chars": (name(attr(N.COMMON_NAME, "a\nb\tc\x7fd")),
                      "newline, tab and DEL kept raw (the JDK refuses a NUL in a UTF8String)"),
    "emoji-astral": (name(attr(N.COMMON_NAME, "pay 💰 now")), "non-BMP character kept raw"),
}

SERIALS = {
    "small": 1,
    "64-bit-max": 2**64 - 1,
    "just-over-64-bit": 2**64 + 1,
    "128-bit": 0x20200514E63C2FE04D538716FE21358B,
    "159-bit": 2**159 - 12345,
}


def negative_serial_der(c):
    """The DER of `c` with the first serial content byte forced to 0xff (a negative serial; the
    signature no longer matches, which does not matter for SNs)."""
    der = bytearray(c.public_bytes(serialization.Encoding.DER))
    ser = c.serial_number.to_bytes((c.serial_number.bit_length() + 8) // 8, "big")
    i = bytes(der).index(b"\x02" + bytes([len(ser)]) + ser)
    der[i + 2] = 0xFF
    return bytes(der)


def der_to_pem(der):
    b64 = base64.b64encode(der).decode()
    lines = "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))
    return f"-----BEGIN CERTIFICATE-----\n{lines}\n-----END CERTIFICATE-----\n"


sn_vectors = []


def add_sn(vid, text, note):
    java_name, serial, sn = java_sn(text)
    first = x509.load_pem_x509_certificate(text.encode())
    try:
        py = first.issuer.rfc4514_string()
    except Exception as e:  # noqa: BLE001 - informational only
        py = f"error: {e}"
    sn_vectors.append({
        "id": vid, "note": note, "pem": text, "expected_sn": sn,
        "java_issuer_name": java_name, "serial_decimal": serial,
        "info_openssl_rfc2253": openssl_issuer(text), "info_python_rfc4514": py,
        "info_python_rfc4514_md5": hashlib.md5((py + serial).encode()).hexdigest(),
    })


for vid, (nm, note) in SN_NAMES.items():
    c = cert(nm, nm, sn_key, sn_key, 0x1234_5678_9ABC_DEF0_1234_5678, d(2022), d(2032))
    add_sn("issuer-" + vid, pem(c), note)
for vid, serial in SERIALS.items():
    c = cert(root_name, root_name, sn_key, sn_key, serial, d(2022), d(2032))
    add_sn("serial-" + vid, pem(c), f"serial {serial}")
# A T61String holding a Latin-1 byte (0xe9, invalid UTF-8): patched into the DER, same length.
t61 = cert(name(attr(N.COMMON_NAME, "cafe~", T.T61String)), name(attr(N.COMMON_NAME, "cafe~", T.T61String)),
           sn_key, sn_key, 0x1234_5678_9ABC_DEF0_1234_5678, d(2022), d(2032))
add_sn("issuer-teletex-latin1-byte",
       der_to_pem(t61.public_bytes(serialization.Encoding.DER).replace(b"cafe~", b"caf\xe9~")),
       "T61String with a Latin-1 byte: Java decodes as UTF-8, invalid → U+FFFD")
neg = der_to_pem(negative_serial_der(cert(root_name, root_name, sn_key, sn_key,
                                          0x12_3456_7890_ABCD_EF12_3456, d(2022), d(2032))))
add_sn("serial-negative", neg, "negative serial (two's complement): Java prints -…")
add_sn("chain-leaf", pem(leaf) + pem(inter), "leaf + intermediate: the first certificate counts")
add_sn("chain-intermediate", pem(inter), "issuer with comma, plus, two OUs, Chinese CN, email")

root_sn_vectors = []


def add_root(vid, text, note):
    expected = java("root", text).strip()
    root_sn_vectors.append({"id": vid, "note": note, "pem": text,
                            "expected": expected or "INVALID_CERTIFICATE"})


add_root("rsa-root-only", pem(root), "one RSA root")
add_root("ec-rsa-sha1-mix", pem(ec_root) + pem(root) + pem(leaf_sha1) + pem(other_root),
         "EC root skipped; sha256, sha1 and sha256 RSA certificates joined with _")
add_root("ec-only", pem(ec_root), "no RSA certificate → INVALID_CERTIFICATE")


# ------------------------------------------------------------------------------------------
# Chain vectors
# ------------------------------------------------------------------------------------------

chain_vectors = []


def add_chain(vid, leaf_c, extra, roots, at, expected, note):
    alipay = pem(leaf_c) + "".join(pem(x) for x in extra)
    bundle = "".join(pem(x) for x in roots)
    verdict = openssl_verify(pem(leaf_c), "".join(pem(x) for x in extra), bundle, at)
    chain_vectors.append({"id": vid, "note": note, "alipay_cert_pem": alipay,
                          "root_bundle_pem": bundle, "now_ms": int(at.timestamp() * 1000),
                          "expected": expected, "info_openssl_verify": verdict})


add_chain("ok-leaf-intermediate-root", leaf, [inter], [root], NOW, "OK", "Alipay's shape")
add_chain("ok-sha1-leaf", leaf_sha1, [inter], [root], NOW, "OK", "sha1WithRSA leaf")
add_chain("ok-intermediate-in-bundle", leaf, [], [other_root, inter], NOW, "OK",
          "issuer found directly in the bundle")
add_chain("ok-ec-root-in-bundle", leaf, [inter], [ec_root, root], NOW, "OK",
          "an EC root in the bundle is passed over")
add_chain("ok-at-not-before", leaf, [inter], [root], d(2022), "OK", "validity is inclusive")
add_chain("ok-at-not-after", leaf, [inter], [root], d(2027), "OK",
          "validity is inclusive (RFC 5280, Java); OpenSSL treats notAfter itself as expired")
add_chain("expired-leaf", leaf_expired, [inter], [root], NOW, "CERT_EXPIRED", "notAfter 2019")
add_chain("not-yet-valid-leaf", leaf_future, [inter], [root], NOW, "CERT_EXPIRED",
          "notBefore 2030")
add_chain("after-not-after", leaf, [inter], [root], d(2027, 1, 1) + dt.timedelta(seconds=1),
          "CERT_EXPIRED", "one second past notAfter")
add_chain("expired-intermediate", leaf, [inter_expired], [root], NOW, "CERT_EXPIRED",
          "the intermediate expired in 2020")
add_chain("untrusted-other-root", untrusted_leaf, [], [root], NOW, "CERT_UNTRUSTED",
          "issued by a root not in the bundle")
add_chain("untrusted-missing-intermediate", leaf, [], [root], NOW, "CERT_UNTRUSTED",
          "the intermediate is neither in the file nor the bundle")
add_chain("untrusted-forged-signature", forged_leaf, [inter], [root], NOW, "CERT_UNTRUSTED",
          "issuer name matches, signature by another key")
add_chain("untrusted-non-ca-issuer", evil_leaf, [app_cert, inter], [root], NOW, "CERT_UNTRUSTED",
          "an app (non-CA) certificate used as an intermediate")
add_chain("untrusted-ec-leaf", ec_leaf, [], [ec_root], NOW, "CERT_UNTRUSTED",
          "ECDSA signatures are not verified (Alipay's are RSA); OpenSSL accepts this one")


# ------------------------------------------------------------------------------------------
# Keys from certificates
# ------------------------------------------------------------------------------------------

key_vectors = [
    {"id": "leaf-cert", "pem": pem(leaf) + pem(inter), "expected": "OK",
     "expected_cert_sn": java_sn(pem(leaf))[2],
     "expected_modulus_hex": format(leaf_key.public_key().public_numbers().n, "x")},
    {"id": "ec-cert", "pem": pem(ec_root), "expected": "INVALID_PUBLIC_KEY"},
    {"id": "garbage-cert", "pem": "-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n",
     "expected": "INVALID_PUBLIC_KEY"},
]


# ------------------------------------------------------------------------------------------
# Responses
# ------------------------------------------------------------------------------------------

LEAF_SN = java_sn(pem(leaf))[2]
response_vectors = []


def add_response(vid, template, value, key, method, expected, sign_type="RSA2", key_pem=None,
                 sign_override=None, note=""):
    """`template` has {value} and {sign}; the signature is over `value` exactly."""
    digest = "sha256" if sign_type == "RSA2" else "sha1"
    sign = sign_override if sign_override is not None else openssl_sign(key, value.encode(), digest)
    body = template.replace("{value}", value).replace("{sign}", sign)
    response_vectors.append({"id": vid, "note": note, "body": body, "method": method,
                             "sign_type": sign_type, "key_pem": key_pem or pem(leaf),
                             "expected": expected, "signed_content": value})


TRADE = ('{"code":"10000","msg":"Success","buyer_logon_id":"abc***@example.com",'
         '"total_amount":"88.88","subject":"\\u4e2d\\u6587 and 中文","url":"https:\\/\\/x.example\\/a",'
         '"n":1.50,"fund_bill_list":[{"amount":"0.01","fund_channel":"}{\\"]["}],"empty":{}}')
add_response("trade-query-ok", '{"alipay_trade_query_response":{value},"sign":"{sign}"}', TRADE,
             leaf_key, "alipay.trade.query", "OK", note="escapes, unicode, nested brackets in strings")
add_response("sign-first-pretty", '{\n  "sign" : "{sign}",\n  "alipay_trade_query_response" : {value}\n}\n',
             '{\n    "code" : "10000",\n    "msg" : "Success"\n  }', leaf_key, "alipay.trade.query",
             "OK", note="sign before the response, pretty-printed: the raw text is what is signed")
add_response("cert-sn-match",
             '{"alipay_trade_query_response":{value},"alipay_cert_sn":"' + LEAF_SN + '","sign":"{sign}"}',
             TRADE, leaf_key, "alipay.trade.query", "OK", note="alipay_cert_sn equals the SN")
add_response("cert-sn-mismatch",
             '{"alipay_trade_query_response":{value},"alipay_cert_sn":"0123456789abcdef0123456789abcdef","sign":"{sign}"}',
             TRADE, leaf_key, "alipay.trade.query", "CERT_SN_MISMATCH",
             note="stale certificate configured")
add_response("error-response", '{"error_response":{value},"sign":"{sign}"}',
             '{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-app-id","sub_msg":"无效的AppID参数"}',
             leaf_key, "alipay.trade.query", "OK", note="gateway error, signed")
add_response("rsa-sha1", '{"alipay_trade_pay_response":{value},"sign":"{sign}"}',
             '{"code":"10000","msg":"Success"}', leaf_key, "alipay.trade.pay", "OK", sign_type="RSA",
             note="legacy RSA (SHA-1)")
add_response("rsa-sha1-checked-as-rsa2", '{"alipay_trade_pay_response":{value},"sign":"{sign}"}',
             '{"code":"10000","msg":"Success"}', leaf_key, "alipay.trade.pay", "SIGNATURE_MISMATCH",
             sign_type="RSA", note="signed SHA-1; the test checks with RSA2")
response_vectors[-1]["sign_type"] = "RSA2"
add_response("tampered", '{"alipay_trade_query_response":{value},"sign":"{sign}"}', TRADE,
             leaf_key, "alipay.trade.query", "SIGNATURE_MISMATCH",
             note="signed, then one character of the value changed")
response_vectors[-1]["body"] = response_vectors[-1]["body"].replace('"88.88"', '"98.88"', 1)
add_response("reserialised", '{"alipay_trade_query_response":{value},"sign":"{sign}"}',
             '{"code": "10000", "msg": "Success"}', leaf_key, "alipay.trade.query",
             "SIGNATURE_MISMATCH", note="the signature covers compact JSON; the body has spaces")
response_vectors[-1]["body"] = response_vectors[-1]["body"].replace(
    '{"code": "10000", "msg": "Success"}', '{"code":"10000","msg":"Success"}')
add_response("wrong-key", '{"alipay_trade_query_response":{value},"sign":"{sign}"}', TRADE,
             other_root_key, "alipay.trade.query", "SIGNATURE_MISMATCH", note="signed by another key")
add_response("missing-sign", '{"alipay_trade_query_response":{value}}', TRADE, leaf_key,
             "alipay.trade.query", "MISSING_PARAMETER", note="no sign")
add_response("missing-response-key", '{"alipay_trade_pay_response":{value},"sign":"{sign}"}', TRADE,
             leaf_key, "alipay.trade.query", "MISSING_PARAMETER", note="another method's response")
add_response("duplicate-response-key",
             '{"alipay_trade_query_response":{value},"alipay_trade_query_response":{"code":"10000","msg":"forged"},"sign":"{sign}"}',
             TRADE, leaf_key, "alipay.trade.query", "MALFORMED_RESPONSE",
             note="duplicate keys: a JSON parser would return the unsigned one")
add_response("both-keys", '{"alipay_trade_query_response":{value},"error_response":{"code":"40002"},"sign":"{sign}"}',
             TRADE, leaf_key, "alipay.trade.query", "MALFORMED_RESPONSE", note="ambiguous")
add_response("not-json", '{"alipay_trade_query_response":{value},"sign":"{sign}"', TRADE, leaf_key,
             "alipay.trade.query", "MALFORMED_RESPONSE", note="truncated body")
add_response("sign-not-base64", '{"alipay_trade_query_response":{value},"sign":"{sign}"}', TRADE,
             leaf_key, "alipay.trade.query", "MALFORMED_SIGNATURE", sign_override="%%%not base64",
             note="sign is not base64")
add_response("bad-method", '{"alipay_trade_query_response":{value},"sign":"{sign}"}', TRADE,
             leaf_key, "alipay trade query", "INVALID_ARGUMENT", note="method with spaces")

v3_vectors = []


def add_v3(vid, ts, nonce, body, expected, key=leaf_key, tamper=None, note=""):
    sig = openssl_sign(key, f"{ts}\n{nonce}\n".encode() + body.encode() + b"\n")
    if tamper:
        body = tamper(body)
    v3_vectors.append({"id": vid, "note": note, "timestamp": ts, "nonce": nonce, "body": body,
                       "signature": sig, "key_pem": pem(leaf), "expected": expected})


add_v3("v3-ok", "1717243200000", "c5f8b3a2-6d1e-4f7a-9b0c-2e4d6f8a1b3c",
       '{"trade_no":"2024060122001400000000000000","out_trade_no":"订单-1"}', "OK")
add_v3("v3-empty-body", "1717243200000", "n0nce", "", "OK", note="an empty body is signed too")
add_v3("v3-tampered", "1717243200000", "n0nce", '{"a":"1"}', "SIGNATURE_MISMATCH",
       tamper=lambda b: b.replace("1", "2"), note="body changed after signing")
add_v3("v3-wrong-key", "1717243200000", "n0nce", '{"a":"1"}', "SIGNATURE_MISMATCH",
       key=other_root_key, note="signed by another key")


# ------------------------------------------------------------------------------------------
# AES
# ------------------------------------------------------------------------------------------

aes_vectors = []


def openssl_aes(plain: bytes, key: bytes) -> str:
    out = run(["openssl", "enc", "-aes-128-cbc", "-K", key.hex(), "-iv", "00" * 16, "-base64", "-A"],
              data=plain)
    return out.decode().strip()


def py_decrypt(ct_b64, key):
    dec = Cipher(algorithms.AES(key), modes.CBC(b"\0" * 16)).decryptor()
    raw = dec.update(base64.b64decode(ct_b64)) + dec.finalize()
    pad = raw[-1]
    assert 1 <= pad <= 16 and raw.endswith(bytes([pad]) * pad), "bad padding"
    return raw[:-pad]


def add_aes(vid, plain: bytes, key: bytes, note=""):
    ct = openssl_aes(plain, key)
    assert py_decrypt(ct, key) == plain
    v = {"id": vid, "note": note, "ciphertext_b64": ct, "key_b64": base64.b64encode(key).decode(),
         "plaintext_hex": plain.hex()}
    try:
        v["plaintext"] = plain.decode("utf-8")
        v["expected"] = "OK"
    except UnicodeDecodeError:
        v["expected"] = "DECRYPTION_FAILED"
        v["note"] += " (aes_decrypt refuses non-UTF-8; aes_decrypt_bytes returns plaintext_hex)"
    aes_vectors.append(v)


K1 = bytes(range(16))
K2 = os.urandom(16)
add_aes("aes-empty", b"", K1, "one block of padding")
add_aes("aes-15", b"A" * 15, K1, "one pad byte")
add_aes("aes-16", b"B" * 16, K1, "a full padding block")
add_aes("aes-json-chinese", '{"code":"10000","msg":"Success","mobile":"13800000000","name":"张三"}'.encode(),
        K2, "a decrypted response")
add_aes("aes-long", ("x" * 1000 + "尾").encode(), K2, "many blocks")
add_aes("aes-gbk", "中文".encode("gbk"), K2, "GBK plaintext")


def aes_error(vid, ct, key_b64, expected, note):
    aes_vectors.append({"id": vid, "note": note, "ciphertext_b64": ct, "key_b64": key_b64,
                        "expected": expected})


good_ct = openssl_aes(b"hello", K1)
aes_error("aes-key-too-short", good_ct, base64.b64encode(K1[:8]).decode(), "INVALID_AES_KEY", "8-byte key")
aes_error("aes-key-aes256", good_ct, base64.b64encode(K1 * 2).decode(), "INVALID_AES_KEY",
          "32-byte key: Alipay uses AES-128")
aes_error("aes-key-not-base64", good_ct, "not*base64!", "INVALID_AES_KEY", "key not base64")
aes_error("aes-ct-not-base64", "@@@@", base64.b64encode(K1).decode(), "MALFORMED_CIPHERTEXT",
          "ciphertext not base64")
aes_error("aes-ct-plus-as-space", good_ct.replace("+", " ") if "+" in good_ct else "ab cd+==",
          base64.b64encode(K1).decode(), "MALFORMED_CIPHERTEXT", "a + turned into a space")
aes_error("aes-ct-not-block-multiple", base64.b64encode(b"\1" * 15).decode(),
          base64.b64encode(K1).decode(), "DECRYPTION_FAILED", "15 bytes")
aes_error("aes-ct-empty-bytes", "", base64.b64encode(K1).decode(), "MALFORMED_CIPHERTEXT",
          "empty text")
# Wrong key: pick one whose decryption has invalid padding (checked with cryptography).
for i in range(256):
    wrong = bytes([i]) * 16
    try:
        py_decrypt(good_ct, wrong)
    except AssertionError:
        aes_error("aes-wrong-key", good_ct, base64.b64encode(wrong).decode(), "DECRYPTION_FAILED",
                  "wrong key: bad padding")
        break


# ------------------------------------------------------------------------------------------
# Output
# ------------------------------------------------------------------------------------------

def version(args):
    p = subprocess.run(args, capture_output=True)
    return (p.stdout + p.stderr).decode().strip().splitlines()[0]


import cryptography  # noqa: E402

out = {
    "id": "cert-mode-generated",
    "generator": "tests/vectors/cert/generate.py (+ SnOracle.java)",
    "tools": {"openssl": version(["openssl", "version"]), "java": version(["java", "-version"]),
              "python-cryptography": cryptography.__version__},
    "now_ms": NOW_MS,
    "sn": sn_vectors,
    "root_sn": root_sn_vectors,
    "chain": chain_vectors,
    "key": key_vectors,
    "response": response_vectors,
    "v3_response": v3_vectors,
    "aes": aes_vectors,
}
with open(os.path.join(HERE, "generated.json"), "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=1)
    f.write("\n")

# Real certificates used by doc examples, extracted verbatim from the real vectors.
real = json.load(open(os.path.join(HERE, "real", "cert-sn-vectors.json"), encoding="utf-8"))
for v in real["vectors"]:
    base = os.path.basename(v["origin"]["path"])
    if v["origin"]["repo"] == "alipay/alipay-sdk-php-all" and base == "alipayCertPublicKey_RSA2.crt":
        base = "alipayCertPublicKey_RSA2.php-sdk.crt"  # leaf + intermediate
    elif v["origin"]["repo"] != "alipay/alipay-sdk-nodejs-all":
        continue
    if base.endswith(".crt"):
        with open(os.path.join(HERE, "real", base), "w") as f:
            f.write(v["pem"] if v["pem"].endswith("\n") else v["pem"] + "\n")
resp = json.load(open(os.path.join(HERE, "real", "sync-response-alipay-open-file-upload.json")))
with open(os.path.join(HERE, "real", "alipay-public-key-file-upload.pem"), "w") as f:
    f.write(resp["alipay_public_key"] + "\n")

counts = {k: len(v) for k, v in out.items() if isinstance(v, list)}
print("wrote generated.json:", counts, "total", sum(counts.values()))
