// The request and response modes of the page: what Alipay verifies in a request the user sent
// (the package's `inspectRequest`, with the app public key) and whether Alipay's answer verifies
// (`inspectResponse`, with the Alipay public key). Rendering with
// textContent only, as in render.js.
import { getCertSN, inspectRequest, inspectResponse } from "alipay-notify";
import { readResponse, visibleLines } from "./exchange.js";
import { ERRORS, lang, pick, pickIn, t } from "./i18n.js";
import { $, code, el } from "./render.js";

/** A `<pre>` of `text` with each line break shown as ↵ (and kept as a real break). */
function visible(text, testid) {
  const pre = el("pre", { class: "code sign-content", "data-testid": testid });
  for (const [line, newline] of visibleLines(text)) {
    pre.append(line);
    if (newline) pre.append(el("span", { class: "nl", "aria-label": "\\n", text: "↵" }), "\n");
  }
  return pre;
}

/** Replaces the `<pre>` with id (and test id) `id` by one showing `text`. */
function replacePre(id, text) {
  const pre = visible(text, id);
  pre.id = id;
  $(id).replaceWith(pre);
}

/** The problem list: each with its code, severity and hint in the page's language. */
function problemList(list, problems) {
  list.replaceChildren();
  const sev = { error: "sevError", warning: "sevWarning", info: "sevInfo" };
  for (const p of problems) {
    list.append(
      el(
        "li",
        { class: `problem ${p.severity}`, "data-code": p.code },
        el(
          "div",
          { class: "problem-head" },
          el("span", { class: `badge ${p.severity}`, text: t(sev[p.severity] ?? "sevInfo") }),
          " ",
          code(p.code),
        ),
        el("p", { class: "hint", "data-testid": "hint" }, lang === "en" ? p.hint : p.hintZh),
        p.message ? el("p", { class: "muted small message" }, p.message) : null,
      ),
    );
  }
}

/** A verdict box: status (`verified` / `failed` / `error` / `idle`), headline and error code. */
function verdictBox(box, status, headline, error, extra = []) {
  box.replaceChildren();
  box.dataset.status = status;
  if (error) box.dataset.code = error.code;
  else delete box.dataset.code;
  const icon = { verified: "✔", failed: "✘", error: "⚠" }[status];
  const main = el(
    "p",
    { class: "verdict-main" },
    icon ? el("span", { class: "icon", text: `${icon} ` }) : null,
    headline,
  );
  if (error) main.append(" ", el("code", { class: "error-code", "data-testid": "error-code", text: error.code }));
  box.append(main, ...extra);
  if (error) {
    box.append(
      el(
        "p",
        { class: "verdict-sub" },
        lang === "en"
          ? error.message
          : [pick(ERRORS[error.code]) ?? "", " — ", el("span", { class: "muted", text: error.message })],
      ),
    );
  }
}

// ─── request ──────────────────────────────────────────────────────────────────────────────

/** Inspects the pasted request with the app public key and shows the report; returns it. */
export function runRequest(text, key, now) {
  const cards = ["request-problems-card", "request-sign-card", "request-fields-card"];
  if (!text.trim()) {
    verdictBox($("request-verdict"), "idle", t("requestIdle"), null);
    for (const id of cards) $(id).hidden = true;
    return null;
  }
  const report = inspectRequest(text, key || null, { now });
  const status = { matches: "verified", mismatch: "failed", not_checked: "error" }[report.verdict];
  const headline = t(
    { matches: "requestMatches", mismatch: "requestMismatch", not_checked: "requestNotChecked" }[report.verdict],
  );
  const pills = el(
    "p",
    { class: "variants" },
    el("span", { class: "pill na", "data-testid": "request-protocol", text: report.protocol.toUpperCase() }),
    el("span", {
      class: "pill na",
      text: `${report.signType} · ${report.signType === "RSA2" ? "SHA256withRSA" : "SHA1withRSA"}`,
    }),
    report.key.bits ? el("span", { class: "pill na", text: t("keyBits", report.key.bits) }) : null,
  );
  const box = $("request-verdict");
  verdictBox(box, status, headline, report.error, [pills]);
  box.dataset.verdict = report.verdict;

  // Never an empty list under a failed verdict: the error itself, when no finding explains it.
  const problems =
    report.problems.length > 0 || !report.error
      ? report.problems
      : [
          {
            code: report.error.code,
            severity: "error",
            hint: report.error.message,
            hintZh: report.error.message,
            message: "",
          },
        ];
  $("request-problems-card").hidden = problems.length === 0;
  problemList($("request-problems"), problems);

  $("request-sign-card").hidden = report.stringToSign === "";
  replacePre("request-sign", report.stringToSign);
  const instead = $("request-instead");
  instead.replaceChildren();
  if (report.signedInstead) {
    instead.append(
      el("h3", { "data-code": report.signedInstead.code }, t("signedInstead"), " ", code(report.signedInstead.code)),
      visible(report.signedInstead.stringToSign, "request-instead"),
    );
  }
  const fields = $("request-fields");
  fields.replaceChildren(
    ...report.fields.map(([name, value]) =>
      el(
        "tr",
        { "data-field": name },
        el("td", { class: "name" }, code(name)),
        el("td", { class: "value", text: value }),
      ),
    ),
  );
  $("request-fields-card").hidden = report.fields.length === 0;
  return report;
}

// ─── response ─────────────────────────────────────────────────────────────────────────────

/** A page-level finding about a response (the package's error says what; this says why). */
function finding(codeName, severity, key, ...args) {
  return {
    code: codeName,
    severity,
    hint: pickIn("en", key, ...args),
    hintZh: pickIn("zh", key, ...args),
    message: "",
  };
}

/** Inspects the pasted response with the Alipay public key and shows why it does or does not verify. */
export function runResponse(text, key) {
  const parsed = readResponse(text);
  const box = $("response-verdict");
  if (parsed.protocol === "empty") {
    verdictBox(box, "idle", t("responseIdle"), null);
    $("response-problems-card").hidden = true;
    $("response-sign-card").hidden = true;
    return null;
  }
  const h = parsed.headers;
  const report = inspectResponse(
    parsed.protocol === "v3"
      ? {
          protocol: "v3",
          timestamp: h["alipay-timestamp"] ?? null,
          nonce: h["alipay-nonce"] ?? null,
          signature: h["alipay-signature"] ?? null,
          body: parsed.body,
        }
      : { protocol: "v2", body: parsed.body },
    key || null,
  );
  /** @type {Array<{ code: string, severity: string, hint: string, hintZh: string, message: string }>} */
  const problems = [...report.problems];
  // What the paste itself shows, beside the package's verdict.
  if (report.problems.some((p) => p.code === "CONTENT_CHANGED") && /\n\s+"/.test(parsed.body))
    problems.push(finding("BODY_REFORMATTED", "warning", "respPretty"));
  const sn = h["alipay-sn"];
  if (sn && key.includes("BEGIN CERTIFICATE")) {
    try {
      const want = getCertSN(key);
      if (want !== sn) problems.push(finding("CERT_SN_MISMATCH", "warning", "respSnMismatch", sn, want));
    } catch {
      // the key's own error is already said
    }
  }
  if (parsed.trimmed) problems.push(finding("BODY_TRIMMED", "info", "respTrimmed"));
  verdictBox(
    box,
    report.verified ? "verified" : "failed",
    t(report.verified ? "responseVerified" : "responseFailed"),
    report.error,
    [
      el(
        "p",
        { class: "variants" },
        el("span", { class: "pill na", "data-testid": "response-protocol", text: report.protocol.toUpperCase() }),
        report.key.bits ? el("span", { class: "pill na", text: t("keyBits", report.key.bits) }) : null,
      ),
    ],
  );
  $("response-problems-card").hidden = problems.length === 0;
  problemList($("response-problems"), problems);
  $("response-sign-card").hidden = report.signedContent === null;
  if (report.signedContent !== null) replacePre("response-sign", report.signedContent);
  return report;
}
