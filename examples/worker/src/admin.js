/// <reference path="./workers.d.ts" />
// The read-only admin routes, for operators and tests: `GET /orders/<commodity_order_id>` (the
// order's stored record) and `GET /merchants/<pid>` (its orders and authorization, never the
// token). Enabled only when the `ADMIN_TOKEN` secret is set; the request must carry
// `Authorization: Bearer <ADMIN_TOKEN>`.

const ROUTE = /^\/(orders|merchants)\/([^/]+)$/;

/**
 * Answers an admin request, or returns `null` when the request is not one (or the routes are off).
 * @param {Request} request
 * @param {URL} url
 * @param {any} env
 * @returns {Promise<Response | null>}
 */
export async function admin(request, url, env) {
  const m = ROUTE.exec(url.pathname);
  if (!m || request.method !== "GET" || !env.ADMIN_TOKEN) return null;
  if (!(await sameSecret(request.headers.get("authorization") ?? "", `Bearer ${env.ADMIN_TOKEN}`)))
    return Response.json({ code: "UNAUTHORIZED" }, { status: 401 });
  const id = decodeURIComponent(m[2]);
  const ns = m[1] === "orders" ? env.ORDERS : env.MERCHANTS;
  const record = await ns.get(ns.idFromName(id)).read();
  if (!record) return Response.json({ code: "NOT_FOUND" }, { status: 404 });
  return Response.json(record);
}

/** Compares two strings in constant time (over their SHA-256, so lengths do not leak). */
async function sameSecret(a, b) {
  const enc = new TextEncoder();
  const [x, y] = await Promise.all([a, b].map((s) => crypto.subtle.digest("SHA-256", enc.encode(s))));
  return crypto.subtle.timingSafeEqual(x, y);
}
