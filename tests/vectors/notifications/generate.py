#!/usr/bin/env python3
"""Generate tests/vectors/notifications/vectors.json.

Signatures come from Python `cryptography` (PKCS#1 v1.5; RSA2 = SHA-256, RSA = SHA-1), an
implementation independent of the crate under test. The output is deterministic given the
committed test keys in ./keys/ (PKCS#1 v1.5 signing is deterministic); keys are created only
when missing, i.e. once.

After writing the file, the script re-reads it and checks every vector independently of the
builder code: it re-parses each body with urllib.parse.parse_qsl (strict, blank values kept,
in the notification's charset), rebuilds the V1/V2 sign content from the decoded bytes and
verifies `sign` with the vector's own key text, so the set is self-consistent.

Run from the repository root:

    python3 tests/vectors/notifications/generate.py          # regenerate + check
    python3 tests/vectors/notifications/generate.py --check  # check the committed file only
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import hashlib
import json
import os
import platform
import random
import sys
import urllib.parse

import cryptography
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.backends.openssl.backend import backend as openssl_backend
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

HERE = os.path.dirname(os.path.abspath(__file__))
KEY_DIR = os.path.join(HERE, "keys")
OUT = os.path.join(HERE, "vectors.json")
COMMAND = "python3 tests/vectors/notifications/generate.py"

# name -> modulus bits. "alipay" models Alipay's signing key; "app" models the ISV's own app key
# that users paste by mistake instead of the Alipay public key.
KEY_SPECS = {"alipay": 2048, "app": 2048, "rsa1024": 1024, "rsa4096": 4096}
KEY_FILES = {"alipay": "alipay-rsa2048", "app": "app-rsa2048", "rsa1024": "test-rsa1024", "rsa4096": "test-rsa4096"}

KIND_ORDER = "servicemarket_order_notify"
KIND_CHANGE = "alipay.open.servicemarket.order.change.notify"
KIND_RENEW = "alipay.open.servicemarket.orderrenew.notify"
KIND_AUTH = "open_app_auth_notify"
DOCUMENTED_VARIANT = {KIND_ORDER: "v2", KIND_CHANGE: "v1", KIND_RENEW: "v1", KIND_AUTH: "v1"}

RSA_OPTS = {"signTypes": ["RSA2", "RSA"]}
BEIJING = dt.timezone(dt.timedelta(hours=8))


# --------------------------------------------------------------------------------------------
# keys


def load_keys() -> dict:
    os.makedirs(KEY_DIR, exist_ok=True)
    keys = {}
    for name, bits in KEY_SPECS.items():
        path = os.path.join(KEY_DIR, f"{KEY_FILES[name]}-private.pem")
        if not os.path.exists(path):
            # One-time creation; the committed files are what makes the output deterministic.
            print(f"creating test key {path}", file=sys.stderr)
            k = rsa.generate_private_key(public_exponent=65537, key_size=bits)
            pem = k.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            with open(path, "wb") as f:
                f.write(pem)
            pub = k.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            with open(os.path.join(KEY_DIR, f"{KEY_FILES[name]}-public.pem"), "wb") as f:
                f.write(pub)
        with open(path, "rb") as f:
            keys[name] = serialization.load_pem_private_key(f.read(), password=None)
        assert keys[name].key_size == bits, (name, keys[name].key_size)
    return keys


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def wrap(text: str, width: int = 64, nl: str = "\n") -> str:
    return nl.join(text[i : i + width] for i in range(0, len(text), width))


def public_key_text(priv, fmt: str, style: str = "plain") -> str:
    """The public key as a user would paste it, in one of the four accepted formats."""
    pub = priv.public_key()
    if fmt.startswith("spki"):
        der = pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        label = "PUBLIC KEY"
    else:
        der = pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
        label = "RSA PUBLIC KEY"
    body = b64(der)
    if fmt.endswith("base64"):
        if style == "wrapped":  # copied from a file with 64-column lines
            return wrap(body) + "\n"
        if style == "padded":  # stray whitespace around a console copy
            return "  " + body + " \n"
        return body  # the Alipay console form: one line
    nl = "\r\n" if style == "crlf" else "\n"
    text = f"-----BEGIN {label}-----{nl}{wrap(body, 64, nl)}{nl}-----END {label}-----"
    if style != "no-trailing-newline":
        text += nl
    return text


# --------------------------------------------------------------------------------------------
# form encoding and signing (the builder side)

SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-._")


def form_encode(data: bytes) -> str:
    """application/x-www-form-urlencoded, Java URLEncoder style: [A-Za-z0-9*-._] kept, space -> '+'."""
    out = []
    for c in data:
        if c in SAFE:
            out.append(chr(c))
        elif c == 0x20:
            out.append("+")
        else:
            out.append("%%%02X" % c)
    return "".join(out)


def encode_body(params) -> str:
    return "&".join(form_encode(k) + "=" + form_encode(v) for k, v in params)


def sign_content(params, variant: str, empty: str = "keep") -> bytes:
    items = []
    for k, v in params:
        if k == b"sign" or (variant == "v1" and k == b"sign_type"):
            continue
        if empty == "skip" and v == b"":
            continue
        items.append((k, v))
    items.sort(key=lambda kv: kv[0])
    return b"&".join(k + b"=" + v for k, v in items)


HASHES = {"RSA2": hashes.SHA256, "RSA": hashes.SHA1}


def rsa_sign(priv, sign_type: str, content: bytes) -> bytes:
    return priv.sign(content, padding.PKCS1v15(), HASHES[sign_type]())


def to_bytes(value, codec: str) -> bytes:
    return value if isinstance(value, bytes) else value.encode(codec)


# --------------------------------------------------------------------------------------------
# realistic field values

TITLES = [
    "麦禾商城模版",
    "金牛店长",
    "智慧餐厅扫码点餐小程序",
    "门店排队叫号",
    "会员营销·积分商城",
    "口碑外卖模板（专业版）",
    "美业预约小程序",
    "零售收银系统 标准版",
]
MERCHANTS = [
    "杭州西湖区张记面馆",
    "上海徐汇美发工作室",
    "北京朝阳区鲜果便利店",
    "成都锦江区老码头火锅",
    "广州天河区港式茶餐厅",
    "深圳南山区一点点奶茶",
    "技术支持测试的公司",
    "苏州观前街糕团店",
]
CONTACTORS = ["张伟", "王芳", "李娜", "刘洋", "陈静", "赵华杰", "方小姐", "周先生"]
BIZ_TYPES = ["排队", "商品管理", "点餐", "会员营销", "预约", "收银", "小程序模板"]
SPECS = ["套餐一", "基础版", "专业版（含硬件）", "旗舰版·年付", "标准版 3 个月"]
BUNDLES = ["1032", "1032,1096", "1032,1033,1034", "1032,1050,1051", "1053", "1032,1055,3727"]
CANCEL_MEMOS = {
    "MERCHANT": ["未按时实施", "商家主动取消：不需要了", "选错规格，重新下单"],
    "ISV": ["服务商无法实施，已与商家沟通", "门店不在服务范围内", "该门店暂无法实施完成"],
}
STATUSES = [
    "MERCHANT_ORDED",
    "WAIT_FOR_PAYMENT",
    "ISV_ACCEPTED",
    "MERCHANT_CHECKING",
    "CONFIRMED",
    "WAIT_FOR_SUBMIT_CONFIRM",
    "DONE",
    "MERCHANT_CANCELLED",
    "ISV_REJECTED",
    "ISV_CANCELLED",
]
CANCEL_BY = {"MERCHANT_CANCELLED": "MERCHANT", "ISV_REJECTED": "ISV", "ISV_CANCELLED": "ISV"}
AUTH_STATUSES = ["execute_auth", "update_auth", "cancel_auth"]

APP_ID = "2021004112345678"  # the ISV's app (receives the notifications)
BASE_TIME = dt.datetime(2024, 5, 20, 9, 30, 0, tzinfo=BEIJING)


def h(*parts) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def digits(seed, n: int) -> str:
    return str(int(h("d", seed), 16))[:n].rjust(n, "0")


def beijing(i: int, extra_seconds: int = 0) -> dt.datetime:
    return BASE_TIME + dt.timedelta(minutes=37 * i, seconds=extra_seconds + (i * 7) % 60)


def fmt_time(t: dt.datetime) -> str:
    return t.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def epoch_ms(t: dt.datetime) -> int:
    return calendar.timegm(t.astimezone(dt.timezone.utc).timetuple()) * 1000 + t.microsecond // 1000


def notify_id(i) -> str:
    return h("notify", i)[:30] + "gru" + "abcdefghijklmnopqrstuvwxyz0123456789"[int(h("n", i), 16) % 36]


def gateway_notify_id(t: dt.datetime, i) -> str:
    return t.strftime("%Y%m%d") + "00222" + digits(("gw", i), 21)


def order_fields(i: int, charset: str, sign_type: str, *, empties: int = 0, minimal: bool = False):
    """servicemarket_order_notify: business fields at top level plus the gateway envelope."""
    t = beijing(i)
    order_t = t - dt.timedelta(seconds=15 + i % 40)
    r = random.Random(f"order-{i}")
    f = [
        ("notify_type", KIND_ORDER),
        ("notify_id", gateway_notify_id(t, i)),
        ("notify_time", fmt_time(t)),
        ("sign_type", sign_type),
        ("app_id", APP_ID),
        ("charset", charset),
        ("method", "alipay.open.servicemarket.order.notify"),
        ("timestamp", fmt_time(t)),
        ("version", "1.0"),
        ("commodity_order_id", order_t.strftime("%Y%m%d") + digits(("co", i), 14)),
        ("order_time", fmt_time(order_t)),
        ("title", TITLES[i % len(TITLES)]),
        ("name", MERCHANTS[(i * 3) % len(MERCHANTS)]),
        ("merchant_pid", "2088" + digits(("pid", i), 12)),
        ("contactor", CONTACTORS[(i * 5) % len(CONTACTORS)]),
        ("phone", "1" + r.choice("3578") + digits(("ph", i), 9)),
        ("order_item_num", str(1 + i % 5)),
        ("total_price", ["0.00", "0.01", "99.00", "1280.00", "365.50"][i % 5]),
        ("biz_type", BIZ_TYPES[i % len(BIZ_TYPES)]),
    ]
    if not minimal:
        f += [
            ("item_code", "AM0" + digits(("ic", i), 17)),
            ("specifications", SPECS[i % len(SPECS)]),
            ("package_count", str([1, 1, 12, 1000][i % 4])),
            ("period_day", str([30, 90, 180, 365][i % 4])),
            ("order_ticket", order_t.strftime("%Y%m") + "BB" + h("ticket", i)[:30] + "D00"),
            ("service_code", digits(("sc", i), 8)),
            ("isv_ticket", h("isvticket", i)[:30]),
            ("consumer_miniAppId", "2021" + digits(("mini", i), 12)),
            ("merchant_shop_id", "2019081500502000000" + digits(("shop", i), 9)),
            ("miniapp_release_bundle", BUNDLES[i % len(BUNDLES)]),
        ]
    empty_order = ["isv_ticket", "merchant_shop_id", "consumer_miniAppId", "service_code"]
    for name in empty_order[:empties]:
        f = [(k, "" if k == name else v) for k, v in f]
    # Alipay's field order is not sorted; shuffle deterministically (sign is inserted later).
    r.shuffle(f)
    return f


def biz_json(obj, style: str) -> str:
    if style == "pretty":  # as in Alipay's page: one field per line, no indent
        return "{\n" + ",\n".join(
            json.dumps(k, ensure_ascii=False) + ":" + json.dumps(v, ensure_ascii=False, separators=(",", ":"))
            for k, v in obj.items()
        ) + "\n}"
    if style == "indent":
        return json.dumps(obj, ensure_ascii=False, indent=2)
    if style == "ascii":  # \uXXXX escapes (what some JSON writers produce)
        return json.dumps(obj, ensure_ascii=True, separators=(",", ":"))
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def change_fields(i: int, charset, sign_type: str, *, status: str | None = None, style="compact", biz=None):
    t = beijing(i)
    status = status or STATUSES[i % len(STATUSES)]
    order_t = t - dt.timedelta(days=1 + i % 3, seconds=i * 11)
    us = lambda x: x.strftime("%Y-%m-%d %H:%M:%S") + ".%06d" % (int(h("us", i, x), 16) % 1000000)
    obj = {
        "order_no": order_t.strftime("%Y%m%d") + "0000000" + digits(("ono", i), 9),
        "order_line_no": order_t.strftime("%Y%m%d") + "0000000" + digits(("oln", i), 9),
        "item_code": "AM0101010000001" + digits(("ic", i), 5),
        "order_time": us(order_t),
        "operate_time": us(t),
        "status": status,
    }
    if status in CANCEL_BY:
        who = CANCEL_BY[status]
        obj["cancel_memo"] = CANCEL_MEMOS[who][i % 3]
        obj["cancel_operator_type"] = who
    obj["cancel_time"] = us(t) if status in CANCEL_BY else ""
    f = []
    if charset is not None:
        f.append(("charset", charset))
    f += [
        ("biz_content", biz if biz is not None else biz_json(obj, style)),
        ("msg_method", KIND_CHANGE),
        ("utc_timestamp", str(epoch_ms(t))),
        ("version", "1.1"),
        ("sign_type", sign_type),
        ("notify_id", notify_id(("chg", i))),
        ("app_id", APP_ID),
    ]
    return f


def renew_fields(i: int, charset, sign_type: str, *, style="compact"):
    t = beijing(i)
    obj = {
        "wait_for_renew_order_count_30_day": str(int(digits(("ro", i), 4))),
        "wait_for_renew_merchant_count_30_day": str(1 + int(digits(("rm", i), 3)) % 120),
    }
    f = []
    if charset is not None:
        f.append(("charset", charset))
    f += [
        ("biz_content", biz_json(obj, style)),
        ("msg_method", KIND_RENEW),
        ("utc_timestamp", str(epoch_ms(t))),
        ("version", "1.1"),
        ("sign_type", sign_type),
        ("notify_id", notify_id(("renew", i))),
        ("app_id", APP_ID),
    ]
    return f


def auth_fields(i: int, charset, sign_type: str, *, style="compact", status=None):
    t = beijing(i)
    auth_app = "2021" + digits(("aa", i), 12)
    token_month = t.strftime("%Y%m")
    obj = {
        "notify_context": {
            "trigger": "mrchiscore" if i % 2 else "isvauth",
            "trigger_context": {"out_biz_no": t.strftime("%Y%m%d%H%M%S") + digits(("obn", i), 11)},
        },
        "detail": {
            "app_auth_token": token_month + "BB" + h("aat", i)[:32] + "X09",
            "user_id": "2088" + digits(("uid", i), 12),
            "re_expires_in": 32140800,
            "auth_time": epoch_ms(t) - 1000 * (i % 50) - 726,
            "app_refresh_token": token_month + "BB" + h("art", i)[:32] + "X09",
            "auth_app_id": auth_app,
            "app_id": APP_ID,
            "expires_in": 31536000,
            "app_auth_code": h("code", i)[:29] + "X09",
        },
        "error": {},
    }
    return [
        ("notify_id", gateway_notify_id(t, ("auth", i))),
        ("notify_type", KIND_AUTH),
        ("status", status or AUTH_STATUSES[i % 3]),
        ("notify_time", fmt_time(t)),
        ("charset", charset),
        ("version", "1.0"),
        ("app_id", APP_ID),
        ("auth_app_id", auth_app),
        ("sign_type", sign_type),
        ("biz_content", biz_json(obj, style)),
    ]


FIELDS = {KIND_ORDER: order_fields, KIND_CHANGE: change_fields, KIND_RENEW: renew_fields, KIND_AUTH: auth_fields}


# --------------------------------------------------------------------------------------------
# vector assembly


class Builder:
    def __init__(self, keys):
        self.keys = keys
        self.vectors = []
        self.ids = set()

    def add(
        self,
        vid: str,
        description: str,
        kind: str | None,
        fields,
        *,
        codec: str = "utf-8",
        charset_label: str | None = None,
        sign_type: str = "RSA2",
        signed_as: str | None = "v1",
        sign_key: str = "alipay",
        key: str | None = None,
        key_format: str = "spki-base64",
        key_name: str = "alipay",
        key_style: str = "plain",
        empty: str = "keep",
        sign_pos: str = "after-sign_type",
        sign_override: str | None = None,
        post=None,
        raw_body: str | None = None,
        body_type: str = "form",
        options: dict | None = None,
        expect: dict,
        signature_valid: bool | None = None,
        js_only: bool = False,
    ):
        assert vid not in self.ids, vid
        self.ids.add(vid)
        params = [(k.encode("ascii"), to_bytes(v, codec)) for k, v in fields]
        if raw_body is None:
            if signed_as is not None:
                sig = b64(rsa_sign(self.keys[sign_key], sign_type, sign_content(params, signed_as, empty)))
            else:
                sig = None
            if sign_override is not None:
                sig = sign_override
            if sig is not None:
                entry = (b"sign", sig.encode("ascii"))
                names = [k for k, _ in params]
                if sign_pos == "end" or b"sign_type" not in names:
                    params.append(entry)
                elif sign_pos == "start":
                    params.insert(0, entry)
                else:
                    params.insert(names.index(b"sign_type") + 1, entry)
            if post:
                params = post(params)
            body = encode_body(params)
            if post and getattr(post, "raw", None):
                body = post.raw(body)
        else:
            body = raw_body
        if body_type == "query":
            body = "?" + body
        elif body_type == "url":
            body = "https://isv.example.com/gateway?" + body
        if key is None:
            key = public_key_text(self.keys[key_name], key_format, key_style)
        v = {
            "id": vid,
            "description": description,
            "kind": kind,
            "charset": charset_label if charset_label is not None else "UTF-8",
            "signType": sign_type,
            "signedAs": signed_as,
            "keyFormat": key_format,
            "key": key,
            "bodyType": body_type,
            "body": body,
            "options": options or {},
            "expect": expect,
            "signatureValid": signature_valid,
        }
        if js_only:
            v["jsOnly"] = True
        self.vectors.append(v)
        return v


def ok(variant, sign_type, kind):
    return {"verified": True, "variant": variant, "signType": sign_type, "kind": kind}


def err(code):
    return {"error": code}


def replace_value(name: bytes, value: bytes):
    def post(params):
        hit = [k for k, _ in params if k == name]
        assert hit, name
        return [(k, value if k == name else v) for k, v in params]

    return post


def build(keys) -> list:
    B = Builder(keys)
    formats = ["spki-base64", "spki-pem", "pkcs1-pem", "pkcs1-base64"]
    styles = {  # a few whitespace variations users really paste
        ("spki-base64", 1): "padded",
        ("spki-pem", 2): "crlf",
        ("pkcs1-base64", 3): "wrapped",
        ("pkcs1-pem", 5): "no-trailing-newline",
    }
    charsets = [("UTF-8", "utf-8"), ("GBK", "gbk")]
    n = 0

    # ---- 1. the matrix: 4 kinds x 2 charsets x 2 sign types x 4 key formats = 64 positives
    short = {KIND_ORDER: "order", KIND_CHANGE: "change", KIND_RENEW: "renew", KIND_AUTH: "auth"}
    for kind in [KIND_ORDER, KIND_CHANGE, KIND_RENEW, KIND_AUTH]:
        j = 0
        for label, codec in charsets:
            for st in ["RSA2", "RSA"]:
                for fmt in formats:
                    n += 1
                    j += 1
                    style = styles.get((fmt, j % 8), "plain")
                    # wire label: mostly canonical, sometimes lower case as real gateways send it
                    wire_label = label.lower() if j in (3, 14) else label
                    extra = ""
                    if kind == KIND_ORDER:
                        variant = "v2" if (j + (j - 1) // 4) % 2 else "v1"
                        empties = 1 if j % 4 in (0, 1) else 0
                        fields = order_fields(n, wire_label, st, empties=empties, minimal=(j == 6))
                        if empties:
                            extra = ", isv_ticket empty (signed with the empty value kept)"
                    else:
                        variant = "v1"
                        biz_style = ["compact", "pretty", "indent", "compact"][j % 4]
                        fields = FIELDS[kind](n, wire_label, st, style=biz_style)
                        extra = f", biz_content {biz_style}"
                    vid = f"{short[kind]}-{label.lower()}-{st.lower()}-{fmt}-{variant}"
                    B.add(
                        vid,
                        f"{kind} {label}{' (declared ' + repr(wire_label) + ')' if wire_label != label else ''}, "
                        f"sign_type={st}, signed {variant.upper()}, key as {fmt}"
                        f"{' (' + style + ')' if style != 'plain' else ''}{extra}",
                        kind,
                        fields,
                        codec=codec,
                        charset_label=wire_label,
                        sign_type=st,
                        signed_as=variant,
                        key_format=fmt,
                        key_style=style,
                        sign_pos=["after-sign_type", "end", "start"][j % 3],
                        options=dict(RSA_OPTS) if st == "RSA" else {},
                        expect=ok(variant, st, kind),
                        signature_valid=True,
                    )

    # ---- 2. more positives
    def order(i, **kw):
        label = kw.pop("label", "UTF-8")
        st = kw.pop("st", "RSA2")
        return order_fields(i, label, st, **kw)

    B.add("order-utf-8-rsa2-v2-three-empties", "servicemarket_order_notify signed V2 with three empty values "
          "(isv_ticket, merchant_shop_id, consumer_miniAppId), empties kept in the signed content",
          KIND_ORDER, order(101, empties=3), signed_as="v2", expect=ok("v2", "RSA2", KIND_ORDER), signature_valid=True)
    B.add("order-gbk-rsa2-v1-two-empties", "servicemarket_order_notify GBK signed V1 with two empty values kept",
          KIND_ORDER, order(102, label="GBK", empties=2), codec="gbk", charset_label="GBK", signed_as="v1",
          expect=ok("v1", "RSA2", KIND_ORDER), signature_valid=True)
    B.add("order-v1-empties-skipped-option-skip", "Java-SDK style: signed V1 with empty values SKIPPED; verifies "
          "with options emptyValues=skip",
          KIND_ORDER, order(103, empties=2), signed_as="v1", empty="skip", options={"emptyValues": "skip"},
          expect=ok("v1", "RSA2", KIND_ORDER), signature_valid=True)
    B.add("order-v1-empties-kept-option-keep", "signed V1 with empties kept; explicit emptyValues=keep",
          KIND_ORDER, order(104, empties=1), signed_as="v1", options={"emptyValues": "keep"},
          expect=ok("v1", "RSA2", KIND_ORDER), signature_valid=True)
    B.add("order-rsa2-1024-bit-key", "servicemarket_order_notify RSA2 signed V2 with a 1024-bit key (bare base64 SPKI)",
          KIND_ORDER, order(105), signed_as="v2", sign_key="rsa1024", key_name="rsa1024",
          expect=ok("v2", "RSA2", KIND_ORDER), signature_valid=True)
    B.add("order-rsa-sha1-1024-bit-key", "legacy: sign_type=RSA (SHA-1), 1024-bit key, signed V2 (like the real 2016 sample)",
          KIND_ORDER, order(106, st="RSA", minimal=True), sign_type="RSA", signed_as="v2", sign_key="rsa1024",
          key_name="rsa1024", options=dict(RSA_OPTS), expect=ok("v2", "RSA", KIND_ORDER), signature_valid=True)
    B.add("change-rsa2-4096-bit-key", "order.change.notify RSA2 V1 with a 4096-bit key (PEM SPKI)",
          KIND_CHANGE, change_fields(107, "UTF-8", "RSA2", status="MERCHANT_CANCELLED"), sign_key="rsa4096",
          key_name="rsa4096", key_format="spki-pem", expect=ok("v1", "RSA2", KIND_CHANGE), signature_valid=True)
    B.add("auth-gbk-rsa2-4096-bit-key-pkcs1", "open_app_auth_notify GBK RSA2 V1 with a 4096-bit key (PEM PKCS#1)",
          KIND_AUTH, auth_fields(108, "GBK", "RSA2"), codec="gbk", charset_label="GBK", sign_key="rsa4096",
          key_name="rsa4096", key_format="pkcs1-pem", expect=ok("v1", "RSA2", KIND_AUTH), signature_valid=True)
    B.add("order-unknown-extra-params", "servicemarket_order_notify with fields not in the docs "
          "(promoter_master_name/pid and an unknown future_field with Chinese); kept and signed, verifies V2",
          KIND_ORDER, order(109) + [("promoter_master_name", "某某服务商名称"), ("promoter_master_pid", "2088" + digits("pm", 12)),
                                    ("future_field", "新字段 v2")],
          signed_as="v2", expect=ok("v2", "RSA2", KIND_ORDER), signature_valid=True)
    B.add("change-unknown-extra-param", "order.change.notify with an unknown extra envelope param (kept, signed V1)",
          KIND_CHANGE, change_fields(110, "UTF-8", "RSA2", status="DONE") + [("encrypt_type", "")],
          expect=ok("v1", "RSA2", KIND_CHANGE), signature_valid=True)

    # '+' in sign arriving as a space: raw '+' in the wire body, which form-decodes to ' '
    class PlusRaw:
        def __call__(self, params):
            return params

        @staticmethod
        def raw(body):
            head, sep, rest = body.partition("sign=")
            assert sep
            val, amp, tail = rest.partition("&")
            assert "%2B" in val, "signature without '+': pick another index"
            return head + sep + val.replace("%2B", "+").replace("%2F", "/").replace("%3D", "=") + amp + tail

    for idx, (kind, fields, variant, label, codec) in enumerate([
        (KIND_ORDER, order(111), "v2", "UTF-8", "utf-8"),
        (KIND_CHANGE, change_fields(112, "GBK", "RSA2", status="ISV_CANCELLED"), "v1", "GBK", "gbk"),
    ]):
        B.add(f"{['order', 'change'][idx]}-sign-plus-as-space", f"{kind}: sign copied raw into a query string, so its '+' "
              "chars arrive as literal '+' and form-decode to spaces (also raw '/' and '='); must be repaired and verify",
              kind, fields, codec=codec, charset_label=label, signed_as=variant, post=PlusRaw(),
              expect=ok(variant, "RSA2", kind), signature_valid=True)

    # pinned variants
    B.add("pin-v1-on-v1-signed", "options variant=v1 on a V1-signed servicemarket_order_notify",
          KIND_ORDER, order(113), signed_as="v1", options={"variant": "v1"}, expect=ok("v1", "RSA2", KIND_ORDER),
          signature_valid=True)
    B.add("pin-v2-on-v2-signed", "options variant=v2 on a V2-signed servicemarket_order_notify",
          KIND_ORDER, order(114), signed_as="v2", options={"variant": "v2"}, expect=ok("v2", "RSA2", KIND_ORDER),
          signature_valid=True)
    B.add("pin-auto-on-v1-signed", "options variant=auto (explicit) on a V1-signed order notify: reports v1",
          KIND_ORDER, order(115), signed_as="v1", options={"variant": "auto"}, expect=ok("v1", "RSA2", KIND_ORDER),
          signature_valid=True)
    B.add("change-signed-v2-auto", "order.change.notify (documented V1) signed V2: auto tries V1 then V2, reports v2",
          KIND_CHANGE, change_fields(116, "UTF-8", "RSA2", status="ISV_ACCEPTED"), signed_as="v2",
          expect=ok("v2", "RSA2", KIND_CHANGE), signature_valid=True)
    B.add("auth-signed-v2-auto", "open_app_auth_notify signed V2: auto reports v2",
          KIND_AUTH, auth_fields(117, "UTF-8", "RSA2"), signed_as="v2", expect=ok("v2", "RSA2", KIND_AUTH),
          signature_valid=True)

    # body shapes
    for kind, bt, idx in [(KIND_ORDER, "query", 118), (KIND_CHANGE, "query", 119), (KIND_AUTH, "url", 120),
                          (KIND_RENEW, "url", 121)]:
        variant = DOCUMENTED_VARIANT[kind]
        fields = order(idx) if kind == KIND_ORDER else FIELDS[kind](idx, "UTF-8", "RSA2")
        B.add(f"{short[kind]}-body-{bt}", f"{kind} given as a {'query string with a leading ?' if bt == 'query' else 'full gateway URL'}; "
              "same result as the form body", kind, fields, signed_as=variant, body_type=bt,
              expect=ok(variant, "RSA2", kind), signature_valid=True)
    B.add("order-gbk-body-query", "servicemarket_order_notify GBK as a query string (GBK percent-escapes)", KIND_ORDER,
          order(122, label="GBK"), codec="gbk", charset_label="GBK", signed_as="v2", body_type="query",
          expect=ok("v2", "RSA2", KIND_ORDER), signature_valid=True)

    # charset from options / default
    B.add("renew-no-charset-default-utf8", "orderrenew.notify without a charset param: UTF-8 by default",
          KIND_RENEW, renew_fields(123, None, "RSA2"), charset_label="UTF-8", expect=ok("v1", "RSA2", KIND_RENEW),
          signature_valid=True)
    B.add("change-no-charset-option-gbk", "order.change.notify without a charset param, GBK cancel_memo; options charset=GBK",
          KIND_CHANGE, change_fields(124, None, "RSA2", status="MERCHANT_CANCELLED"), codec="gbk",
          charset_label="GBK", options={"charset": "GBK"}, expect=ok("v1", "RSA2", KIND_CHANGE), signature_valid=True)

    # appId / freshness that pass
    B.add("order-appid-matches", "options appId equal to app_id", KIND_ORDER, order(125), signed_as="v2",
          options={"appId": APP_ID}, expect=ok("v2", "RSA2", KIND_ORDER), signature_valid=True)
    t125 = beijing(180)
    B.add("order-fresh-notify-time-beijing", "servicemarket_order_notify 60 s old by notify_time read as Beijing time "
          "(UTC+8), maxAgeSeconds 300; reading notify_time as UTC would put it 8 h in the future",
          KIND_ORDER, order(180, label="GBK"), codec="gbk", charset_label="GBK", signed_as="v1",
          options={"now": epoch_ms(t125) + 60_000, "maxAgeSeconds": 300, "appId": APP_ID},
          expect=ok("v1", "RSA2", KIND_ORDER), signature_valid=True)
    t126 = beijing(126)
    B.add("auth-fresh-notify-time", "open_app_auth_notify 2 minutes old by notify_time (Beijing time), maxAgeSeconds 300",
          KIND_AUTH, auth_fields(126, "UTF-8", "RSA2"), options={"now": epoch_ms(t126) + 120_000, "maxAgeSeconds": 300},
          expect=ok("v1", "RSA2", KIND_AUTH), signature_valid=True)
    t127 = beijing(127)
    B.add("change-fresh-utc-timestamp", "order.change.notify 100 s old by utc_timestamp, maxAgeSeconds 300, appId matches",
          KIND_CHANGE, change_fields(127, "UTF-8", "RSA2", status="WAIT_FOR_PAYMENT"),
          options={"now": epoch_ms(t127) + 100_000, "maxAgeSeconds": 300, "appId": APP_ID},
          expect=ok("v1", "RSA2", KIND_CHANGE), signature_valid=True)

    # biz_content variations
    B.add("change-biz-content-unicode-escapes", "order.change.notify whose biz_content uses \\uXXXX escapes for Chinese",
          KIND_CHANGE, change_fields(128, "UTF-8", "RSA2", status="ISV_REJECTED", style="ascii"),
          expect=ok("v1", "RSA2", KIND_CHANGE), signature_valid=True)
    # exactly 256 parameters: the limit, still accepted
    base = order(129)
    pad = [("ext_%03d" % k, "x") for k in range(256 - len(base) - 1)]
    B.add("order-256-params", "servicemarket_order_notify padded with unknown params to exactly 256 parameters "
          "(sign included): at the limit, verifies", KIND_ORDER, base + pad, signed_as="v2",
          expect=ok("v2", "RSA2", KIND_ORDER), signature_valid=True)

    # ---- 3. negatives
    # MALFORMED_FORM
    good = encode_body([(b"notify_type", KIND_ORDER.encode()), (b"sign_type", b"RSA2")])
    B.add("malformed-bad-escape-zz", "a value with an invalid percent-escape %zz", None, [],
          raw_body=good + "&a=%zz", signed_as=None, expect=err("MALFORMED_FORM"))
    B.add("malformed-truncated-escape", "a truncated percent-escape at the end of the body (a=%4)", None, [],
          raw_body=good + "&a=%4", signed_as=None, expect=err("MALFORMED_FORM"))
    B.add("malformed-empty-name", "a parameter with an empty name (=x)", None, [], raw_body="=x&" + good,
          signed_as=None, expect=err("MALFORMED_FORM"))

    class BadEscapeInSignedBody:
        def __call__(self, params):
            return params

        @staticmethod
        def raw(body):
            return body.replace("title=", "ti%G1tle=", 1)

    B.add("malformed-bad-escape-in-name", "an otherwise valid signed notification whose parameter name has a bad escape (ti%G1tle)",
          KIND_ORDER, order(130), signed_as="v2", post=BadEscapeInSignedBody(), expect=err("MALFORMED_FORM"))

    # DUPLICATE_PARAMETER
    B.add("duplicate-sign-type", "sign_type twice (RSA2 then RSA)", KIND_ORDER, order(131), signed_as="v2",
          post=lambda p: p + [(b"sign_type", b"RSA")], options=dict(RSA_OPTS), expect=err("DUPLICATE_PARAMETER"))
    B.add("duplicate-notify-id", "notify_id twice with the same value", KIND_CHANGE,
          change_fields(132, "UTF-8", "RSA2"), post=lambda p: p + [(b"notify_id", dict(p)[b"notify_id"])],
          expect=err("DUPLICATE_PARAMETER"))

    class EncodedDuplicate:
        def __call__(self, params):
            return params + [(b"notify_id", b"x")]

        @staticmethod
        def raw(body):
            i = body.rindex("notify_id=x")
            return body[:i] + "notify%5Fid=x" + body[i + len("notify_id=x"):]

    B.add("duplicate-after-decoding", "notify%5Fid and notify_id: the same name once decoded", KIND_AUTH,
          auth_fields(133, "UTF-8", "RSA2"), post=EncodedDuplicate(), expect=err("DUPLICATE_PARAMETER"))

    # MISSING_PARAMETER
    B.add("missing-sign", "no sign parameter", KIND_ORDER, order(134), signed_as=None, expect=err("MISSING_PARAMETER"))

    # UNSUPPORTED_SIGN_TYPE
    B.add("sign-type-rsa-default-options", "validly signed sign_type=RSA (SHA-1) with default options (RSA2 only)",
          KIND_ORDER, order(135, st="RSA"), sign_type="RSA", signed_as="v2", expect=err("UNSUPPORTED_SIGN_TYPE"),
          signature_valid=True)
    fake_sig = b64(b"".join(hashlib.sha256(b"sm2-%d" % k).digest() for k in range(8)))
    B.add("sign-type-sm2", "sign_type=SM2 (not supported)", KIND_CHANGE, change_fields(136, "UTF-8", "SM2"),
          sign_type="SM2", signed_as=None, sign_override=fake_sig, options=dict(RSA_OPTS),
          expect=err("UNSUPPORTED_SIGN_TYPE"))
    B.add("sign-type-rsa2-only-rsa-allowed", "validly signed RSA2 but options signTypes=[\"RSA\"]", KIND_RENEW,
          renew_fields(137, "UTF-8", "RSA2"), options={"signTypes": ["RSA"]}, expect=err("UNSUPPORTED_SIGN_TYPE"),
          signature_valid=True)

    # UNSUPPORTED_CHARSET
    B.add("charset-iso-8859-1", "charset=ISO-8859-1 (ASCII-only content, validly signed)", KIND_RENEW,
          renew_fields(138, "ISO-8859-1", "RSA2"), charset_label="ISO-8859-1", expect=err("UNSUPPORTED_CHARSET"),
          signature_valid=True)
    B.add("charset-latin1", "charset=latin1", KIND_AUTH, auth_fields(139, "latin1", "RSA2"), charset_label="latin1",
          expect=err("UNSUPPORTED_CHARSET"), signature_valid=True)

    # CHARSET_MISMATCH
    f = order(140)
    f = [(k, TITLES[2].encode("gbk") if k == "title" else v) for k, v in f]
    B.add("charset-utf8-declared-gbk-bytes", "charset=UTF-8 declared but title is GBK bytes (not valid UTF-8); "
          "the signature over those bytes is valid", KIND_ORDER, f, signed_as="v2", expect=err("CHARSET_MISMATCH"),
          signature_valid=True)
    f = change_fields(141, "UTF-8", "RSA2", status="MERCHANT_CANCELLED")
    f = [(k, v.encode("gbk") if k == "biz_content" else v) for k, v in f]
    B.add("charset-utf8-declared-gbk-biz-content", "charset=UTF-8 declared but biz_content (cancel_memo) is GBK bytes, "
          "validly signed", KIND_CHANGE, f, expect=err("CHARSET_MISMATCH"), signature_valid=True)

    # INVALID_PUBLIC_KEY
    app = keys["app"]
    pk8 = app.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    pk1_der = app.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    ec_key = ec.derive_private_key(int(h("ec-test-key"), 16) % (2**255), ec.SECP256R1())
    ec_spki = b64(ec_key.public_key().public_bytes(serialization.Encoding.DER,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo))
    n512 = int(h("512a") + h("512b"), 16) | (1 << 511) | 1
    k512 = rsa.RSAPublicNumbers(65537, n512).public_key()
    k512_text = b64(k512.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
    for vid, desc, text, fmt in [
        ("key-garbage", "key is not a key", "这不是公钥 not-a-key!!", "garbage"),
        ("key-empty", "key is the empty string", "", "empty"),
        ("key-private-pkcs8-pem", "the app PRIVATE key (PKCS#8 PEM) pasted instead of the Alipay public key", pk8,
         "private-pkcs8-pem"),
        ("key-private-pkcs1-base64", "the app PRIVATE key as bare base64 PKCS#1 (Alipay key tool output)",
         b64(pk1_der), "private-pkcs1-base64"),
        ("key-ec-p256", "an EC P-256 SubjectPublicKeyInfo (not RSA)", ec_spki, "spki-base64"),
        ("key-rsa-512", "a 512-bit RSA public key (below the 1024-bit minimum)", k512_text, "spki-base64"),
    ]:
        B.add(vid, desc, KIND_ORDER, order(142 + len(B.vectors) % 7), signed_as="v2", key=text, key_format=fmt,
              expect=err("INVALID_PUBLIC_KEY"))

    # MALFORMED_SIGNATURE
    B.add("sign-not-base64", "sign is '!!!' (sent as %21%21%21)", KIND_ORDER, order(150), signed_as=None,
          sign_override="!!!", expect=err("MALFORMED_SIGNATURE"))
    short_sig = b64(rsa_sign(keys["rsa1024"], "RSA2", b"wrong length"))
    B.add("sign-wrong-length", "sign is valid base64 of 128 bytes, but the key is 2048-bit (256 bytes expected)",
          KIND_CHANGE, change_fields(151, "UTF-8", "RSA2"), signed_as=None, sign_override=short_sig,
          expect=err("MALFORMED_SIGNATURE"))
    tmp = [(k.encode(), v.encode()) for k, v in renew_fields(152, "UTF-8", "RSA2")]
    urlsafe = base64.urlsafe_b64encode(rsa_sign(keys["alipay"], "RSA2", sign_content(tmp, "v1"))).decode()
    assert "-" in urlsafe or "_" in urlsafe
    B.add("sign-base64url-alphabet", "sign in the URL-safe base64 alphabet ('-' and '_'): not standard base64",
          KIND_RENEW, renew_fields(152, "UTF-8", "RSA2"), signed_as=None, sign_override=urlsafe,
          expect=err("MALFORMED_SIGNATURE"))

    # SIGNATURE_MISMATCH
    B.add("mismatch-tampered-total-price", "total_price changed after signing", KIND_ORDER, order(153), signed_as="v2",
          post=replace_value(b"total_price", b"0.01"), expect=err("SIGNATURE_MISMATCH"), signature_valid=False)
    B.add("mismatch-tampered-gbk-title", "GBK notification whose title was changed after signing", KIND_ORDER,
          order(154, label="GBK"), codec="gbk", charset_label="GBK", signed_as="v1",
          post=replace_value(b"title", "金牛店长（伪造）".encode("gbk")), expect=err("SIGNATURE_MISMATCH"),
          signature_valid=False)

    def tamper_biz(params):
        out = []
        for k, v in params:
            if k == b"biz_content":
                v = v.replace(b"MERCHANT_CANCELLED", b"DONE")
                assert b"DONE" in v
            out.append((k, v))
        return out

    B.add("mismatch-tampered-biz-content", "biz_content status changed after signing", KIND_CHANGE,
          change_fields(155, "UTF-8", "RSA2", status="MERCHANT_CANCELLED"), post=tamper_biz,
          expect=err("SIGNATURE_MISMATCH"), signature_valid=False)
    B.add("mismatch-app-key", "verified with the ISV's own app public key instead of the Alipay public key",
          KIND_ORDER, order(156), signed_as="v2", key_name="app", expect=err("SIGNATURE_MISMATCH"),
          signature_valid=False)
    B.add("mismatch-v1-signed-pinned-v2", "V1-signed servicemarket_order_notify with options variant=v2",
          KIND_ORDER, order(157), signed_as="v1", options={"variant": "v2"}, expect=err("SIGNATURE_MISMATCH"),
          signature_valid=True)
    B.add("mismatch-v2-signed-pinned-v1", "V2-signed servicemarket_order_notify with options variant=v1",
          KIND_ORDER, order(158), signed_as="v2", options={"variant": "v1"}, expect=err("SIGNATURE_MISMATCH"),
          signature_valid=True)
    B.add("mismatch-empties-skipped-default-keep", "signed with empty values skipped (Java style) but verified with "
          "the default emptyValues=keep", KIND_ORDER, order(159, empties=1), signed_as="v2", empty="skip",
          expect=err("SIGNATURE_MISMATCH"), signature_valid=False)
    v = B.add("mismatch-rsa2-signature-labelled-rsa", "a SHA-256 signature labelled sign_type=RSA after signing (V1)",
          KIND_AUTH, auth_fields(160, "UTF-8", "RSA2"), post=replace_value(b"sign_type", b"RSA"),
          options=dict(RSA_OPTS), expect=err("SIGNATURE_MISMATCH"), signature_valid=False)
    v["signType"] = "RSA"  # as on the wire

    # INVALID_BIZ_CONTENT
    B.add("biz-content-not-json", "biz_content is 'not json', correctly signed", KIND_CHANGE,
          change_fields(161, "UTF-8", "RSA2", biz="not json"), expect=err("INVALID_BIZ_CONTENT"), signature_valid=True)
    B.add("biz-content-json-array", "biz_content is a JSON array, correctly signed", KIND_RENEW,
          [(k, '[{"wait_for_renew_order_count_30_day":"1"}]' if k == "biz_content" else v)
           for k, v in renew_fields(162, "UTF-8", "RSA2")], expect=err("INVALID_BIZ_CONTENT"), signature_valid=True)

    # APP_ID_MISMATCH
    B.add("app-id-mismatch", "options appId differs from app_id", KIND_ORDER, order(163), signed_as="v2",
          options={"appId": "2021000000000001"}, expect=err("APP_ID_MISMATCH"), signature_valid=True)
    B.add("app-id-mismatch-change", "order.change.notify with options appId of another app", KIND_CHANGE,
          change_fields(164, "UTF-8", "RSA2"), options={"appId": "2013121700999429"}, expect=err("APP_ID_MISMATCH"),
          signature_valid=True)

    # NOTIFICATION_EXPIRED
    t = beijing(165)
    B.add("expired-notify-time", "open_app_auth_notify, now is 1 day after notify_time (Beijing), maxAgeSeconds 300",
          KIND_AUTH, auth_fields(165, "UTF-8", "RSA2"), options={"now": epoch_ms(t) + 86_400_000, "maxAgeSeconds": 300},
          expect=err("NOTIFICATION_EXPIRED"), signature_valid=True)
    t = beijing(166)
    B.add("expired-utc-timestamp", "order.change.notify, now is 10 minutes after utc_timestamp, maxAgeSeconds 300",
          KIND_CHANGE, change_fields(166, "UTF-8", "RSA2"), options={"now": epoch_ms(t) + 600_000, "maxAgeSeconds": 300},
          expect=err("NOTIFICATION_EXPIRED"), signature_valid=True)
    t = beijing(167)
    B.add("expired-order-notify-time-301s", "servicemarket_order_notify 301 s old by notify_time read as Beijing time "
          "(UTC+8), maxAgeSeconds 300: just over the limit",
          KIND_ORDER, order(167), signed_as="v2", options={"now": epoch_ms(t) + 301_000, "maxAgeSeconds": 300},
          expect=err("NOTIFICATION_EXPIRED"), signature_valid=True)

    # INPUT_TOO_LARGE
    base = renew_fields(168, "UTF-8", "RSA2")
    B.add("too-many-params", "300 parameters (limit 256), validly signed", KIND_RENEW,
          base + [("ext_%03d" % k, "1") for k in range(300 - len(base) - 1)], expect=err("INPUT_TOO_LARGE"),
          signature_valid=True)

    # INVALID_OPTIONS
    for vid, opts in [
        ("options-unknown-name", {"bogus": 1}),
        ("options-variant-v3", {"variant": "v3"}),
        ("options-sign-types-empty", {"signTypes": []}),
        ("options-sign-types-md5", {"signTypes": ["RSA2", "MD5"]}),
        ("options-empty-values-drop", {"emptyValues": "drop"}),
    ]:
        B.add(vid, f"invalid options {json.dumps(opts)}", KIND_ORDER, order(169 + len(vid) % 5), signed_as="v2",
              options=opts, expect=err("INVALID_OPTIONS"), signature_valid=True)

    # INVALID_ARGUMENT (JS only)
    v = B.add("js-body-number", "body is the JS number 42 (not a string, bytes, URLSearchParams or object)", None, [],
              raw_body="", signed_as=None, expect=err("INVALID_ARGUMENT"), js_only=True)
    v["body"] = 42
    v["bodyType"] = "js-number"
    v["charset"] = None
    v["signType"] = None
    return B.vectors


# --------------------------------------------------------------------------------------------
# independent check: re-parse the JSON vectors with urllib + cryptography only


def load_public(text: str):
    t = text.strip()
    if t.startswith("-----BEGIN"):  # PUBLIC KEY (SPKI) or RSA PUBLIC KEY (PKCS#1)
        return serialization.load_pem_public_key(t.encode())
    der = base64.b64decode("".join(t.split()), validate=True)
    try:
        return serialization.load_der_public_key(der)
    except ValueError:
        # bare PKCS#1 RSAPublicKey: wrap it as PEM and load that way
        pem = "-----BEGIN RSA PUBLIC KEY-----\n" + wrap(b64(der)) + "\n-----END RSA PUBLIC KEY-----\n"
        return serialization.load_pem_public_key(pem.encode())


def strip_body(v) -> str:
    body = v["body"]
    if v["bodyType"] == "query":
        assert body.startswith("?")
        return body[1:]
    if v["bodyType"] == "url":
        return urllib.parse.urlsplit(body).query
    return body


def check_vector(v) -> list:
    problems = []
    body = strip_body(v)
    assert body.isascii(), v["id"]
    raw = urllib.parse.parse_qsl(body, keep_blank_values=True, strict_parsing=True, encoding="latin-1")
    params = [(k.encode("latin-1"), val.encode("latin-1")) for k, val in raw]
    d = dict(params)
    charset = d.get(b"charset", v["options"].get("charset", "UTF-8").encode()).decode()
    codec = {"utf-8": "utf-8", "gbk": "gbk"}.get(charset.lower())
    if codec:
        try:
            texts = urllib.parse.parse_qsl(body, keep_blank_values=True, strict_parsing=True, encoding=codec,
                                           errors="strict")
            if [(k.encode(codec), t.encode(codec)) for k, t in texts] != params:
                problems.append("text round-trip differs from bytes")
            text_ok = True
        except UnicodeDecodeError:
            text_ok = False
        if ("expect" in v and v["expect"].get("error") == "CHARSET_MISMATCH") == text_ok:
            problems.append(f"charset decodability ({charset}) does not match the expectation")
    sign = d[b"sign"].decode().replace(" ", "+")  # SPEC §2.5: '+' that arrived as spaces
    sig = base64.b64decode(sign, validate=True)
    sign_type = d[b"sign_type"].decode()
    key = load_public(v["key"])
    empty = v["options"].get("emptyValues", "keep")
    verdict = {}
    for variant in ("v1", "v2"):
        content = sign_content(params, variant, empty)
        try:
            key.verify(sig, content, padding.PKCS1v15(), HASHES[sign_type]())
            verdict[variant] = True
        except InvalidSignature:
            verdict[variant] = False
    if "verified" in v["expect"]:
        want = v["expect"]["variant"]
        if not verdict[want] or verdict["v1" if want == "v2" else "v2"]:
            problems.append(f"verdicts {verdict}, expected only {want}")
        if v["expect"]["signType"] != sign_type:
            problems.append("signType")
        kind = (d.get(b"notify_type") or d.get(b"msg_method")).decode()
        if kind != v["expect"]["kind"]:
            problems.append(f"kind {kind}")
        if len(params) > 256:
            problems.append("over 256 params")
    elif v.get("signatureValid") is not None:
        got = verdict.get(v["signedAs"] or "v1", False)
        if got != v["signatureValid"]:
            problems.append(f"signatureValid {v['signatureValid']} but cryptography says {got} ({verdict})")
    return problems


def check(doc) -> None:
    vectors = doc["vectors"]
    ids = [v["id"] for v in vectors]
    assert len(ids) == len(set(ids)), "duplicate ids"
    bad = {}
    checked = 0
    for v in vectors:
        if v.get("jsOnly"):
            continue
        e = v["expect"]
        needs_sig = "verified" in e or v.get("signatureValid") is not None
        if not needs_sig:
            continue
        p = check_vector(v)
        checked += 1
        if p:
            bad[v["id"]] = p
    if bad:
        for k, p in bad.items():
            print(f"CHECK FAILED {k}: {p}", file=sys.stderr)
        sys.exit(1)
    # coverage assertions
    pos = [v for v in vectors if "verified" in v["expect"]]
    matrix = {(v["expect"]["kind"], v["charset"].upper(), v["signType"], v["keyFormat"]) for v in pos}
    for kind in DOCUMENTED_VARIANT:
        for cs in ("UTF-8", "GBK"):
            for st in ("RSA2", "RSA"):
                for fmt in ("spki-base64", "spki-pem", "pkcs1-pem", "pkcs1-base64"):
                    assert (kind, cs, st, fmt) in matrix, (kind, cs, st, fmt)
    assert {v["expect"]["variant"] for v in pos if v["expect"]["kind"] == KIND_ORDER} == {"v1", "v2"}
    assert len(vectors) >= 80, len(vectors)
    codes = {v["expect"]["error"] for v in vectors if "error" in v["expect"]}
    want = {"MALFORMED_FORM", "DUPLICATE_PARAMETER", "MISSING_PARAMETER", "UNSUPPORTED_SIGN_TYPE",
            "UNSUPPORTED_CHARSET", "CHARSET_MISMATCH", "INVALID_PUBLIC_KEY", "MALFORMED_SIGNATURE",
            "SIGNATURE_MISMATCH", "INVALID_BIZ_CONTENT", "APP_ID_MISMATCH", "NOTIFICATION_EXPIRED",
            "INPUT_TOO_LARGE", "INVALID_OPTIONS", "INVALID_ARGUMENT"}
    assert want <= codes, want - codes
    statuses = set()
    for v in pos:
        if v["expect"]["kind"] == KIND_CHANGE:
            q = dict(urllib.parse.parse_qsl(strip_body(v), keep_blank_values=True,
                                            encoding="gbk" if v["charset"].upper() == "GBK" else "utf-8"))
            statuses.add(json.loads(q["biz_content"])["status"])
    assert statuses == set(STATUSES), set(STATUSES) - statuses
    print(f"checked {checked} signed vectors independently ({len(pos)} positive, {len(vectors)} total)",
          file=sys.stderr)


def provenance() -> dict:
    return {
        "generator": "tests/vectors/notifications/generate.py",
        "command": COMMAND,
        "signer": "Python cryptography (independent of the crate under test): RSASSA-PKCS1-v1_5, "
                  "RSA2 = SHA-256, RSA = SHA-1; sign = standard base64",
        "tools": {
            "python": platform.python_version(),
            "cryptography": cryptography.__version__,
            "openssl": openssl_backend.openssl_version_text(),
        },
        "keys": "tests/vectors/notifications/keys/*.pem (TEST-ONLY keys generated once with cryptography; "
                "alipay-rsa2048 = the signer standing in for Alipay, app-rsa2048 = the ISV's own key users paste by mistake, test-rsa1024, test-rsa4096)",
        "signed_content": "SPEC §2: k=v joined by '&', keys sorted by bytes, raw decoded value bytes in the "
                          "notification's charset, empty values kept unless a vector says otherwise; "
                          "V1 excludes sign and sign_type, V2 excludes only sign",
        "body_encoding": "application/x-www-form-urlencoded: bytes outside [A-Za-z0-9*-._] as %XX (of the "
                         "charset's bytes), space as '+'",
        "self_check": "each signed vector re-parsed with urllib.parse.parse_qsl (strict, blank values kept) and "
                      "re-verified with cryptography from the JSON alone",
    }


def main() -> None:
    if "--check" not in sys.argv:
        keys = load_keys()
        doc = {"provenance": provenance(), "vectors": build(keys)}
        with open(OUT, "w", encoding="utf-8", newline="\n") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")
        print(f"wrote {len(doc['vectors'])} vectors to {os.path.relpath(OUT)}", file=sys.stderr)
    with open(OUT, encoding="utf-8") as f:
        check(json.load(f))


if __name__ == "__main__":
    main()
