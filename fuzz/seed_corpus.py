#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz corpus (fuzz/corpus/<target>/seed-*).

Seeds come from the project's own vectors: the notification vectors (tests/vectors/notifications),
the real Alipay notifications (tests/vectors/real), the documentation sample (tests/vectors/doc),
keys and certificates (tests/vectors/*), plus hand-written malformed cases. Files the fuzzer
found (named by their SHA-1) are left alone. Deterministic; run from anywhere:

    python3 fuzz/seed_corpus.py
"""

import base64
import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
VECTORS = ROOT / "tests" / "vectors"

BODY_TARGETS = ["form_parse", "parse", "verify", "inspect"]

# Bodies no vector has: malformed forms, pasting hazards, odd shapes.
MALFORMED_BODIES = [
    b"",
    b"%",
    b"%4",
    b"a=%zz",
    b"a=%4g",
    b"=x",
    b"&&&=&",
    b"?&&&=&",
    b"a=1&a=2",
    b"a=1&%61=2",
    b"a=1&b=2&a",
    b"a",
    b"a==b=c",
    b"a=+%2B+",
    b"a=%2541",
    b"a=%25%32%35",
    b"\r\n\r\na=1\r\n",
    b"https://isv.example.com/gateway?a=1&b=2#frag",
    b"HTTPS://isv.example.com/gateway",
    b"http://x/?",
    b"notify_type=servicemarket_order_notify&sign=a b&sign_type=RSA2",
    b"notify_type=servicemarket_order_notify\xc2\xacify_id=1&sign=AAAA&sign_type=RSA2",
    b"a=1\xacify_id=2",
    b"charset=latin1&sign=AAAA&sign_type=RSA2",
    b"charset=GBK&title=%D6%D0&sign=AAAA&sign_type=RSA2",
    b"charset=UTF-8&title=%D6%D0&sign=AAAA&sign_type=RSA2",
    b"charset=&a=1",
    b"biz_content=%7B&sign=AAAA&sign_type=RSA2",
    b"biz_content=%5B%5D&sign=AAAA&sign_type=RSA2",
    b"biz_content=+&sign=AAAA&sign_type=RSA2",
    b"sign=&sign_type=RSA2",
    b"sign=====&sign_type=RSA2",
    b"sign=AAAA&sign_type=SM2",
    b"sign=AAAA&sign_type=",
    b"sign_type=RSA",
    b"msg_method=alipay.open.servicemarket.order.change.notify&biz_content="
    b"%7B%22status%22%3A%22MERCHANT_CHECKING%22%2C%22operate_time%22%3A"
    b"%2299999999999999999999-01-01+00%3A00%3A00%22%7D",
    b"msg_method=alipay.open.servicemarket.order.change.notify&biz_content="
    b"%7B%22status%22%3A%22WAIT_FOR_PAYMENT%22%2C%22order_time%22%3A%229999-12-31+23%3A59%3A59%22%7D",
    b"notify_type=open_app_auth_notify&biz_content=%7B%22detail%22%3A%7B%22expires_in%22%3A"
    b"99999999999999999999999%2C%22auth_time%22%3A%22-1%22%7D%7D",
    b"utc_timestamp=-9223372036854775808&notify_time=0000-01-01+00%3A00%3A00",
    b"\x00\xff\xfe%00%FF",
]


def write(target: str, name: str, data: bytes) -> None:
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / f"seed-{name}").write_bytes(data)


def slug(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", s).strip("-")[:80]


def pem_der(text: str) -> bytes:
    body = re.sub(r"-----[^-]+-----", "", text)
    return base64.b64decode("".join(body.split()))


def main() -> None:
    vectors = json.loads((VECTORS / "notifications" / "vectors.json").read_text("utf-8"))["vectors"]
    real = [
        json.loads(p.read_text("utf-8"))
        for p in sorted((VECTORS / "real").glob("notify-*.json"))
    ]

    # Bodies: every distinct vector body, the real notifications, the doc sample, the malformed.
    bodies: dict[bytes, str] = {}
    for v in vectors:
        if isinstance(v["body"], str):
            bodies.setdefault(v["body"].encode(), v["id"])
    for r in real:
        bodies.setdefault(r["derived_form_body"]["body"].encode(), r["id"])
    bodies.setdefault((VECTORS / "doc" / "order-notify-2020.txt").read_bytes(), "doc-order-notify-2020")
    for b in MALFORMED_BODIES:
        bodies.setdefault(b, "malformed-" + hashlib.sha1(b).hexdigest()[:10])
    for target in BODY_TARGETS:
        for body, name in bodies.items():
            write(target, slug(name), body)

    # Keys: every key text the vectors paste (PEM, base64, private keys, garbage), their DER,
    # the real Alipay keys, certificates, and Wycheproof's DER keys.
    keys: dict[bytes, str] = {}
    for v in vectors:
        keys.setdefault(v["key"].encode(), "key-" + v["keyFormat"] + "-" + hashlib.sha1(v["key"].encode()).hexdigest()[:8])
    for r in real:
        keys.setdefault(r["alipay_public_key"].encode(), "real-" + slug(r["id"]))
    for p in sorted((VECTORS / "notifications" / "keys").glob("*-public.pem")):
        keys.setdefault(pem_der(p.read_text()), "der-" + p.stem)
    for p in sorted((VECTORS / "cert" / "real").glob("*.crt"))[:2]:
        keys.setdefault(p.read_bytes(), "cert-" + slug(p.stem))
    for size in (1024, 3072):
        w = json.loads((VECTORS / "wycheproof" / f"rsa_pkcs1_{size}_sig_gen_test.json").read_text())
        keys.setdefault(bytes.fromhex(w["testGroups"][0]["keyDer"]), f"wycheproof-der-{size}")
    for extra in [b"", b"x", b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
                  b"-----BEGIN RSA PUBLIC KEY-----\n-----END RSA PUBLIC KEY-----",
                  b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----",
                  b"\x30\x82\xff\xff", b"\x30\x80\x02\x01\x00"]:
        keys.setdefault(extra, "junk-" + hashlib.sha1(extra).hexdigest()[:10])
    for data, name in keys.items():
        write("public_key", slug(name), data)

    # Options: every option object the vectors use, and values at the edges.
    options = {json.dumps(v["options"], sort_keys=True).encode() for v in vectors}
    options |= {
        b"", b"null", b"[]", b"\"x\"", b"5", b"{", b"{\"now\":-9223372036854775808,\"maxAgeSeconds\":1}",
        b"{\"now\":9223372036854775807,\"maxAgeSeconds\":18446744073709551615}",
        b"{\"now\":1e300,\"maxAgeSeconds\":1}", b"{\"maxAgeSeconds\":1.5,\"now\":0}",
        b"{\"charset\":\"gb18030\",\"signType\":\"RSA\"}", b"{\"appId\":\"\"}",
        b"{\"variant\":null,\"signTypes\":[\"RSA\",\"RSA\",\"RSA2\"]}", b"{\"now\":{\"$invalid\":\"function\"}}",
    }
    for o in sorted(options):
        write("verify_options", hashlib.sha1(o).hexdigest()[:12], o)

    # Certificate texts: the PEM-armour bypass cases (look-alike blocks before Alipay's genuine
    # file) and their controls, the identity PKI, every real certificate and bundle, the real
    # application certificate with its Class 1 R1 intermediate, the generated chains, and
    # armour fragments.
    certs: dict[bytes, str] = {}
    armour = json.loads((VECTORS / "cert" / "armour.json").read_text("utf-8"))
    for c in armour["cases"]:
        certs.setdefault(c["text"].encode(), c["id"])
    for c in armour["identity"]:
        certs.setdefault(c["alipay_cert_pem"].encode(), "identity-" + c["id"])
    real_certs = json.loads((VECTORS / "cert" / "real" / "cert-sn-vectors.json").read_text("utf-8"))["vectors"]
    for i, v in enumerate(real_certs):
        certs.setdefault(v["pem"].encode(), f"real-{i}-" + v["file_role"].split(" (")[0])
    class_1 = real_certs[9]["pem"].split("-----END CERTIFICATE-----")[1] + "-----END CERTIFICATE-----\n"
    certs.setdefault((real_certs[10]["pem"] + "\n" + class_1.strip() + "\n").encode(), "real-app-cert-with-class-1")
    generated = json.loads((VECTORS / "cert" / "generated.json").read_text("utf-8"))
    for c in generated["chain"]:
        certs.setdefault(c["alipay_cert_pem"].encode(), "chain-" + c["id"])
    for extra in [b"", b"-", b"--", b"-----BEGIN CERTIFICATE-----", b"-----END CERTIFICATE-----",
                  b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----",
                  b"-----BEGIN CERTIFICATE----- MAA= -----END CERTIFICATE----------BEGIN CERTIFICATE-----",
                  b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END RSA PRIVATE KEY-----",
                  b"MIIB\r\n", b"\x00\xff-----BEGIN \xe2\x80\x94-----"]:
        certs.setdefault(extra, "fragment-" + hashlib.sha1(extra).hexdigest()[:10])
    for data, name in certs.items():
        write("certificate", slug(name), data)

    # Gateway responses: the real ones, the generated ones (signed by the test certificate), the
    # v3 vectors as `timestamp\nnonce\nsignature\nbody`, and hand-written JSON edge cases —
    # repeated top-level keys (also escaped, also far apart), what `serde_json` refuses, many keys.
    responses: dict[bytes, str] = {}
    upload = json.loads((VECTORS / "cert" / "real" / "sync-response-alipay-open-file-upload.json").read_text("utf-8"))
    upload_body = upload["raw_response_body"]
    responses.setdefault(upload_body.encode(), "real-file-upload")
    gopay = json.loads((VECTORS / "cert" / "real" / "sync-response-trade-query-gopay.json").read_text("utf-8"))
    gopay_body = json.dumps({"alipay_trade_query_response": "@", "sign": gopay["sign"]}, separators=(",", ":"))
    responses.setdefault(gopay_body.replace('"@"', gopay["signed_content"]).encode(), "real-trade-query")
    for r in generated["response"]:
        responses.setdefault(r["body"].encode(), "generated-" + r["id"])
    for r in generated["v3_response"]:
        v3 = "\n".join([r["timestamp"], r["nonce"], r["signature"], r["body"]])
        responses.setdefault(v3.encode(), "v3-" + r["id"])
    many = upload_body[:-1] + "".join(f',"k{i}":{i}' for i in range(3000))
    deep = "[" * 200 + "]" * 200
    for name, data in [
        ("empty", ""), ("empty-object", "{}"), ("array", "[]"), ("null", "null"), ("open", "{"),
        ("repeated", '{"a":1,"a":2}'),
        ("repeated-escaped-sign", upload_body.replace('"sign"', '"\\u0073ign":"AA==","sign"', 1)),
        ("repeated-response-key", upload_body.replace("{", '{"alipay_open_file_upload_response":{},', 1)),
        ("many-keys", many + "}"),
        ("many-keys-repeat-last", many + ',"k0":0}'),
        ("lone-surrogate-key", '{"\\ud800":1,' + upload_body[1:]),
        ("lone-surrogate-value", upload_body[:-1] + ',"x":"\\udc00"}'),
        ("number-out-of-range", upload_body[:-1] + ',"x":1e400}'),
        ("control-character", upload_body[:-1] + ',"x":"\u0001"}'),
        ("bom", "\ufeff" + upload_body),
        ("trailing", upload_body + " x"),
        ("deep", '{"alipay_trade_query_response":' + deep + ',"sign":"AA=="}'),
        ("error-response", '{"error_response":{"code":"40002","msg":"Invalid Arguments"},"sign":"AA=="}'),
        ("both-keys", '{"alipay_trade_query_response":{},"error_response":{},"sign":"AA=="}'),
        ("sign-number", '{"alipay_trade_query_response":{},"sign":1}'),
        ("cert-sn-number", upload_body[:-1] + ',"alipay_cert_sn":7}'),
        ("sign-spaces", upload_body.replace("F+LD", "F LD", 1)),
        ("spaced", upload_body.replace(":", " : ").replace(",", " ,\n\t")),
    ]:
        responses.setdefault(data.encode(), name)
    for data, name in responses.items():
        write("verify_response", slug(name), data)

    # OpenAPI answers (`status\ntimestamp\nnonce\nsignature\nalipay-sn\nbody`): signed by the
    # OpenAPI vectors' throw-away Alipay key, so some verify; then each broken one way.
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    keys_dir = VECTORS / "openapi" / "keys"
    alipay = serialization.load_pem_private_key((keys_dir / "alipay-private-pkcs8.pem").read_bytes(), None)
    sn = json.loads((keys_dir / "sn.json").read_text("utf-8"))["alipay_cert_sn"]

    def rsa2(text: str) -> str:
        return base64.b64encode(alipay.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()

    def v3(status: int, body: str, ts: str = "1735747200123", nonce: str = "n0nce", sign: str | None = None,
           alipay_sn: str = "") -> bytes:
        sig = rsa2(f"{ts}\n{nonce}\n{body}\n") if sign is None else sign
        return f"{status}\n{ts}\n{nonce}\n{sig}\n{alipay_sn}\n{body}".encode()

    def v2(method: str, inner: str, sign: bool = True, extra: str = "") -> bytes:
        key = method.replace(".", "_") + "_response"
        tail = f',"sign":"{rsa2(inner)}"' if sign else ""
        return f'200\n\n\n\n\n{{"{key}":{inner}{extra}{tail}}}'.encode()

    query = '{"commodity_id":"2019","status":"MERCHANT_ORDED","order_items":[{"shop_id":"s1","order_status":"TO_DO"}]}'
    replies = {
        "v3-ok": v3(200, query),
        "v3-ok-sn": v3(200, query, alipay_sn=sn),
        "v3-wrong-sn": v3(200, query, alipay_sn="0" * 32),
        "v3-empty-signed": v3(200, ""),
        "v3-empty-unsigned": v3(200, "", sign=""),
        "v3-unsigned": v3(200, query, sign=""),
        "v3-tampered": v3(200, query).replace(b"TO_DO", b"DONE!"),
        "v3-error": v3(400, '{"code":"ORDER_NOT_EXIST","message":"订单不存在","links":[{"link":"x","desc":"y"}]}'),
        "v3-error-unsigned": v3(400, '{"code":"ORDER_NOT_EXIST","message":"x"}', sign=""),
        "v3-401": v3(401, '{"code":"invalid-signature","message":"验签出错"}', sign=""),
        "v3-html-502": v3(502, "<html>bad gateway</html>", sign=""),
        "v3-not-json": v3(200, "not json"),
        "v3-not-utf8": b"200\n1\nn\nAA==\n\n\xff\xfe",
        "v3-no-timestamp": v3(200, query, ts=""),
        "v3-null-signature": v3(200, query, sign="null"),
        "v3-bad-base64": v3(200, query, sign="%%%"),
        "v2-ok": v2("alipay.open.servicemarket.order.query", '{"code":"10000","msg":"Success","status":"MERCHANT_ORDED"}'),
        "v2-ok-sn": v2("alipay.open.servicemarket.order.query", '{"code":"10000","msg":"Success"}', extra=f',"alipay_cert_sn":"{sn}"'),
        "v2-business-error": v2("alipay.open.servicemarket.order.query", '{"code":"40004","msg":"Business Failed","sub_code":"ORDER_NOT_EXIST","sub_msg":"订单不存在"}'),
        "v2-unsigned-error": v2("alipay.open.servicemarket.order.query", '{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature"}', sign=False),
        "v2-unsigned-success": v2("alipay.open.servicemarket.order.query", '{"code":"10000","msg":"Success"}', sign=False),
        "v2-escaped-slash": v2("alipay.open.file.upload", '{"code":"10000","msg":"Success","url":"https:\\/\\/x"}'),
        "v2-error-response": b'200\n\n\n\n\n{"error_response":{"code":"40002","msg":"Invalid Arguments"},"sign":"AA=="}',
        "garbage": b"\n\n\n\n\n\n\n",
        "status-only": b"999",
        "empty": b"",
    }
    for name, data in replies.items():
        write("openapi_reply", name, data)

    # Private keys: every committed app key form (PKCS#1/#8, PEM, bare, wrapped, CRLF), their
    # DER, the .env form, public keys and certificates passed by mistake, and junk.
    private: dict[bytes, str] = {}
    for p in sorted(keys_dir.glob("*private*")) + sorted(keys_dir.glob("app-p*")) + sorted(keys_dir.glob("*.crt"))[:2]:
        private.setdefault(p.read_bytes(), slug(p.name))
    pkcs8 = (keys_dir / "app-private-pkcs8.pem").read_text()
    private.setdefault(pkcs8.replace("\n", "\\n").encode(), "env-escaped-pkcs8")
    private.setdefault(pem_der(pkcs8), "der-pkcs8")
    private.setdefault(pem_der((keys_dir / "app-private-pkcs1.pem").read_text()), "der-pkcs1")
    for extra in [b"", b"x", b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
                  b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END RSA PRIVATE KEY-----",
                  b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----",
                  b"\x30\x82\xff\xff", b"\x30\x03\x02\x01\x00", b"MIIE" + b"A" * 100]:
        private.setdefault(extra, "junk-" + hashlib.sha1(extra).hexdigest()[:10])
    for data, name in private.items():
        write("private_key", name, data)

    # Lifecycle JSON: every event type, states at each status, `[state, event]` pairs, and the
    # shapes the readers must refuse.
    events = [
        {"type": "orderNotified", "id": "n1", "atMs": 1735747200000, "orderTimeMs": 1735747100000},
        {"type": "statusChanged", "id": "n2", "atMs": 1735747300000, "status": "ISV_ACCEPTED"},
        {"type": "statusChanged", "id": "n3", "atMs": 1735747400000, "status": "MERCHANT_CANCELLED"},
        {"type": "renewalNotified", "id": "n4", "atMs": 1735747500000},
        {"type": "authorizationNotified", "id": "n5", "atMs": 1735747600000, "granted": True},
        {"type": "accepted", "id": "c1", "atMs": 1735747700000},
        {"type": "rejected", "id": "c2", "atMs": 1735747700000},
        {"type": "itemCompleted", "id": "c3", "atMs": 1735747800000, "item": "s1"},
        {"type": "itemCancelled", "id": "c4", "atMs": 1735747800000, "item": "s1"},
        {"type": "itemConfirmed", "id": "c5", "atMs": 1735747900000, "item": "s1"},
        {"type": "queried", "id": "q1", "atMs": 1735748000000, "status": "MERCHANT_CHECKING", "items": {"s1": "TO_CONFIRM"}},
        {"type": "queried", "id": "q2", "atMs": 1735748000000, "status": None, "items": {}},
    ]
    states = [
        None, {},
        {"status": "MERCHANT_ORDED", "statusAtMs": 1735747200000, "orderedAtMs": 1735747100000, "items": {}, "authorized": False, "applied": ["n1"]},
        {"status": "ISV_ACCEPTED", "statusAtMs": 1735747300000, "orderedAtMs": 1735747100000, "items": {"s1": "DOING"}, "authorized": True, "applied": ["n1", "n2"]},
        {"status": "DONE", "statusAtMs": 9e15, "orderedAtMs": None, "items": {}, "authorized": True, "applied": []},
    ]
    for i, e in enumerate(events):
        write("lifecycle_json", f"event-{i}-{e['type']}", json.dumps(e).encode())
        for j, st in enumerate(states):
            write("lifecycle_json", f"pair-{i}-{j}", json.dumps([st, e]).encode())
    for name, data in [
        ("not-json", b"{"), ("number", b"5"), ("array3", b"[1,2,3]"),
        ("unknown-type", b'{"type":"x","id":"a","atMs":1}'), ("no-id", b'{"type":"accepted","atMs":1}'),
        ("ms-float", b'{"type":"accepted","id":"a","atMs":1.5}'), ("ms-huge", b'{"type":"accepted","id":"a","atMs":1e300}'),
        ("ms-negative", b'{"type":"accepted","id":"a","atMs":-9223372036854775808}'),
        ("status-unknown", b'{"type":"statusChanged","id":"a","atMs":1,"status":"NOPE"}'),
        ("items-not-strings", b'[{"items":{"a":1}},{"type":"accepted","id":"a","atMs":1}]'),
        ("applied-huge", json.dumps([{"applied": [str(i) for i in range(5000)]}, events[0]]).encode()),
    ]:
        write("lifecycle_json", name, data)
    request_seeds()


def request_seeds() -> None:
    """inspect_request: alipay-sdk's captured requests as a proxy log shows them, as URLs and bare
    bodies, and hand-written broken pastes."""
    captured = json.loads((VECTORS / "openapi" / "requests.json").read_text())
    for case in captured["cases"]:
        r = case["request"]
        head = f"{r['method']} {r['target']} HTTP/1.1\r\n"
        headers = "".join(f"{k}: {v}\r\n" for k, v in r["headers"].items())
        write("inspect_request", slug(case["id"]), (head + headers + "\r\n" + r["body"]).encode())
        if case["protocol"] == "v2" and case["mode"] == "key":
            url = f"https://openapi.alipay.com{r['target']}\n\n{r['body']}"
            write("inspect_request", slug(case["id"] + "-url"), url.encode())
    for name, data in [
        ("empty", ""),
        ("bare-form", "app_id=1&sign=AAAA&sign_type=RSA2&timestamp=2025-01-02 09:00:00"),
        ("query", "?a=1&a=2"),
        ("bad-percent", "POST /gateway.do?a=%zz HTTP/1.1\n\nb=1"),
        ("no-blank-line", "GET /v3/x?a=1\nauthorization: ALIPAY-SHA256withRSA app_id=1,sign=\n{}"),
        ("bad-scheme", "GET /v3/x\nauthorization: Bearer abc"),
        ("no-sign", "POST /v3/x\nauthorization: ALIPAY-SHA256withRSA app_id=1,nonce=n,timestamp=1\n\n{}"),
        ("deep-body", "POST /v3/x\nauthorization: ALIPAY-SHA256withRSA a=1,sign=AAAA\n\n" + "[" * 300 + "]" * 300),
        ("lower-method", "get https://h.example/v3/x?b=2 HTTP/2\nHost: h.example\n\n"),
        ("url-only-host", "http://127.0.0.1:8080"),
        ("bad-timestamp", "timestamp=2025-13-45 99:99:99&sign=AAAA"),
        ("many-headers", "GET /v3/x\n" + "h: v\n" * 250),
    ]:
        write("inspect_request", slug(name), data.encode())


if __name__ == "__main__":
    main()
