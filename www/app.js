// The debugging page: reads what the user pasted, runs `inspectNotification` from the npm
// package (browser entry) and shows everything it reports; in certificate mode also the
// certificate's SN, the root bundle's SN and the chain's verdict. Two more modes look at the
// other direction: a request the user sent (`inspectRequest`) and Alipay's response to it. No framework, no network: the
// only requests are this page's own files (its modules, the package, its wasm, samples.json).
// This module is the wiring; the text is in i18n.js, paste parsing in paste.js, the sign-content
// difference in diff.js, the derived samples in samples.js, the rendering in render.js and the
// request / response modes in exchange-view.js (their pure parts in exchange.js).
import init, { getCertSN, getRootCertSN, inspectNotification, verifyCertChain } from "alipay-notify";
import { runRequest, runResponse } from "./exchange-view.js";
import { lang, pickLanguage, setLang, t } from "./i18n.js";
import { readInput } from "./paste.js";
import { $, render as renderState, renderSamples as renderSampleList } from "./render.js";
import { derivedSamples } from "./samples.js";

// The page's form controls by id (index.html): text areas and selects have a `value`, checkboxes `checked`.
const field = (id) => /** @type {HTMLTextAreaElement | HTMLSelectElement} */ ($(id));
const checkbox = (id) => /** @type {HTMLInputElement} */ ($(id));
/** The elements matching a selector, as HTML elements (the page has no others). */
const all = (selector) => /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(selector));

setLang(pickLanguage(location.search, () => localStorage.getItem("alipay-notify-lang")));

function applyLanguage() {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  document.title = `${t("title")} · alipay-notify`;
  for (const el of all("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const b of all("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
}

// ---------------------------------------------------------------------------------------------
// Options and certificates

/** @returns {import("alipay-notify").VerifyOptions} */
function readOptions(headerCharset) {
  /** @type {import("alipay-notify").SignType[]} */
  const signTypes = [];
  if (checkbox("opt-rsa2").checked) signTypes.push("RSA2");
  if (checkbox("opt-rsa").checked) signTypes.push("RSA");
  /** @type {import("alipay-notify").VerifyOptions} */
  const options = {
    variant: /** @type {any} */ (field("opt-variant").value),
    signTypes,
    emptyValues: /** @type {any} */ (field("opt-empty").value),
  };
  const charset = field("opt-charset").value || headerCharset;
  if (charset) options.charset = charset;
  return options;
}

function setOptions(o = {}) {
  field("opt-variant").value = o.variant ?? "auto";
  const types = o.signTypes ?? ["RSA2"];
  checkbox("opt-rsa2").checked = types.includes("RSA2");
  checkbox("opt-rsa").checked = types.includes("RSA");
  field("opt-empty").value = o.emptyValues ?? "keep";
  field("opt-charset").value = ["UTF-8", "GBK"].includes(o.charset) ? o.charset : "";
}

/**
 * Certificate mode: what the key and the optional root bundle are, through the package's own
 * functions. `null` when the key is not a certificate and no root bundle is given.
 */
function readCertificates(key, rootText, now) {
  const armoured = key.includes("-----BEGIN CERTIFICATE-----");
  const attempt = (fn) => {
    try {
      return { value: fn() };
    } catch (e) {
      return { error: { code: e.code ?? "ERROR", message: e.message } };
    }
  };
  // Bare base64 DER is a certificate too; a bare key is not (and says nothing here).
  let cert = key ? attempt(() => getCertSN(key)) : null;
  if (cert?.error && !armoured) cert = null;
  const root = rootText.trim();
  if (!cert && !root) return null;
  const out = {
    cert,
    count: (key.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length || (cert?.value ? 1 : 0),
    root: null,
    chain: null,
    now,
  };
  if (root) {
    out.root = attempt(() => getRootCertSN(root));
    out.chain = cert?.value ? attempt(() => verifyCertChain(key, root, now)) : { needsCert: true };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// State: what was pasted and what the package said about it

let state = { input: null, report: null, options: null };

const render = () => renderState(state, { fixNotEntity });

function fixNotEntity() {
  const body = field("body");
  body.value = body.value.replaceAll("¬", "&not");
  run();
  body.focus();
}

// ---------------------------------------------------------------------------------------------
// Samples

let samples = [];

const renderSamples = () => renderSampleList([...samples, ...derivedSamples(samples)], loadSample);

function loadSample(s) {
  field("body").value = s.body;
  field("key").value = s.key;
  field("root").value = s.root ?? "";
  if (s.root) /** @type {HTMLDetailsElement} */ ($("cert-mode")).open = true;
  $("body").scrollTop = 0;
  $("key").scrollTop = 0;
  setOptions(s.options);
  run();
}

// ---------------------------------------------------------------------------------------------
// Wiring

let ready = false;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;

/** The page's modes: notifications (the default), a request sent, Alipay's response. */
const MODES = ["notification", "request", "response"];
let mode = "notification";

function setMode(next) {
  mode = MODES.includes(next) ? next : "notification";
  document.body.dataset.mode = mode;
  for (const b of all("[data-mode]")) b.setAttribute("aria-pressed", String(b.dataset.mode === mode));
  const hash = mode === "notification" ? "" : `#${mode}`;
  if (location.hash !== hash) history.replaceState(null, "", hash || location.pathname + location.search);
  run();
}

function run() {
  clearTimeout(timer);
  delete document.body.dataset.pending;
  if (!ready) return;
  if (mode === "request") {
    runRequest(field("request").value, field("app-key").value.trim(), Date.now());
    return;
  }
  if (mode === "response") {
    runResponse(field("response").value, field("response-key").value.trim());
    return;
  }
  const input = readInput(field("body").value);
  const key = field("key").value.trim();
  const root = field("root").value.trim();
  const now = Date.now();
  const certs = readCertificates(key, root, now);
  if (input.format === "empty") {
    state = { input, report: null, options: null, certs };
  } else {
    const options = readOptions(input.headerCharset);
    // Certificate mode: the verdict includes the chain, exactly as verifyNotification checks it.
    if (root) Object.assign(options, { alipayRootCert: root, now });
    state = { input, options, report: inspectNotification(input.body, key || null, options), certs };
  }
  render();
}

function schedule() {
  clearTimeout(timer);
  document.body.dataset.pending = "true"; // an update is due (tests wait for it to clear)
  timer = setTimeout(run, 120);
}

function setLanguage(next) {
  setLang(next);
  try {
    localStorage.setItem("alipay-notify-lang", lang);
  } catch {
    // not persisted: fine
  }
  applyLanguage();
  if (ready) {
    renderSamples();
    render();
    if (mode !== "notification") run();
  }
}

async function start() {
  applyLanguage();
  for (const b of all("[data-lang]")) b.addEventListener("click", () => setLanguage(b.dataset.lang));
  for (const id of ["body", "key", "root", "request", "app-key", "response", "response-key"])
    $(id).addEventListener("input", schedule);
  for (const b of all("[data-mode]")) b.addEventListener("click", () => setMode(b.dataset.mode));
  mode = MODES.includes(location.hash.slice(1)) ? location.hash.slice(1) : "notification";
  document.body.dataset.mode = mode;
  for (const b of all("[data-mode]")) b.setAttribute("aria-pressed", String(b.dataset.mode === mode));
  for (const id of ["opt-variant", "opt-rsa2", "opt-rsa", "opt-empty", "opt-charset"])
    $(id).addEventListener("change", run);
  state = { input: null, report: null, options: null };
  render();
  try {
    const [, response] = await Promise.all([init(), fetch(new URL("samples.json", import.meta.url))]);
    samples = response.ok ? await response.json() : [];
  } catch (e) {
    state = { input: { loadError: String(e?.message ?? e) }, report: null, options: null };
    render();
    document.body.dataset.ready = "error";
    return;
  }
  ready = true;
  renderSamples();
  run();
  document.body.dataset.ready = "true";
}

start();
