#!/usr/bin/env python3
"""Writes tests/vectors/openapi/keys/: TEST-ONLY keys and certificates for the OpenAPI client
vectors (see README.md). Made with Python `cryptography`; nothing here comes from the code under
test or from alipay-sdk.

- The app key pair in every private-key form users have (reference openapi.md §7.1): PKCS#1 and
  PKCS#8, PEM and bare base64, one line or wrapped, LF or CRLF; the app public key as PEM SPKI,
  bare base64 SPKI and PEM PKCS#1.
- A throw-away "Alipay" key pair (the mock signs responses with it), a rotated one, and an
  unrelated key ("other": a signature by a key nobody configured).
- Certificate mode: a root bundle shaped like the real alipayRootCert.crt (RSA root, EC root,
  second RSA root), intermediates "Class 1 R1" (issues app certificates) and "Class 2 R1" (issues
  Alipay certificates), the app certificate, the Alipay certificate (leaf + intermediate, as Alipay
  ships it), a rotated Alipay certificate and a forged one (right names, wrong issuer key).
- sn.json: every certificate SN computed here, independently of alipay-sdk:
  md5_hex(issuer DN most-specific-first as "CN=…,OU=…,O=…,C=…" + decimal serial); the root SN
  joins the SNs of the RSA-signed certificates of the bundle with "_".

Keys are random: rerunning with --force writes new (equally valid) keys, after which
capture.mjs must be rerun. Without --force an existing keys/ folder is left alone.
    python3 tests/vectors/openapi/generate_keys.py [--force]
"""

import base64
import datetime as dt
import hashlib
import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "keys")
UTC = dt.timezone.utc

APP_ID = "2021000000000001"
APP_PID = "2088000000000001"
ALIPAY_PID = "2088000000000099"

# Short names as alipay-sdk (@fidm/x509) and Java write them; the names used here need no others.
SHORT = {NameOID.COUNTRY_NAME: "C", NameOID.ORGANIZATION_NAME: "O",
         NameOID.ORGANIZATIONAL_UNIT_NAME: "OU", NameOID.COMMON_NAME: "CN"}


def name(c=None, o=None, ou=None, cn=None):
    attrs = [(NameOID.COUNTRY_NAME, c), (NameOID.ORGANIZATION_NAME, o),
             (NameOID.ORGANIZATIONAL_UNIT_NAME, ou), (NameOID.COMMON_NAME, cn)]
    return x509.Name([x509.NameAttribute(oid, v) for oid, v in attrs if v is not None])


def ant(cn):
    return name("CN", "Ant Financial", "Certification Authority", cn)


def issue(subject, key, issuer, issuer_key, serial, ca, not_before, not_after, alg=None):
    pub = key.public_key()
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(pub)
         .serial_number(serial).not_valid_before(not_before).not_valid_after(not_after)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
             issuer_key.public_key()), critical=False))
    if ca:
        b = (b.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
             .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                          False), critical=True))
    else:
        b = b.add_extension(x509.KeyUsage(True, True, True, True, False, False, False, False,
                                          False), critical=True)
    return b.sign(issuer_key, alg or hashes.SHA256())


def d(y, m=1, day=1):
    return dt.datetime(y, m, day, tzinfo=UTC)


def pem(c):
    return c.public_bytes(serialization.Encoding.PEM).decode()


def wrap64(s):
    return "\n".join(s[i:i + 64] for i in range(0, len(s), 64))


def issuer_dn(c):
    """The issuer DN as Alipay's SDKs hash it: most specific RDN first, comma-joined."""
    parts = []
    for rdn in reversed(list(c.issuer.rdns)):
        for a in rdn:
            if a.oid not in SHORT:
                raise ValueError(f"no short name for {a.oid.dotted_string}")
            parts.append(f"{SHORT[a.oid]}={a.value}")
    return ",".join(parts)


def cert_sn(c):
    return hashlib.md5((issuer_dn(c) + str(c.serial_number)).encode("utf-8")).hexdigest()


def is_rsa_signed(c):
    return c.signature_algorithm_oid.dotted_string.startswith("1.2.840.113549.1.1")


def root_sn(certs):
    return "_".join(cert_sn(c) for c in certs if is_rsa_signed(c))


def write(fname, text):
    with open(os.path.join(KEYS, fname), "w", encoding="utf-8", newline="") as f:
        f.write(text)


def private_forms(prefix, key, all_forms):
    pk1 = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption()).decode()
    pk8 = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    write(f"{prefix}-private-pkcs8.pem", pk8)
    if not all_forms:
        return
    der1 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption())
    der8 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
    b1, b8 = base64.b64encode(der1).decode(), base64.b64encode(der8).decode()
    write(f"{prefix}-private-pkcs1.pem", pk1)
    write(f"{prefix}-private-pkcs1.txt", b1)                       # key tool "PKCS1(非Java适用)"
    write(f"{prefix}-private-pkcs8.txt", b8)                       # key tool "PKCS8(Java适用)"
    write(f"{prefix}-private-pkcs1-wrapped.txt", wrap64(b1) + "\n")
    write(f"{prefix}-private-pkcs8-wrapped.txt", wrap64(b8) + "\n")
    write(f"{prefix}-private-pkcs1-crlf.pem", pk1.replace("\n", "\r\n"))
    write(f"{prefix}-private-pkcs8-crlf.pem", pk8.replace("\n", "\r\n"))


def public_forms(prefix, key, all_forms):
    pub = key.public_key()
    spki = pub.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    write(f"{prefix}-public.pem", spki)
    der = pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    write(f"{prefix}-public.txt", base64.b64encode(der).decode())   # console form
    if all_forms:
        write(f"{prefix}-public-pkcs1.pem", pub.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.PKCS1).decode())


def main():
    if os.path.exists(os.path.join(KEYS, "sn.json")) and "--force" not in sys.argv:
        print("keys/ exists; pass --force to replace it (then rerun capture.mjs)")
        return
    os.makedirs(KEYS, exist_ok=True)

    def rsa_key():
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    app, alipay, rotated, other = rsa_key(), rsa_key(), rsa_key(), rsa_key()
    private_forms("app", app, True)
    public_forms("app", app, True)
    for prefix, key in (("alipay", alipay), ("alipay-rotated", rotated), ("other", other)):
        private_forms(prefix, key, False)
        public_forms(prefix, key, False)

    # The PKI. Names follow Alipay's real certificates; serials and keys are made up, so no SN
    # equals a real one.
    r1_key, e1_key, g2_key = rsa_key(), ec.generate_private_key(ec.SECP384R1()), rsa_key()
    r1_name = ant("Ant Financial Certification Authority R1")
    e1_name = ant("Ant Financial Certification Authority E1")
    g2_name = name("CN", "Test Trust Network", None, "Test RSA Root CA G2")
    r1 = issue(r1_name, r1_key, r1_name, r1_key, 0x1A2B3C4D5E6F7081, True, d(2018, 3, 21), d(2048))
    e1 = issue(e1_name, e1_key, e1_name, e1_key, 0x2B3C4D5E6F708192, True, d(2019, 4, 28), d(2049),
               hashes.SHA384())
    g2 = issue(g2_name, g2_key, g2_name, g2_key, 0x3C4D5E6F708192A3, True, d(2012, 7, 14), d(2042))
    c1_key, c2_key, forger = rsa_key(), rsa_key(), rsa_key()
    c1_name = ant("Ant Financial Certification Authority Class 1 R1")
    c2_name = ant("Ant Financial Certification Authority Class 2 R1")
    c1 = issue(c1_name, c1_key, r1_name, r1_key, 0x4D5E6F708192A3B4, True, d(2018, 3, 22), d(2037))
    c2 = issue(c2_name, c2_key, r1_name, r1_key, 0x5E6F708192A3B4C5, True, d(2018, 3, 22), d(2037))

    app_subject = name("CN", "杭州测试信息技术有限公司", "Alipay", f"{APP_PID}-{APP_ID}")
    alipay_subject = name("CN", "蚂蚁测试有限公司", "Alipay", f"支付宝(中国)网络技术有限公司-{ALIPAY_PID}")
    app_cert = issue(app_subject, app, c1_name, c1_key, 0x20240101A1B2C3D4E5F60718293A4B5C, False,
                     d(2024), d(2044))
    alipay_cert = issue(alipay_subject, alipay, c2_name, c2_key, 0x20240101F1E2D3C4B5A6978812345678,
                        False, d(2024), d(2044))
    rotated_cert = issue(alipay_subject, rotated, c2_name, c2_key, 0x20250601F1E2D3C4B5A6978887654321,
                         False, d(2025, 6), d(2045))
    forged_cert = issue(alipay_subject, rotated, c2_name, forger, 0x20250601F1E2D3C4B5A6978800000001,
                        False, d(2025, 6), d(2045))

    bundle = [r1, e1, g2]
    files = {
        "alipayRootCert.crt": bundle,
        "ca-class1-r1.crt": [c1],
        "ca-class2-r1.crt": [c2],
        f"appCertPublicKey_{APP_ID}.crt": [app_cert],
        "alipayCertPublicKey_RSA2.crt": [alipay_cert, c2],
        "alipayCertPublicKey_RSA2-rotated.crt": [rotated_cert, c2],
        "alipayCertPublicKey_RSA2-forged.crt": [forged_cert],
    }
    for fname, certs in files.items():
        write(fname, "".join(pem(c) for c in certs))

    def info(c, key_file):
        return {"issuer": issuer_dn(c), "serial": str(c.serial_number), "sn": cert_sn(c),
                "key": key_file}

    sn = {
        "algorithm": "md5_hex(issuer DN, most specific RDN first, 'CN=…,OU=…,O=…,C=…' + decimal "
                     "serial); root: SNs of the RSA-signed bundle certificates joined with '_'",
        "computed_by": f"Python cryptography {__import__('cryptography').__version__} (generate_keys.py)",
        "app_id": APP_ID,
        "app_cert_sn": cert_sn(app_cert),
        "alipay_cert_sn": cert_sn(alipay_cert),
        "alipay_root_cert_sn": root_sn(bundle),
        "certificates": {
            f"appCertPublicKey_{APP_ID}.crt": info(app_cert, "app-public.pem"),
            "alipayCertPublicKey_RSA2.crt": info(alipay_cert, "alipay-public.pem"),
            "alipayCertPublicKey_RSA2-rotated.crt": info(rotated_cert, "alipay-rotated-public.pem"),
            "alipayCertPublicKey_RSA2-forged.crt": info(forged_cert, "alipay-rotated-public.pem"),
            "ca-class1-r1.crt": info(c1, None),
            "ca-class2-r1.crt": info(c2, None),
        },
        "root_bundle": [dict(info(c, None), signature_algorithm=c.signature_algorithm_oid.dotted_string,
                             rsa_signed=is_rsa_signed(c)) for c in bundle],
    }
    write("sn.json", json.dumps(sn, ensure_ascii=False, indent=1) + "\n")
    print("wrote", KEYS)


if __name__ == "__main__":
    main()
