// The few workerd APIs the example uses, typed for `tsc --checkJs` (the full types are the npm
// package @cloudflare/workers-types; this keeps the example free of it). Referenced from the
// files that need it with `/// <reference path="./workers.d.ts" />`.

/** SQLite storage of a Durable Object (`ctx.storage.sql`). */
interface SqlStorage {
  exec(query: string, ...bindings: unknown[]): { toArray(): Record<string, string | number | null>[] };
}

/** What a Durable Object is given (`this.ctx`). */
interface DurableObjectState {
  storage: { sql: SqlStorage; transactionSync<T>(fn: () => T): T };
}

interface SubtleCrypto {
  /** workerd: compares two buffers of equal length in constant time. */
  timingSafeEqual(a: ArrayBuffer | ArrayBufferView, b: ArrayBuffer | ArrayBufferView): boolean;
}

declare module "cloudflare:workers" {
  /** The base class of Durable Objects with RPC methods. */
  // biome-ignore lint/suspicious/noExplicitAny: the bindings are declared in wrangler.toml, not typed here
  export abstract class DurableObject<Env = any> {
    protected ctx: DurableObjectState;
    protected env: Env;
    constructor(ctx: DurableObjectState, env: Env);
  }
}
