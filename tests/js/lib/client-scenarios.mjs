// The OpenAPI client suite as data: each scenario is one client call against the mock Alipay
// (lib/mock-alipay.mjs) with the outcomes the mock answers it with, and the expected verdict.
// `runScenarios` is runtime-neutral (no Node imports): the same list runs in Node (ESM, CJS)
// and inside workerd; the mock answers by the scenario's own order id (`mockHandler`), so the
// runtime that calls needs no channel to the mock.
import { APIS, APP_AUTH_TOKEN } from "./openapi-apis.mjs";

const camel = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/** The API's params in camelCase, with the scenario's id as its order / commodity id. */
function paramsFor(api, id) {
  const out = {};
  for (const [k, v] of Object.entries(api.params)) {
    out[camel(k)] = k === "commodity_order_id" || k === "commodity_id" ? id : v;
  }
  return out;
}

/**
 * Every scenario. `sn`: `{ forged, app }` — certificate SNs the mock serves for download (a
 * forged Alipay certificate, the app certificate).
 */
export function buildScenarios(sn) {
  const list = [];
  let n = 0;
  const add = (s) => {
    const id = `S${String(++n).padStart(4, "0")}${"0".repeat(10)}`;
    const api = APIS.find((a) => a.name === s.api);
    list.push({
      id,
      callOptions: api.appAuthToken ? { appAuthToken: APP_AUTH_TOKEN } : {},
      clientOptions: {},
      ...s,
      params: paramsFor(api, id),
    });
  };
  const query = "orderQuery";
  const change = "orderAccept";
  for (const mode of ["key", "cert"]) {
    for (const protocol of ["v3", "v2"]) {
      const base = { mode, protocol };
      // Success for every API (orderUpgrade is v2 only: in v3 it still goes to the gateway).
      for (const api of APIS) add({ ...base, api: api.name, outcomes: [], expect: { ok: true, requests: 1 } });
      add({ ...base, api: query, outcomes: [], check: "orderQuery", expect: { ok: true, requests: 1 } });
      add({
        ...base,
        api: "promotionRelationQuery",
        outcomes: [],
        check: "promotion",
        expect: { ok: true, requests: 1 },
      });
      // Business and gateway errors, by code.
      for (const api of [query, change, "orderItemConfirm"]) {
        const code = APIS.find((a) => a.name === api).errors[0][0];
        add({
          ...base,
          api,
          outcomes: ["business-error"],
          expect:
            protocol === "v3"
              ? { code: "ALIPAY_API_ERROR", alipayCode: code, httpStatus: 400, verified: true, requests: 1 }
              : {
                  code: "ALIPAY_API_ERROR",
                  alipayCode: "40004",
                  subCode: code,
                  httpStatus: 200,
                  verified: true,
                  requests: 1,
                },
        });
      }
      add({
        ...base,
        api: change,
        outcomes: ["gateway-error"],
        expect:
          protocol === "v3"
            ? {
                code: "ALIPAY_API_ERROR",
                alipayCode: "invalid-signature",
                httpStatus: 401,
                verified: true,
                requests: 1,
              }
            : {
                code: "ALIPAY_API_ERROR",
                alipayCode: "40002",
                subCode: "isv.invalid-app-id",
                verified: true,
                requests: 1,
              },
      });
      // Answers that must never become data.
      for (const part of protocol === "v3" ? ["body", "timestamp", "nonce", "signature"] : ["body", "signature"]) {
        add({
          ...base,
          api: query,
          outcomes: [{ type: "tampered", part }],
          expect: { code: "SIGNATURE_MISMATCH", requests: 1 },
        });
      }
      add({ ...base, api: change, outcomes: ["unsigned"], expect: { code: "MISSING_PARAMETER", requests: 1 } });
      add({ ...base, api: query, outcomes: ["wrong-key"], expect: { code: "SIGNATURE_MISMATCH", requests: 1 } });
      add({
        ...base,
        api: change,
        outcomes: [{ type: "empty" }],
        expect: { code: "UNEXPECTED_RESPONSE", httpStatus: 200, requests: 1 },
      });
      // An HTML 502: a query is retried (then fails the same way), a state change is not.
      add({
        ...base,
        api: query,
        outcomes: ["html", "html", "html"],
        clientOptions: { retryDelayMs: 5 },
        expect: { code: "UNEXPECTED_RESPONSE", httpStatus: 502, requests: 3 },
      });
      add({
        ...base,
        api: query,
        outcomes: ["html"],
        clientOptions: { retryDelayMs: 5 },
        expect: { ok: true, requests: 2 },
      });
      add({
        ...base,
        api: change,
        outcomes: ["html"],
        clientOptions: { retryDelayMs: 5 },
        expect: { code: "UNEXPECTED_RESPONSE", httpStatus: 502, requests: 1 },
      });
      // Timeouts: a query tries again (and succeeds), a state change reports TIMEOUT once.
      add({
        ...base,
        api: query,
        outcomes: [{ type: "success", delayMs: 1500 }],
        clientOptions: { timeoutMs: 300, retryDelayMs: 5 },
        expect: { ok: true, requests: 2 },
      });
      add({
        ...base,
        api: change,
        outcomes: [{ type: "success", delayMs: 1500 }],
        clientOptions: { timeoutMs: 300, retryDelayMs: 5 },
        expect: { code: "TIMEOUT", requests: 1 },
      });
      add({
        ...base,
        api: "orderReject",
        outcomes: [{ type: "success", delayMs: 1500 }],
        clientOptions: { timeoutMs: 300 },
        callOptions: { retries: 5 },
        expect: { code: "TIMEOUT", requests: 1 },
      });
      // A merchant API without its app_auth_token is refused before anything is sent.
      add({
        ...base,
        api: "orderItemConfirm",
        outcomes: [],
        callOptions: {},
        expect: { code: "MISSING_PARAMETER", requests: 0 },
      });
      if (protocol === "v2") {
        add({
          ...base,
          api: query,
          outcomes: [{ type: "success", escapeSlashes: true, result: { status: "a/b" } }],
          expect: { ok: true, requests: 1 },
        });
      }
      if (mode === "cert") {
        add({ ...base, api: query, outcomes: ["wrong-sn"], expect: { code: "CERT_SN_MISMATCH", requests: 1 } });
        add({ ...base, api: change, outcomes: ["rotated"], expect: { code: "CERT_SN_MISMATCH", requests: 1 } });
        // Rotation: the new certificate is downloaded, checked, and verifies the same answer.
        add({
          ...base,
          api: change,
          outcomes: ["rotated"],
          clientOptions: { rotateAlipayCert: true },
          check: "rotated",
          expect: { ok: true, requests: 2 },
        });
        add({
          ...base,
          api: change,
          outcomes: ["wrong-sn"],
          clientOptions: { rotateAlipayCert: true },
          expect: { code: "CERT_SN_MISMATCH", requests: 2 },
        });
        add({
          ...base,
          api: change,
          outcomes: [{ type: "success", key: "rotated", sn: sn.forged }],
          clientOptions: { rotateAlipayCert: true },
          expect: { code: "CERT_UNTRUSTED", requests: 2 },
        });
        add({
          ...base,
          api: change,
          outcomes: [{ type: "success", key: "rotated", sn: sn.app }],
          clientOptions: { rotateAlipayCert: true },
          expect: { code: "CERT_NOT_ALIPAY", requests: 2 },
        });
      }
    }
  }
  return list;
}

/** The mock's handler: answers each scenario's n-th request with its n-th outcome. */
export function mockHandler(scenarios) {
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  const seen = new Map();
  return (rec) => {
    const id = rec.bizParams?.commodity_order_id ?? rec.bizParams?.commodity_id;
    const s = byId.get(id);
    if (!s) return undefined;
    const i = seen.get(id) ?? 0;
    seen.set(id, i + 1);
    return s.outcomes[i];
  };
}

/** The requests the mock recorded for each scenario id (the download of a rotation included). */
export function requestCounts(requests, scenarios) {
  const ids = new Set(scenarios.map((s) => s.id));
  const counts = new Map();
  let last = null;
  for (const rec of requests) {
    const id = rec.bizParams?.commodity_order_id ?? rec.bizParams?.commodity_id;
    // A certificate download belongs to the scenario whose answer caused it.
    const owner = ids.has(id) ? id : rec.alipayMethod === "alipay.open.app.alipaycert.download" ? last : null;
    if (owner) counts.set(owner, (counts.get(owner) ?? 0) + 1);
    if (ids.has(id)) last = id;
  }
  return counts;
}

/**
 * Runs the scenarios with `client` (the `alipay-notify/client` module) and the mock's client
 * options per mode. Sequential, so a rotation's download follows its own call. Returns plain data.
 */
export async function runScenarios(client, optionsByMode, scenarios) {
  const out = [];
  for (const s of scenarios) {
    const c = client.createClient({ ...optionsByMode[s.mode], protocol: s.protocol, ...s.clientOptions });
    const r = { id: s.id };
    try {
      const result = await c[s.api](s.params, s.callOptions);
      r.ok = true;
      r.raw = { protocol: result.raw.protocol, httpStatus: result.raw.httpStatus };
      if (s.check === "orderQuery")
        r.fields = {
          status: result.status,
          shopId: result.orderItems?.[0]?.shopId,
          autoUpgrade: result.autoUpgrade,
          totalSize: result.totalSize,
        };
      if (s.check === "promotion")
        r.fields = { pageSize: result.pageSize, promoterPid: result.promotionRelations?.[0]?.promoterPid };
      if (s.check === "rotated")
        r.fields = { rotated: c.alipayCert !== optionsByMode[s.mode].alipayCert, sn: result.raw.alipayCertSn };
    } catch (e) {
      r.ok = false;
      r.name = e?.name;
      r.code = e?.code ?? String(e);
      for (const k of ["alipayCode", "subCode", "httpStatus", "verified", "parameter"])
        if (e?.[k] !== undefined) r[k] = e[k];
      r.message = String(e?.message);
    }
    out.push(r);
  }
  return out;
}

/**
 * Asserts one run's results (`assert`: node:assert/strict): each verdict, each count of requests
 * that reached the mock, that every request verified there, and that every code occurred.
 */
export function checkScenarioResults(assert, results, { scenarios, mocks, rotatedSn }) {
  const counts = {
    key: requestCounts(mocks.key.requests, scenarios),
    cert: requestCounts(mocks.cert.requests, scenarios),
  };
  assert.equal(results.length, scenarios.length);
  const codes = new Set();
  for (const [i, s] of scenarios.entries()) {
    const r = results[i];
    const what = `${s.id} ${s.mode} ${s.protocol} ${s.api} ${JSON.stringify(s.outcomes)} → ${JSON.stringify(r)}`;
    assert.equal(r.id, s.id);
    if (s.expect.ok) {
      assert.equal(r.ok, true, what);
      assert.equal(r.raw.protocol, s.api === "orderUpgrade" ? "v2" : s.protocol, what);
    } else {
      assert.equal(r.ok, false, what);
      assert.equal(r.name, "AlipayNotifyError", what);
      assert.equal(r.code, s.expect.code, what);
      codes.add(r.code);
      for (const k of ["alipayCode", "subCode", "httpStatus", "verified"]) {
        if (s.expect[k] !== undefined) assert.equal(r[k], s.expect[k], `${what}: ${k}`);
      }
    }
    assert.equal(counts[s.mode].get(s.id) ?? 0, s.expect.requests, `${what}: requests that reached Alipay`);
    if (s.check === "orderQuery")
      assert.deepEqual(
        r.fields,
        { status: "MERCHANT_ORDED", shopId: "2015052000077000000000182140", autoUpgrade: false, totalSize: 1 },
        what,
      );
    if (s.check === "promotion") assert.deepEqual(r.fields, { pageSize: 10, promoterPid: "2088000000000456" }, what);
    if (s.check === "rotated") assert.deepEqual(r.fields, { rotated: true, sn: rotatedSn }, what);
  }
  // Every request the mock received verified (the client signs right in every scenario).
  for (const m of Object.values(mocks)) {
    for (const rec of m.requests) assert.equal(rec.verified, true, `${rec.target}: ${rec.error}`);
  }
  for (const code of [
    "ALIPAY_API_ERROR",
    "SIGNATURE_MISMATCH",
    "MISSING_PARAMETER",
    "UNEXPECTED_RESPONSE",
    "TIMEOUT",
    "CERT_SN_MISMATCH",
    "CERT_UNTRUSTED",
    "CERT_NOT_ALIPAY",
  ]) {
    assert.ok(codes.has(code), `no scenario produced ${code}`);
  }
  return results;
}
