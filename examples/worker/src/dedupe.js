// De-duplication keys, and the Workers KV store for the notifications that belong to no order and
// no merchant (renewal reminders, authorizations without a merchant PID): those are handled
// at-least-once. Orders and merchants de-duplicate in their Durable Objects (exactly once).

/** How long a handled notify_id is remembered in KV: longer than Alipay's ~25 h of retries. */
export const DONE_TTL_SECONDS = 48 * 3600;

/**
 * The dedupe keys of a verified notification: its `notify_id` (Alipay's retries share it) and its
 * `fingerprint` (SHA-256 of the signature: one value for every spelling of one signed body).
 * Both are signed, and the verifier refuses any body that could hide or change a signed
 * parameter, so an attacker holding a genuine notification cannot vary either.
 * @param {import("alipay-notify").Notification} n
 */
export function dedupeIds(n) {
  return [n.notifyId ?? null, `sig:${n.fingerprint}`].filter((x) => x !== null);
}

/**
 * A dedupe store: Workers KV (`kvStore`) or any other with the same three methods.
 * @typedef {object} DedupeStore
 * @property {(id: string) => Promise<"new" | "done" | "busy">} begin
 * @property {(id: string) => Promise<void>} finish
 * @property {(id: string) => Promise<void>} abort
 */

/**
 * Claims every key: "done" / "busy" as soon as one is (dropping the claims taken), else "new".
 * @param {DedupeStore} store
 * @param {string[]} ids
 */
export async function claimAll(store, ids) {
  const claimed = [];
  for (const id of ids) {
    const state = await store.begin(id);
    if (state !== "new") {
      await Promise.all(claimed.map((c) => Promise.resolve().then(() => store.abort(c)))).catch(() => {});
      return state;
    }
    claimed.push(id);
  }
  return "new";
}

/**
 * The dedupe store on Workers KV:
 *   begin(id)  → "done" if handled before, else "new"
 *   finish(id) → remembered as handled for DONE_TTL_SECONDS
 *   abort(id)  → after a failed handling: undo what begin() claimed (nothing, for KV)
 * KV is eventually consistent (a write can take 60 s or more to be seen in other locations) and
 * has no compare-and-set, so two deliveries of one notify_id that arrive close together can both
 * be handled: at-least-once, so what is done with them must be idempotent.
 * @returns {DedupeStore}
 */
export function kvStore(kv) {
  return {
    async begin(id) {
      return (await kv.get(`notify:${id}`)) === null ? "new" : "done";
    },
    async finish(id) {
      await kv.put(`notify:${id}`, new Date().toISOString(), { expirationTtl: DONE_TTL_SECONDS });
    },
    async abort() {
      // Nothing to undo: only a success is ever written.
    },
  };
}
