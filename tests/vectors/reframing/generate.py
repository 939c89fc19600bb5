#!/usr/bin/env python3
"""Re-framings of genuine notifications: the same signed bytes, split into other parameters.

Alipay's sign content joins raw `name=value` pairs with `&`, so a body can be re-framed without
changing what was signed: percent-encode the `&` / `=` between two parameters adjacent in sort
order and `a=x&b=y` becomes the single `a = "x&b=y"`. Every case written here has exactly the
genuine sign content (checked below with Python `cryptography`: the genuine signature verifies
over each case's own V1 / V2 content), so a verifier that reads parameters naively accepts it.

Sources: the real notifications in tests/vectors/real/ (their `derived_form_body`), the documented
2020 notification in tests/vectors/doc/, and GBK vectors of tests/vectors/notifications/.

Each source gives:
- `same`: one signed notification sent in other, legitimate spellings (parameters reordered,
  `sign` with a raw `+`, with `%2b`, with a raw `/`): must verify, all with one fingerprint
  (SHA-256 of the decoded signature bytes, computed here);
- `reframed`: every merge of a parameter into its predecessor in sign order (hiding it), runs of
  three, a name absorbing its value up to an `=` in it (`n%3Dv0=rest`) and a name absorbing its value
  and the next name (`n%3Dv%26m=w`): must be refused with AMBIGUOUS_FRAMING.

    python3 tests/vectors/reframing/generate.py          # rewrite reframings.json, self-check
    python3 tests/vectors/reframing/generate.py --check  # self-check the committed file only
"""

import base64
import hashlib
import json
import sys
from pathlib import Path
from urllib.parse import unquote_to_bytes

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

HERE = Path(__file__).resolve().parent
VECTORS = HERE.parent
OUT = HERE / "reframings.json"


def load_key(text):
    text = text.strip()
    if "-----BEGIN" not in text:
        text = "-----BEGIN PUBLIC KEY-----\n" + text + "\n-----END PUBLIC KEY-----"
    if "RSA PUBLIC KEY" in text:
        return serialization.load_pem_public_key(text.encode())
    return serialization.load_pem_public_key(text.encode())


def segments(body):
    """The form's `name=value` segments, still encoded, in received order."""
    out = []
    for seg in body.lstrip("?").split("&"):
        if not seg:
            continue
        name, _, value = seg.partition("=")
        out.append([name, value])
    return out


def dec(s):
    return unquote_to_bytes(s.replace("+", " "))


def sign_content(segs, variant):
    pairs = [(dec(n), dec(v)) for n, v in segs]
    pairs = [(n, v) for n, v in pairs if n != b"sign" and not (variant == "v1" and n == b"sign_type")]
    pairs.sort(key=lambda p: p[0])
    return b"&".join(n + b"=" + v for n, v in pairs)


def signature(segs):
    sign = next(dec(v) for n, v in segs if dec(n) == b"sign")
    return base64.b64decode(sign.replace(b" ", b"+"), validate=True)


def verifies(key, segs, variant, sign_type):
    digest = hashes.SHA256() if sign_type == "RSA2" else hashes.SHA1()
    try:
        key.verify(signature(segs), sign_content(segs, variant), padding.PKCS1v15(), digest)
        return True
    except Exception:
        return False


def body_of(segs):
    return "&".join(f"{n}={v}" for n, v in segs)


def sources():
    out = []
    for path in sorted((VECTORS / "real").glob("notify-*.json")):
        d = json.loads(path.read_text())
        scheme = d["expected"]["scheme"]
        out.append({
            "id": d["id"],
            "key": d["alipay_public_key"],
            "body": d["derived_form_body"]["body"],
            "variant": "v1" if scheme.startswith("V1") else "v2",
            "signType": d["expected"]["sign_type"],
            "options": {"signTypes": ["RSA2", "RSA"]},
        })
    out.append({
        "id": "doc-order-notify-2020",
        "key": (VECTORS / "doc" / "alipay-public-key.txt").read_text(),
        "body": (VECTORS / "doc" / "order-notify-2020.txt").read_text().strip(),
        "variant": "v1",
        "signType": "RSA2",
        # As in the finding: app_id pinned and the age checked at the notification's own time.
        "options": {"appId": "2018091261392200", "now": 1585124828000, "maxAgeSeconds": 300},
    })
    generated = json.loads((VECTORS / "notifications" / "vectors.json").read_text())["vectors"]
    for want in ("order-gbk-rsa2-spki-pem-v1", "change-gbk-rsa2-spki-base64-v1"):
        v = next((v for v in generated if v["id"] == want), None)
        if v is None:
            continue
        out.append({
            "id": v["id"],
            "key": v["key"],
            "body": v["body"],
            "variant": v["signedAs"],
            "signType": v["signType"],
            "options": json.loads(v["options"]) if isinstance(v["options"], str) else v["options"],
        })
    return out


def signed_order(segs, variant):
    """Indexes of the segments in the sign content, in sign order."""
    idx = [i for i, (n, _) in enumerate(segs)
           if dec(n) != b"sign" and not (variant == "v1" and dec(n) == b"sign_type")]
    return sorted(idx, key=lambda i: dec(segs[i][0]))


def merged(segs, run):
    """Segments with the parameters of `run` (sign-order indexes) folded into the first."""
    segs = [list(s) for s in segs]
    head = segs[run[0]]
    for i in run[1:]:
        head[1] += "%26" + segs[i][0] + "%3D" + segs[i][1]
    return [s for i, s in enumerate(segs) if i not in run[1:]]


def cases_for(src):
    segs = segments(src["body"])
    order = signed_order(segs, src["variant"])
    name = lambda i: dec(segs[i][0]).decode("latin-1")
    reframed = []
    for a, b in zip(order, order[1:]):
        reframed.append({"how": f"`{name(a)}` absorbs `{name(b)}`", "hides": [name(b)],
                         "body": body_of(merged(segs, [a, b]))})
    for a, b, c in list(zip(order, order[1:], order[2:]))[::3]:
        reframed.append({"how": f"`{name(a)}` absorbs `{name(b)}` and `{name(c)}`",
                         "hides": [name(b), name(c)], "body": body_of(merged(segs, [a, b, c]))})
    for a in order:
        n, v = segs[a]
        cut = v.upper().find("%3D")
        if cut >= 0:
            s2 = [list(s) for s in segs]
            s2[a] = [n + "%3D" + v[:cut], v[cut + 3:]]
            reframed.append({"how": f"the name `{name(a)}` absorbs its value up to an `=` in it",
                             "hides": [name(a)], "body": body_of(s2)})
    for a, b in list(zip(order, order[1:]))[1::4]:
        s2 = [list(s) for s in segs]
        s2[a] = [segs[a][0] + "%3D" + segs[a][1] + "%26" + segs[b][0], segs[b][1]]
        if len(dec(s2[a][0])) > 256:
            continue  # over the name limit: refused before it is read, not a re-framing test
        s2 = [s for i, s in enumerate(s2) if i != b]
        reframed.append({"how": f"a name absorbs `{name(a)}`'s value and the name `{name(b)}`",
                         "hides": [name(a), name(b)], "body": body_of(s2)})
    same = [{"how": "as received", "body": src["body"]},
            {"how": "parameters reversed", "body": body_of(segs[::-1])}]
    sign_i = next(i for i, (n, _) in enumerate(segs) if n == "sign")
    for how, old, new in [("`sign` with a raw `+` (arrives as a space)", "%2B", "+"),
                          ("`sign` with `%2b`", "%2B", "%2b"),
                          ("`sign` with a raw `/`", "%2F", "/")]:
        if old in segs[sign_i][1]:
            s2 = [list(s) for s in segs]
            s2[sign_i][1] = s2[sign_i][1].replace(old, new)
            same.append({"how": how, "body": body_of(s2)})
    return same, reframed


def build():
    out = []
    for src in sources():
        same, reframed = cases_for(src)
        fp = hashlib.sha256(signature(segments(src["body"]))).hexdigest()
        out.append({**src, "fingerprint": fp, "same": same, "reframed": reframed})
    return {"provenance": "tests/vectors/reframing/generate.py: Python re-framings of genuine "
                          "notifications; signatures checked with Python cryptography",
            "sources": out}


def check(doc):
    total = 0
    for src in doc["sources"]:
        key = load_key(src["key"])
        genuine = segments(src["body"])
        want = sign_content(genuine, src["variant"])
        assert verifies(key, genuine, src["variant"], src["signType"]), src["id"]
        for case in src["same"] + src["reframed"]:
            segs = segments(case["body"])
            # The point of every case: the signed bytes are the genuine ones.
            assert sign_content(segs, src["variant"]) == want, (src["id"], case["how"])
            assert verifies(key, segs, src["variant"], src["signType"]), (src["id"], case["how"])
            assert hashlib.sha256(signature(segs)).hexdigest() == src["fingerprint"]
            total += 1
        assert len(src["reframed"]) >= 5, src["id"]
    assert len(doc["sources"]) >= 6
    print(f"reframings.json: {len(doc['sources'])} sources, {total} bodies, all verify over the genuine sign content")


def main():
    if "--check" in sys.argv:
        committed = json.loads(OUT.read_text())
        assert committed == build(), "reframings.json is stale: run generate.py"
        check(committed)
        return
    doc = build()
    check(doc)
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
