// Samples the page derives from samples.json: the docs' JSON dump and the `¬ify_` paste. Pure.

/** The derived samples, from the built-in `samples` (the parsed samples.json). */
export function derivedSamples(samples) {
  const out = [];
  const auth = samples.find((s) => s.id === "auth-utf-8-rsa2-spki-base64-v1");
  if (auth) {
    // The docs print biz_content unescaped inside the JSON; so does this sample.
    const data = Object.fromEntries(new URLSearchParams(auth.body));
    const marker = "\u0000BIZ\u0000";
    const json = JSON.stringify({
      headers: { "User-Agent": "Mozilla/4.0", "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8" },
      data: { ...data, biz_content: marker },
      method: "POST",
      url: "https://isv.example.com/gateway.do",
      timeout: 16000,
    }).replace(JSON.stringify(marker), () => `"${data.biz_content}"`);
    out.push({
      id: "derived-json-dump",
      text: "jsonSample",
      body: `ISV_GATEWAY_URL?Data=${json}`,
      key: auth.key,
      options: {},
      expect: { verified: true },
    });
  }
  const order = samples.find((s) => s.id === "order-utf-8-rsa2-spki-base64-v2");
  if (order?.body.includes("&notify_")) {
    out.push({
      id: "derived-not-entity",
      text: "notSample",
      body: order.body.replaceAll("&notify_", "¬ify_"),
      key: order.key,
      options: {},
      expect: { error: "PASTED" },
    });
  }
  return out;
}
