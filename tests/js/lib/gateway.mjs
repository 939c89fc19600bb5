// A tiny ISV gateway for the sandbox tests (node:http on 127.0.0.1): records every notification
// it receives (the body, its decoded params and the sandbox clock at arrival) and answers as the
// test says (default `success`).
import { createServer } from "node:http";

/** @typedef {{ status?: number, body: string }} Answer */

/**
 * @param {{ answer?: (params: Record<string, string>, n: number) => Answer | Promise<Answer> }} [options]
 */
export async function startGateway(options = {}) {
  /** @type {Array<{ body: string, params: Record<string, string>, at: number | null, contentType: string | undefined }>} */
  const received = [];
  let clock = () => null;
  /** @type {(params: Record<string, string>, n: number) => Answer | Promise<Answer>} */
  let answer = options.answer ?? (() => ({ body: "success" }));
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("latin1");
      const params = Object.fromEntries(new URLSearchParams(body));
      received.push({ body, params, at: clock(), contentType: req.headers["content-type"] });
      Promise.resolve(answer(params, received.length)).then(
        (a) => {
          res.writeHead(a.status ?? 200, { "content-type": "text/plain" });
          res.end(a.body);
        },
        (e) => {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(String(e?.message ?? e));
        },
      );
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}/alipay/notify`,
    received,
    /** Where arrival times are read from (the sandbox clock). */
    useClock(fn) {
      clock = fn;
    },
    setAnswer(fn) {
      answer = fn;
    },
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}
