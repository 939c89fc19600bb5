#!/usr/bin/env python3
"""Generates tests/vectors/cert/armour.json: the certificate-chain bypass through PEM armour, and
the identity check that tells Alipay's certificate from an application certificate.

The scenario: an attacker makes a self-signed certificate whose issuer name and serial number are
those of Alipay's genuine certificate (so its Alipay SN, md5(issuer + serial), is the genuine
SN), for a key of their own. They armour it *almost* right — `-----BEGIN CERTIFICATE -----`
(trailing space), a tab, a CR, two spaces, lower case, another END label, … — and put it before
the genuine Alipay certificate file (leaf + intermediate). A reader that takes that block for the
key while another reader skips it for the chain check would report the genuine chain and SN but
verify with the attacker's key. Every variant must be refused with a coded error instead.

Made by implementations independent of the crate under test:

- the attacker's key and certificate: Python `cryptography` (x509 builder, self-signed);
- the attacker-signed notification (V1 sign content: every param but `sign` / `sign_type`,
  sorted, `k=v` joined by `&`) and response (the raw text of `alipay_trade_query_response`):
  `openssl dgst -sha256 -sign`, each checked with Python `cryptography`;
- the SNs: the JDK (`SnOracle.java`, Alipay's Java SDK algorithm), which must give the attacker's
  certificate the genuine certificate's SN.

`identity`: a test PKI named like Alipay's (a root, intermediates called `… Class 2 R1`,
`… Class 1 R1` and `… Class 2 R1 test`, leaves with Alipay's subject CN or an application's),
also from Python `cryptography`, for `check_alipay_certificate`.

The genuine certificates are real (real/alipayCertPublicKey_RSA2.php-sdk.crt, real/alipayRootCert.crt;
see README.md). Expected outcomes are designed: see `expected` in each case.

Needs: python3 with cryptography, openssl (3.x), java (11+). Run from anywhere:
    python3 tests/vectors/cert/armour.py
The attacker key is random, so every run writes new (equally valid) vectors.
"""

import base64
import datetime as dt
import json
import os
import subprocess
import tempfile
import urllib.parse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
TMP = tempfile.mkdtemp(prefix="armourvec-")
UTC = dt.timezone.utc
# Inside the genuine leaf's validity (2022-04-20 … 2027-04-19) and the intermediate's.
NOW = dt.datetime(2024, 6, 1, 12, 0, 0, tzinfo=UTC)
NOW_MS = int(NOW.timestamp() * 1000)


def read(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return f.read()


def tmpfile(name, data):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path


def java_sns(text):
    """The SN of every exactly armoured certificate in `text`, per the JDK."""
    p = subprocess.run(["java", os.path.join(HERE, "SnOracle.java"), "sn", tmpfile("c.pem", text)],
                       capture_output=True, check=True)
    return [line.split("\t")[3] for line in p.stdout.decode().splitlines() if line]


def openssl_sign(key, data):
    kpath = tmpfile("k.pem", key.private_bytes(serialization.Encoding.PEM,
                                                serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption()))
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", kpath], input=data,
                         capture_output=True, check=True).stdout
    # Checked by a second implementation before it is used.
    key.public_key().verify(sig, data, padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(sig).decode()


def b64_lines(der):
    b64 = base64.b64encode(der).decode()
    return "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))


def armour(der, begin, end):
    return f"{begin}\n{b64_lines(der)}\n{end}\n"


# ------------------------------------------------------------------------------------------
# The genuine chain and the attacker's look-alike
# ------------------------------------------------------------------------------------------

genuine_text = read("real/alipayCertPublicKey_RSA2.php-sdk.crt")  # leaf + intermediate
root_bundle = read("real/alipayRootCert.crt")
genuine = x509.load_pem_x509_certificate(genuine_text.encode())
genuine_sn = java_sns(genuine_text)[0]
# The SN Alipay's Node SDK computed for this file (real/cert-sn-vectors.json).
real_sns = {v["pem"]: v["sn_alipay_sdk_4_14_getSN"]
            for v in json.loads(read("real/cert-sn-vectors.json"))["vectors"]}
assert real_sns[genuine_text] == genuine_sn
genuine_ders = [c.public_bytes(serialization.Encoding.DER)
                for c in x509.load_pem_x509_certificates(genuine_text.encode())]
assert len(genuine_ders) == 2

attacker_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
attacker = (x509.CertificateBuilder()
            .subject_name(genuine.subject)
            .issuer_name(genuine.issuer)  # the genuine issuer, attribute types kept
            .public_key(attacker_key.public_key())
            .serial_number(genuine.serial_number)
            .not_valid_before(dt.datetime(2024, 1, 1, tzinfo=UTC))
            .not_valid_after(dt.datetime(2030, 1, 1, tzinfo=UTC))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(attacker_key, hashes.SHA256()))
attacker_der = attacker.public_bytes(serialization.Encoding.DER)
attacker_pem = attacker.public_bytes(serialization.Encoding.PEM).decode()
attacker_spki_pem = attacker_key.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
# The whole point: Alipay's SN cannot tell the two apart.
assert java_sns(attacker_pem) == [genuine_sn], "the attacker's SN must be the genuine SN"
assert attacker.issuer.public_bytes() == genuine.issuer.public_bytes()

# ------------------------------------------------------------------------------------------
# What the attacker signs
# ------------------------------------------------------------------------------------------

params = [
    ("app_id", "2021003156675030"),
    ("charset", "utf-8"),
    ("notify_id", "2024060100222120000011111111111111"),
    ("notify_time", "2024-06-01 20:00:00"),
    ("notify_type", "trade_status_sync"),
    ("out_trade_no", "ARMOUR20240601000001"),
    ("total_amount", "88.88"),
    ("trade_no", "2024060122001400000000000001"),
    ("trade_status", "TRADE_SUCCESS"),
    ("version", "1.0"),
    ("alipay_cert_sn", genuine_sn),
    ("sign_type", "RSA2"),
]
# V1: everything but sign and sign_type, keys ascending, raw values.
v1_content = "&".join(f"{k}={v}" for k, v in sorted(params) if k not in ("sign", "sign_type"))
notification_sign = openssl_sign(attacker_key, v1_content.encode())
notification_body = urllib.parse.urlencode(params + [("sign", notification_sign)])

response_value = ('{"code":"10000","msg":"Success","trade_no":"2024060122001400000000000001",'
                  '"out_trade_no":"ARMOUR20240601000001","trade_status":"TRADE_SUCCESS",'
                  '"total_amount":"88.88"}')
response_sign = openssl_sign(attacker_key, response_value.encode())
response_body = (f'{{"alipay_trade_query_response":{response_value},'
                 f'"alipay_cert_sn":"{genuine_sn}","sign":"{response_sign}"}}')

# ------------------------------------------------------------------------------------------
# The texts
# ------------------------------------------------------------------------------------------

EXACT_BEGIN = "-----BEGIN CERTIFICATE-----"
EXACT_END = "-----END CERTIFICATE-----"

# (id, what it is, BEGIN line, END line) of the attacker's block, placed before the genuine file.
ARMOUR_VARIANTS = [
    ("trailing-space", "a space before the closing dashes", "-----BEGIN CERTIFICATE -----", EXACT_END),
    ("tab", "a tab before the closing dashes", "-----BEGIN CERTIFICATE\t-----", EXACT_END),
    ("cr", "a carriage return before the closing dashes", "-----BEGIN CERTIFICATE\r-----", EXACT_END),
    ("double-space", "two spaces after BEGIN", "-----BEGIN  CERTIFICATE-----", EXACT_END),
    ("lowercase", "the whole armour in lower case", "-----begin certificate-----", "-----end certificate-----"),
    ("mixed-case-label", "the label not in capitals", "-----BEGIN Certificate-----", "-----END Certificate-----"),
    ("wrong-end-label", "an END line with another label", EXACT_BEGIN, "-----END PUBLIC KEY-----"),
    ("trailing-space-both", "a space before the closing dashes of both lines",
     "-----BEGIN CERTIFICATE -----", "-----END CERTIFICATE -----"),
    ("four-dashes", "four dashes instead of five", "----BEGIN CERTIFICATE----", "----END CERTIFICATE----"),
    ("six-dashes", "six dashes instead of five", "------BEGIN CERTIFICATE------", "------END CERTIFICATE------"),
    ("unknown-label", "a label outside the known set", "-----BEGIN X509 CERTIFICATE-----",
     "-----END X509 CERTIFICATE-----"),
]

KEY_REFUSED = "INVALID_PUBLIC_KEY"
CERT_REFUSED = "INVALID_CERTIFICATE"


def refused():
    """Every operation on a malformed text: a coded error, the key's or the certificate's."""
    return {
        "public_key": KEY_REFUSED,
        "get_cert_sn": CERT_REFUSED,
        "verify_cert_chain": CERT_REFUSED,
        "check_alipay_certificate": CERT_REFUSED,
        "verify_with_root": KEY_REFUSED,
        "verify_without_root": KEY_REFUSED,
        "verify_response": KEY_REFUSED,
    }


cases = []
for vid, what, begin, end in ARMOUR_VARIANTS:
    cases.append({
        "id": f"armour-{vid}",
        "description": f"the attacker's certificate armoured with {what}, then the genuine file",
        "text": armour(attacker_der, begin, end) + genuine_text,
        "expected": refused(),
    })

cases.append({
    "id": "public-key-block-first",
    "description": "an exactly armoured PUBLIC KEY block (the attacker's key), then the genuine file",
    "text": attacker_spki_pem + genuine_text,
    # A key text holds one key; a certificate text holds only certificates.
    "expected": refused(),
})
cases.append({
    "id": "armour-inside-the-body",
    "description": "the genuine leaf's block with a look-alike BEGIN line inside its body",
    "text": genuine_text.replace("\n", "\n-----BEGIN CERTIFICATE -----\n", 1),
    "expected": refused(),
})
cases.append({
    "id": "armour-in-text-between-blocks",
    "description": "the genuine file with a look-alike END line between its two blocks",
    "text": genuine_text.replace(f"{EXACT_END}\n", f"{EXACT_END}\n-----END CERTIFICATE -----\n", 1),
    "expected": refused(),
})

# Controls: what the same signatures and certificates give when the armour is exact.
cases.append({
    "id": "control-genuine",
    "description": "the genuine file alone: trusted, Alipay's, and the attacker's signatures fail",
    "text": genuine_text,
    "expected": {
        "public_key": "OK",
        "get_cert_sn": genuine_sn,
        "verify_cert_chain": "OK",
        "check_alipay_certificate": "OK",
        "verify_with_root": "SIGNATURE_MISMATCH",
        "verify_without_root": "SIGNATURE_MISMATCH",
        "verify_response": "SIGNATURE_MISMATCH",
    },
})
cases.append({
    "id": "control-attacker-alone",
    "description": "the attacker's certificate alone, exactly armoured: its key verifies what it "
                   "signed, but it does not chain to the root",
    "text": attacker_pem,
    "expected": {
        "public_key": "OK",
        "get_cert_sn": genuine_sn,
        "verify_cert_chain": "CERT_UNTRUSTED",
        "check_alipay_certificate": "CERT_UNTRUSTED",
        "verify_with_root": "CERT_UNTRUSTED",
        "verify_without_root": "OK",
        "verify_response": "OK",
    },
})
cases.append({
    "id": "control-attacker-exact-then-genuine",
    "description": "the attacker's certificate exactly armoured, then the genuine file: the key is "
                   "the first certificate's, so that is the certificate whose chain is checked",
    "text": attacker_pem + genuine_text,
    "expected": {
        "public_key": "OK",
        "get_cert_sn": genuine_sn,
        "verify_cert_chain": "CERT_UNTRUSTED",
        "check_alipay_certificate": "CERT_UNTRUSTED",
        "verify_with_root": "CERT_UNTRUSTED",
        "verify_without_root": "OK",
        "verify_response": "OK",
    },
})
# The tolerance users need: CRLF, indented armour, comment lines, other base64 wrapping.
crlf_text = "Alipay certificate (alipayCertPublicKey_RSA2.crt)\r\n\r\n"
for i, der in enumerate(genuine_ders):
    b64 = base64.b64encode(der).decode()
    body = "\r\n".join(b64[j:j + 76] for j in range(0, len(b64), 76))
    crlf_text += f"  {EXACT_BEGIN} \r\n{body}\r\n\t{EXACT_END}\r\n"
    if i == 0:
        crlf_text += "Issuer: Ant Financial Certification Authority Class 2 R1\r\n"
one_line_text = " ".join(f"{EXACT_BEGIN} {base64.b64encode(der).decode()} {EXACT_END}"
                         for der in genuine_ders)
for cid, what, text in [
    ("control-genuine-crlf-and-comments", "CRLF line endings, indented armour lines, comment "
     "lines before and between the blocks, the base64 wrapped at 76", crlf_text),
    ("control-genuine-one-line", "each block on one line, as pasted into an environment "
     "variable", one_line_text),
]:
    cases.append({
        "id": cid,
        "description": f"the genuine file with {what}: read exactly as the original",
        "text": text,
        "expected": {
            "public_key": "OK",
            "get_cert_sn": genuine_sn,
            "verify_cert_chain": "OK",
            "check_alipay_certificate": "OK",
            "verify_with_root": "SIGNATURE_MISMATCH",
            "verify_without_root": "SIGNATURE_MISMATCH",
            "verify_response": "SIGNATURE_MISMATCH",
        },
    })

# ------------------------------------------------------------------------------------------
# Alipay's identity: a test PKI named like Alipay's, for check_alipay_certificate
# ------------------------------------------------------------------------------------------

def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def ant_name(cn, org="Ant Financial", ou="Certification Authority"):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def leaf_name(*cns):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "测试的公司"),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Alipay")]
                     + [x509.NameAttribute(NameOID.COMMON_NAME, cn) for cn in cns])


def issue(subject, issuer_name, key, issuer_key, serial, ca):
    return (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(issuer_name).public_key(key.public_key())
            .serial_number(serial)
            .not_valid_before(dt.datetime(2023, 1, 1, tzinfo=UTC))
            .not_valid_after(dt.datetime(2033, 1, 1, tzinfo=UTC))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .sign(issuer_key, hashes.SHA256()))


def pem(c):
    return c.public_bytes(serialization.Encoding.PEM).decode()


id_root_key = rsa_key()
id_root_name = ant_name("Ant Financial Certification Authority R1")  # a test root, same name
id_root = issue(id_root_name, id_root_name, id_root_key, id_root_key, 1, True)
CLASS_2 = "Ant Financial Certification Authority Class 2 R1"
ALIPAY_CN = "支付宝(中国)网络技术有限公司-2088000000000001"
intermediates = {}
for cn in [CLASS_2, "Ant Financial Certification Authority Class 1 R1", CLASS_2 + " test"]:
    k = rsa_key()
    intermediates[cn] = (k, issue(ant_name(cn), id_root_name, k, id_root_key, 100 + len(intermediates), True))
leaf_key = rsa_key()
stranger_key = rsa_key()

# (id, issuing intermediate CN, subject CNs, expected, signed by someone else?)
IDENTITY = [
    ("alipay", CLASS_2, [ALIPAY_CN], "OK", False),
    ("app-cert-subject", CLASS_2, ["2088000000000001-2021000000000001"], "CERT_NOT_ALIPAY", False),
    ("class-1-issuer", "Ant Financial Certification Authority Class 1 R1", [ALIPAY_CN],
     "CERT_NOT_ALIPAY", False),
    ("sandbox-issuer", CLASS_2 + " test", [ALIPAY_CN], "CERT_NOT_ALIPAY", False),
    ("prefix-without-pid", CLASS_2, ["支付宝(中国)网络技术有限公司-"], "CERT_NOT_ALIPAY", False),
    ("pid-not-digits", CLASS_2, ["支付宝(中国)网络技术有限公司-2088x"], "CERT_NOT_ALIPAY", False),
    ("full-width-parentheses", CLASS_2, ["支付宝（中国）网络技术有限公司-2088000000000001"],
     "CERT_NOT_ALIPAY", False),
    ("prefix-inside", CLASS_2, ["x支付宝(中国)网络技术有限公司-2088000000000001"],
     "CERT_NOT_ALIPAY", False),
    ("two-common-names", CLASS_2, ["2088000000000001-2021000000000001", ALIPAY_CN],
     "CERT_NOT_ALIPAY", False),
    ("forged-signature", CLASS_2, [ALIPAY_CN], "CERT_UNTRUSTED", True),
]
identity = []
for n, (iid, inter_cn, cns, expected, forged) in enumerate(IDENTITY):
    inter_key, inter = intermediates[inter_cn]
    leaf = issue(leaf_name(*cns), inter.subject, leaf_key, stranger_key if forged else inter_key,
                 0x2023_0101_0000_0000_0000_0000_0000_0000 + n, False)
    identity.append({
        "id": iid,
        "description": f"issued by `{inter_cn}` to CN {cns}" + (" (signed by another key)" if forged else ""),
        "alipay_cert_pem": pem(leaf) + pem(inter),
        "expected": expected,
    })

out = {
    "provenance": (
        "Generated by tests/vectors/cert/armour.py: attacker key and self-signed certificate by "
        "Python cryptography (issuer and serial copied from the genuine Alipay certificate), "
        "signatures by `openssl dgst -sha256 -sign` (checked with Python cryptography), SNs by "
        "the JDK (SnOracle.java). `identity`: a test PKI named like Alipay's, by Python "
        "cryptography. The genuine certificates are real (real/*.crt). Nothing here "
        "comes from the crate under test."),
    "now_ms": NOW_MS,
    "root_bundle_pem": root_bundle,
    "genuine_cert_pem": genuine_text,
    "genuine_sn": genuine_sn,
    "attacker_cert_pem": attacker_pem,
    "notification": {
        "body": notification_body,
        "signed_content_v1": v1_content,
        "note": "signed by the attacker's key; alipay_cert_sn is the genuine SN",
    },
    "response": {
        "body": response_body,
        "method": "alipay.trade.query",
        "signed_content": response_value,
        "note": "signed by the attacker's key; alipay_cert_sn is the genuine SN",
    },
    "operations": {
        "public_key": "PublicKey::parse(text): OK or the code",
        "get_cert_sn": "get_cert_sn(text): the SN or the code",
        "verify_cert_chain": "verify_cert_chain(text, root_bundle_pem, now_ms)",
        "check_alipay_certificate": "check_alipay_certificate(text, root_bundle_pem, now_ms)",
        "verify_with_root": "verify(notification.body, key from text, { alipayRootCert, now })",
        "verify_without_root": "verify(notification.body, key from text, {})",
        "verify_response": "verify_response(response.body, key from text, method, RSA2)",
    },
    "cases": cases,
    "identity_root_bundle_pem": pem(id_root),
    "identity": identity,
}
with open(os.path.join(HERE, "armour.json"), "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(f"armour.json: {len(cases)} cases, {len(identity)} identity cases")
