#!/usr/bin/env python3
"""Independent check of requests.json with Python `cryptography` (no Node, no alipay-sdk):

- rebuilds every string to sign from the captured bytes alone (v3: authorization header, method,
  request-target, body, app-auth-token header; v2: query string + form body decoded with
  urllib.parse, sign and empty values left out, sorted by key) and compares it with the recorded one;
- verifies every captured sign (v3 `Authorization: … sign=`, v2 `sign`) with the app public key
  (keys/app-public.pem, and the key inside the app certificate in cert mode);
- re-signs each string with the app private key (RSASSA-PKCS1-v1_5 / SHA-256) and asserts the
  signature is byte-identical to alipay-sdk's;
- verifies the recorded responses with the "Alipay" public key (v3 headers, v2 raw JSON text);
- recomputes the certificate SNs with a second formula (cryptography's RFC 4514 rendering) and
  compares them with keys/sn.json and with the values alipay-sdk computed;
- checks the matrix is complete and the v2 timestamps are GMT+8.

    python3 tests/vectors/openapi/verify.py
"""

import base64
import datetime as dt
import hashlib
import json
import os
import sys
from urllib.parse import parse_qsl, urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "keys")


def read(name, mode="r"):
    with open(os.path.join(KEYS, name), mode) as f:
        return f.read()


def certs(name):
    return x509.load_pem_x509_certificates(read(name, "rb"))


def sn(c):
    # rfc4514_string() writes the most specific RDN first, as Alipay's SDKs do; equal to Java's
    # getName() for plain names like these (no escapes, no emailAddress).
    return hashlib.md5((c.issuer.rfc4514_string() + str(c.serial_number)).encode()).hexdigest()


def rsa_signed(c):
    return c.signature_algorithm_oid.dotted_string.startswith("1.2.840.113549.1.1")


def verify(pub, text, sig_b64):
    try:
        pub.verify(base64.b64decode(sig_b64, validate=True), text.encode("utf-8"),
                   padding.PKCS1v15(), hashes.SHA256())
        return True
    except InvalidSignature:
        return False


def sign(priv, text):
    return base64.b64encode(priv.sign(text.encode("utf-8"), padding.PKCS1v15(),
                                      hashes.SHA256())).decode()


def same_key(a, b):
    fmt = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return a.public_bytes(*fmt) == b.public_bytes(*fmt)


def pairs(text):
    return [list(p) for p in parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text),
                                       encoding="utf-8", errors="strict")]


def raw_value(body, key):
    """The exact text of the JSON object after "key": (brace matching, strings and escapes tracked)."""
    start = body.index(f'"{key}"')
    i = body.index("{", start + len(key) + 2)
    depth, in_str, esc = 0, False, False
    for j in range(i, len(body)):
        ch = body[j]
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return body[i:j + 1]
    raise ValueError("unbalanced JSON")


def gmt8(ms):
    t = dt.datetime.fromtimestamp(ms / 1000, dt.timezone(dt.timedelta(hours=8)))
    return t.strftime("%Y-%m-%d %H:%M:%S")


def main():
    with open(os.path.join(HERE, "requests.json"), encoding="utf-8") as f:
        doc = json.load(f)
    sn_json = json.loads(read("sn.json"))
    cfg = doc["config"]

    app_pub = serialization.load_pem_public_key(read("app-public.pem", "rb"))
    app_pub_bare = serialization.load_der_public_key(base64.b64decode(read("app-public.txt")))
    app_priv = serialization.load_pem_private_key(read("app-private-pkcs1.pem", "rb"), None)
    alipay_pub = serialization.load_pem_public_key(read("alipay-public.pem", "rb"))
    assert same_key(app_pub, app_pub_bare) and same_key(app_pub, app_priv.public_key())

    app_cert = certs(f"appCertPublicKey_{cfg['appId']}.crt")[0]
    alipay_cert = certs("alipayCertPublicKey_RSA2.crt")[0]
    root = certs("alipayRootCert.crt")
    assert same_key(app_cert.public_key(), app_pub), "app certificate holds the app key"
    assert same_key(alipay_cert.public_key(), alipay_pub), "Alipay certificate holds the Alipay key"
    sns = {"app_cert_sn": sn(app_cert), "alipay_cert_sn": sn(alipay_cert),
           "alipay_root_cert_sn": "_".join(sn(c) for c in root if rsa_signed(c))}
    for k, v in sns.items():
        assert v == sn_json[k] == cfg["sn"]["python"][k] == cfg["sn"]["alipaySdk"][k], k

    seen = set()
    checked = {"v3": 0, "v2": 0}
    for c in doc["cases"]:
        cid, r, inp = c["id"], c["request"], c["input"]
        h = r["headers"]
        token = inp["appAuthToken"]
        cert = c["mode"] == "cert"
        if c["protocol"] == "v3":
            auth = h["authorization"]
            prefix = "ALIPAY-SHA256withRSA "
            assert auth.startswith(prefix), cid
            auth_string, sep, sig = auth[len(prefix):].rpartition(",sign=")
            assert sep, cid
            fields = dict(p.split("=", 1) for p in auth_string.split(","))
            expect = {"app_id": cfg["appId"], "nonce": inp["nonce"], "timestamp": str(inp["timestampMs"])}
            if cert:
                expect = {"app_id": cfg["appId"], "app_cert_sn": sns["app_cert_sn"], **expect}
            assert fields == expect and list(fields) == list(expect), cid
            assert h.get("alipay-app-auth-token") == token, cid
            assert h.get("alipay-root-cert-sn") == (sns["alipay_root_cert_sn"] if cert else None), cid
            assert h["alipay-request-id"] == inp["nonce"].replace("-", ""), cid
            text = f"{auth_string}\n{r['method']}\n{r['target']}\n{r['body']}\n"
            if "alipay-app-auth-token" in h:
                text += h["alipay-app-auth-token"] + "\n"
            if r["method"] == "GET":
                assert r["body"] == "" and "content-type" not in h, cid
            else:
                assert h["content-type"] == "application/json", cid
                assert json.loads(r["body"]) == inp["params"], cid
        else:
            url = urlsplit(r["target"])
            assert r["method"] == "POST" and url.path == "/gateway.do", cid
            assert h["content-type"].startswith("application/x-www-form-urlencoded"), cid
            query, form = pairs(url.query), pairs(r["body"])
            assert query == r["query"] and form == r["form"], cid
            params = {}
            for k, v in query + form:
                assert k not in params, f"{cid}: duplicate {k}"
                params[k] = v
            assert params == r["params"], cid
            sig = params["sign"]
            text = "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "sign" and params[k] != "")
            assert params["timestamp"] == inp["v2Timestamp"] == gmt8(inp["timestampMs"]), cid
            assert params.get("app_auth_token") == token, cid
            assert params.get("app_cert_sn") == (sns["app_cert_sn"] if cert else None), cid
            assert params.get("alipay_root_cert_sn") == (sns["alipay_root_cert_sn"] if cert else None), cid
            assert json.loads(params["biz_content"]) == inp["params"], cid
            assert params["method"] == c["alipayMethod"] and params["app_id"] == cfg["appId"], cid
        assert text == c["stringToSign"], f"{cid}: string to sign differs"
        assert sig == c["sign"], cid
        assert verify(app_pub, text, sig), f"{cid}: sign does not verify"
        if cert:
            assert verify(app_cert.public_key(), text, sig), cid
        assert sign(app_priv, text) == sig, f"{cid}: re-signed value differs"

        resp = c["response"]
        if c["protocol"] == "v3":
            rh = resp["headers"]
            content = f"{rh['alipay-timestamp']}\n{rh['alipay-nonce']}\n{resp['body']}\n"
            assert rh.get("alipay-sn") == (sns["alipay_cert_sn"] if cert else None), cid
            rsig = rh["alipay-signature"]
        else:
            key = c["alipayMethod"].replace(".", "_") + "_response"
            content = raw_value(resp["body"], key)
            body = json.loads(resp["body"])
            assert body.get("alipay_cert_sn") == (sns["alipay_cert_sn"] if cert else None), cid
            rsig = body["sign"]
        assert content == resp["signedContent"], cid
        assert verify(alipay_pub, content, rsig), f"{cid}: response signature"

        seen.add((c["api"], c["protocol"], c["mode"], c["withAppAuthToken"]))
        checked[c["protocol"]] += 1

    apis = {c["api"] for c in doc["cases"]}
    assert len(apis) == 10, apis
    expected = {(a, p, m, t) for a in apis for p in ("v3", "v2") for m in ("key", "cert")
                for t in (False, True) if not (a == "orderUpgrade" and p == "v3")}
    assert seen == expected and len(doc["cases"]) == len(expected) == 76, "matrix incomplete"
    print(f"verify.py: {len(doc['cases'])} cases OK ({checked['v3']} v3, {checked['v2']} v2): "
          "strings to sign rebuilt, signs verified and re-signed byte-identically, responses verified, "
          "SNs agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
