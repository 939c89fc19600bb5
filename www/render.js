// Rendering the page from a report (textContent only: pasted data never becomes markup).
import { diffPieces } from "./diff.js";
import { ERRORS, FIELDS, FORMATS, KINDS, NOT_FIELDS, beijing, lang, pick, pickIn, t } from "./i18n.js";

export const $ = (id) => document.getElementById(id);

export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

export const code = (text, cls = "") => el("code", { class: cls || null, text });

/**
 * Shows `state` (`{ input, report, certs }`: what was pasted, inspectNotification's report, the
 * certificate checks). `handlers.fixNotEntity` is the one-click fix for a pasted `¬`.
 */
export function render(state, handlers = {}) {
  const { input, report } = state;
  renderNotes(input);
  renderCertificates(state.certs, report);
  renderVerdict(report, input);
  renderProblems(report, handlers);
  renderKind(report);
  renderParams(report);
  renderSign(report);
  renderBiz(report);
  $("raw-card").hidden = !report;
  $("raw-json").textContent = report ? JSON.stringify(report, null, 2) : "";
}

function renderNotes(input) {
  const list = $("input-notes");
  list.replaceChildren();
  if (!input || input.format === "empty") return;
  list.append(
    el("li", { class: "note info", "data-format": input.format }, t("detected", pick(FORMATS[input.format]))),
  );
  for (const n of input.notes) list.append(el("li", { class: `note ${n.level}` }, t(n.key, n.arg)));
}

function renderCertificates(certs, report) {
  const box = $("cert-info");
  box.replaceChildren();
  box.hidden = !certs;
  if (!certs) return;
  const failure = (e) => [
    el("span", { class: "bad" }, "✘ ", code(e.code, "error-code")),
    " ",
    el("span", { class: "muted", text: e.message }),
  ];
  if (certs.cert) {
    box.append(
      el(
        "p",
        {},
        el("strong", { text: t("certSn") }),
        " ",
        certs.cert.value
          ? [
              code(certs.cert.value, "sn"),
              " ",
              el("span", { class: "muted", text: `· ${t("certCount", certs.count)}` }),
            ]
          : [t("certUnreadable"), " ", ...failure(certs.cert.error)],
      ),
    );
    box.querySelector("code.sn")?.setAttribute("data-testid", "cert-sn");
    const received = report?.params.find((p) => p.name === "alipay_cert_sn")?.value;
    if (certs.cert.value && received) {
      const same = received === certs.cert.value;
      box.append(
        el(
          "p",
          { "data-testid": "cert-sn-check", "data-match": String(same) },
          el("strong", { text: t("snInNotification") }),
          " ",
          code(received),
          " ",
          el("span", { class: same ? "ok" : "bad", text: `${same ? "✔" : "✘"} ${t(same ? "snMatch" : "snMismatch")}` }),
        ),
      );
    }
  }
  if (certs.root) {
    box.append(
      el(
        "p",
        {},
        el("strong", { text: t("rootSn") }),
        " ",
        certs.root.value ? el("code", { "data-testid": "root-sn", text: certs.root.value }) : failure(certs.root.error),
      ),
    );
    const c = certs.chain;
    const status = c.needsCert ? "na" : c.error ? "failed" : "ok";
    box.append(
      el(
        "p",
        { "data-testid": "chain-verdict", "data-status": status, "data-code": c.error?.code ?? null },
        el("strong", { text: t("chain") }),
        " ",
        c.needsCert
          ? el("span", { class: "muted", text: t("chainNeedsCert") })
          : c.error
            ? failure(c.error)
            : el("span", { class: "ok", text: `✔ ${t("chainOk", beijing(certs.now))}` }),
      ),
    );
  }
}

function renderVerdict(report, input) {
  const v = $("verdict");
  v.replaceChildren();
  v.removeAttribute("data-variant");
  if (!report) {
    v.dataset.status = input?.loadError ? "error" : "idle";
    v.append(
      el(
        "p",
        { class: "verdict-main" },
        input?.loadError ? t("loadFailed") + input.loadError : t(input ? "idle" : "loading"),
      ),
    );
    return;
  }
  const { outcome } = report;
  v.dataset.status = outcome.status;
  const icon = { verified: "✔", failed: "✘", error: "⚠" }[outcome.status];
  const main = el(
    "p",
    { class: "verdict-main" },
    el("span", { class: "icon", "aria-hidden": "true", text: icon }),
    " ",
    t(outcome.status),
  );
  v.append(main);
  if (outcome.status === "verified") {
    v.dataset.variant = outcome.variant;
    const V = outcome.variant.toUpperCase();
    main.append(
      " ",
      el(
        "span",
        { class: "verdict-detail" },
        code(`${V} · rsaCheck${V}`),
        " ",
        code(`${outcome.signType} · ${outcome.signType === "RSA2" ? "SHA256withRSA" : "SHA1withRSA"}`),
        " ",
        code(report.charset ?? "UTF-8"),
        report.key.bits ? ` · ${t("keyBits", report.key.bits)}` : "",
      ),
    );
    if (outcome.variant !== report.documentedVariant) {
      v.append(el("p", { class: "verdict-sub" }, t("documentedOther", report.documentedVariant.toUpperCase(), V)));
    }
  } else if (outcome.error) {
    main.append(" ", el("code", { class: "error-code", "data-testid": "error-code", text: outcome.error.code }));
    // In Chinese: what the code means, then the package's own (English) message.
    v.append(
      el(
        "p",
        { class: "verdict-sub" },
        lang === "en"
          ? outcome.error.message
          : [
              pick(ERRORS[outcome.error.code]) ?? "",
              " — ",
              el("span", { class: "muted", text: outcome.error.message }),
            ],
      ),
    );
  }
  const verdictOf = (x) =>
    ({
      verified: ["ok", `✔ ${t("matched")}`],
      mismatch: ["bad", `✘ ${t("mismatch")}`],
      not_checked: ["na", t("notChecked")],
    })[x];
  const row = el("p", { class: "variants" });
  for (const variant of ["v1", "v2"]) {
    const [cls, label] = verdictOf(report[variant]);
    row.append(
      el(
        "span",
        { class: `pill ${cls}`, "data-variant-check": variant },
        `${variant.toUpperCase()}: ${label}`,
        variant === report.documentedVariant ? ` (${t("documented")})` : "",
      ),
    );
  }
  if (report.key.provided && report.key.bits && outcome.status !== "verified")
    row.append(el("span", { class: "pill na" }, t("keyBits", report.key.bits)));
  v.append(row);
}

function renderProblems(report, handlers) {
  const list = $("problems");
  list.replaceChildren();
  $("problems-card").hidden = !report;
  if (!report) return;
  const problems = problemsOf(report);
  if (problems.length === 0) {
    list.append(el("li", { class: "problem ok" }, t("noProblems")));
    return;
  }
  const sev = { error: "sevError", warning: "sevWarning", info: "sevInfo" };
  for (const p of problems) {
    const li = el(
      "li",
      { class: `problem ${p.severity}`, "data-code": p.code },
      el(
        "div",
        { class: "problem-head" },
        el("span", { class: `badge ${p.severity}`, text: t(sev[p.severity] ?? "sevInfo") }),
        " ",
        code(p.code),
        p.param ? [" ", code(p.param, "param")] : null,
      ),
      el("p", { class: "hint", "data-testid": "hint" }, lang === "en" ? p.hint : p.hintZh),
      el("p", { class: "muted small message" }, p.message),
    );
    if (p.code === "PASTED_NOT_ENTITY") {
      li.append(
        el("button", {
          type: "button",
          class: "fix",
          "data-testid": "fix-not-entity",
          onclick: handlers.fixNotEntity,
          text: t("fixNot"),
        }),
      );
    }
    list.append(li);
  }
}

/**
 * The problems to list: the report's, and — because an empty list reads as "no problems" — the
 * verdict's own error when the report lists nothing (a missing key above all: without it
 * nothing was verified).
 */
export function problemsOf(report) {
  if (report.problems.length > 0 || report.outcome.status === "verified") return report.problems;
  const error = report.outcome.error;
  const missingKey = !report.key.provided;
  const code = missingKey ? "INVALID_PUBLIC_KEY" : (error?.code ?? "SIGNATURE_MISMATCH");
  return [
    {
      severity: "error",
      code,
      param: null,
      hint: missingKey ? pickIn("en", "noKeyHint") : (pickIn("en", "unexplained") ?? ""),
      hintZh: missingKey ? pickIn("zh", "noKeyHint") : (pickIn("zh", "unexplained") ?? ""),
      message: error?.message ?? "",
    },
  ];
}

function fieldValue(name, value) {
  if (value === null || value === undefined) return el("span", { class: "muted", text: t("none") });
  if (value === "") return el("span", { class: "muted", text: t("empty") });
  if (name === "miniappReleaseBundle" && Array.isArray(value)) {
    return el(
      "span",
      { class: "channels", "data-testid": "channels" },
      value.map((c) =>
        el("span", { class: "chip static" }, code(c.code), " ", pick([c.zh, c.en]) ?? t("unknownChannel")),
      ),
    );
  }
  if (name === "authTime" && typeof value === "number") return el("span", {}, code(String(value)), " ", beijing(value));
  if (name === "utcTimestamp" && /^\d{10,13}$/.test(value))
    return el("span", {}, code(value), " ", beijing(Number(value)));
  if ((name === "expiresIn" || name === "reExpiresIn") && typeof value === "number")
    return el("span", {}, t("seconds", value));
  if (name === "detail" && typeof value === "object") {
    const list = fieldList(value);
    list.classList.add("top-fields");
    return list;
  }
  if (typeof value === "object") return el("pre", { class: "code inline-json", text: JSON.stringify(value, null, 2) });
  return el("span", { class: "value", text: String(value) });
}

function fieldList(obj, extra = {}) {
  const dl = el("dl", { class: "fields" });
  for (const [name, value] of Object.entries(obj)) {
    if (NOT_FIELDS.has(name)) continue;
    const label = pick(FIELDS[name]) ?? name;
    const wide = value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 2;
    dl.append(
      el(
        "div",
        { class: `field-row${wide ? " wide" : ""}`, "data-field": name },
        el("dt", {}, label, " ", el("span", { class: "muted small mono", text: name })),
        el("dd", {}, fieldValue(name, value), extra[name] ?? null),
      ),
    );
  }
  return dl;
}

function renderKind(report) {
  const card = $("kind-card");
  card.replaceChildren();
  card.hidden = !report;
  if (!report) return;
  const n = report.notification;
  card.append(
    el(
      "h2",
      { "data-testid": "kind", "data-kind": report.kind },
      pick(KINDS[report.kind]) ?? report.kind,
      " ",
      code(report.kind === "generic" ? (n?.notifyType ?? n?.msgMethod ?? "generic") : report.kind, "wire"),
    ),
  );
  if (!n) return;
  card.append(
    el("p", { class: `trust ${n.verified ? "ok" : "bad"}` }, t(n.verified ? "verifiedFields" : "unverified")),
  );
  if (n.statusInfo) {
    const s = n.statusInfo;
    card.append(
      el(
        "div",
        { class: "status-block", "data-testid": "status" },
        el(
          "p",
          {},
          el("strong", { text: t("statusTitle") }),
          " ",
          code(s.code),
          " ",
          el("span", { class: "status-label", text: pick([s.zh, s.en]) }),
          " ",
          el("span", {
            class: `badge ${s.terminal ? "final" : "open"}`,
            text: t(s.terminal ? "terminal" : "notTerminal"),
          }),
        ),
        el("p", {}, el("strong", { text: t("next") }), " ", pick([s.nextZh, s.next])),
        s.rule ? el("p", {}, el("strong", { text: t("rule") }), " ", pick([s.rule.zh, s.rule.en])) : null,
        n.deadline
          ? el(
              "p",
              { "data-testid": "deadline" },
              el("strong", { text: t("deadline") }),
              " ",
              el("span", { class: "deadline", text: `${n.deadline.at} (${t("beijing")})` }),
              ` · ${t("from")} ${n.deadline.from}`,
              n.deadline.rule.id !== s.rule?.id ? ` · ${pick([n.deadline.rule.zh, n.deadline.rule.en])}` : "",
            )
          : null,
      ),
    );
  }
  const extra = {};
  if (n.cancelOperator)
    extra.cancelOperatorType = el("span", {}, " ", pick([n.cancelOperator.zh, n.cancelOperator.en]));
  const fields = fieldList(n, extra);
  fields.classList.add("top-fields");
  card.append(fields);
}

function renderParams(report) {
  const card = $("params-card");
  card.hidden = !report || report.params.length === 0;
  const body = $("params");
  body.replaceChildren();
  if (card.hidden) return;
  card
    .querySelector("thead")
    .replaceChildren(
      el(
        "tr",
        {},
        el("th", { text: "#" }),
        el("th", { text: t("colName") }),
        el("th", { text: t("colValue") }),
        el("th", { class: "mark", text: "V1" }),
        el("th", { class: "mark", text: "V2" }),
      ),
    );
  const charset = report.charset ?? "UTF-8";
  report.params.forEach((p, i) => {
    const value = el("td", { class: "value" });
    if (p.value === "") value.append(el("span", { class: "muted", text: t("empty") }));
    else value.append(el("span", { class: p.name === "biz_content" ? "pre" : null, text: p.value }));
    if (!p.validText) {
      value.append(
        el(
          "div",
          { class: "bytes", "data-testid": "raw-bytes" },
          el("span", { class: "badge warning", text: t("notText", charset) }),
          " ",
          code(p.raw ?? ""),
        ),
      );
    }
    const name = el("td", { class: "name" }, code(p.name));
    if (p.documented === false) name.append(" ", el("span", { class: "badge info", text: t("undocumented") }));
    body.append(
      el(
        "tr",
        { "data-param": p.name, class: p.validText ? null : "not-text" },
        el("td", { class: "num", text: String(i + 1) }),
        name,
        value,
        el("td", { class: "mark", text: p.inV1 ? "✓" : "–" }),
        el("td", { class: "mark", text: p.inV2 ? "✓" : "–" }),
      ),
    );
  });
}
function signBlock(variant, report) {
  const text = variant === "v1" ? report.signContentV1 : report.signContentV2;
  const other = variant === "v1" ? report.signContentV2 : report.signContentV1;
  const pre = el("pre", { class: "code sign-content", "data-testid": `sign-content-${variant}` });
  const pieces = text === "" ? [] : diffPieces(text, other);
  pieces.forEach(([piece, differs], k) => {
    if (k > 0) pre.append("&");
    pre.append(differs ? el("mark", { class: "diff", text: piece }) : piece);
  });
  const state = {
    verified: ["ok", `✔ ${t("matched")}`],
    mismatch: ["bad", `✘ ${t("mismatch")}`],
    not_checked: ["na", t("notChecked")],
  }[report[variant]];
  const button = el("button", { type: "button", class: "copy", "data-testid": `copy-${variant}`, text: t("copy") });
  button.addEventListener("click", () => copyText(text, button));
  return {
    pieces,
    nodes: [
      el(
        "div",
        { class: "sign-head" },
        el("h3", { text: t(`${variant}Title`) }),
        el("span", { class: `pill ${state[0]}`, text: state[1] }),
        button,
      ),
      pre,
      el(
        "p",
        { class: "muted small" },
        t("chars", [...text].length),
        report.charset === "GBK" ? ` · ${t("gbkSigned")}` : "",
      ),
    ],
  };
}

function renderSign(report) {
  const card = $("sign-card");
  card.hidden = !report || report.params.length === 0;
  if (card.hidden) return;
  const v1 = signBlock("v1", report);
  const v2 = signBlock("v2", report);
  const only = (pieces) => pieces.filter(([, d]) => d).map(([p]) => p);
  const diff = el("p", { class: "diff-summary", "data-testid": "sign-diff" });
  const onlyV2 = only(v2.pieces);
  const onlyV1 = only(v1.pieces);
  if (onlyV1.length === 0 && onlyV2.length === 0) diff.append(t("diffNone"));
  if (onlyV2.length) diff.append(t("diffOnlyV2"), ...onlyV2.map((p) => el("mark", { class: "diff" }, code(p))), " ");
  if (onlyV1.length) diff.append(t("diffOnlyV1"), ...onlyV1.map((p) => el("mark", { class: "diff" }, code(p))));
  $("sign-v1").replaceChildren(...v1.nodes);
  $("sign-v2").replaceChildren(diff, ...v2.nodes);
}

function copyText(text, button) {
  const done = () => {
    button.textContent = t("copied");
    setTimeout(() => (button.textContent = t("copy")), 1200);
  };
  const fallback = () => {
    const area = el("textarea", { class: "offscreen", readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    try {
      document.execCommand("copy");
      done();
    } catch {
      // nothing else to try; the text is selectable in the page
    }
    area.remove();
  };
  if (navigator.clipboard?.writeText) navigator.clipboard.writeText(text).then(done, fallback);
  else fallback();
}

function renderBiz(report) {
  const card = $("biz-card");
  const raw =
    report?.notification?.bizContentRaw ?? report?.params.find((p) => p.name === "biz_content")?.value ?? null;
  card.hidden = raw === null;
  if (raw === null) return;
  let pretty = null;
  if (report.notification?.bizContent) pretty = JSON.stringify(report.notification.bizContent, null, 2);
  else {
    try {
      pretty = JSON.stringify(JSON.parse(raw), null, 2);
    } catch {
      pretty = t("bizNotJson");
    }
  }
  $("biz-pretty").textContent = pretty;
  $("biz-raw").textContent = raw;
}

/** The sample buttons for `list`; a click calls `onPick(sample)`. */
export function renderSamples(list, onPick) {
  const box = $("samples");
  box.replaceChildren();
  for (const s of list) {
    const label = s.text ? t(s.text) : pick([s.zh, s.en]);
    const bad = s.expect && !s.expect.verified;
    box.append(
      el(
        "button",
        {
          type: "button",
          class: `chip${bad ? " bad" : ""}`,
          "data-testid": "sample",
          "data-sample": s.id,
          title: s.source ?? null,
          onclick: () => onPick(s),
        },
        label,
      ),
    );
  }
}
