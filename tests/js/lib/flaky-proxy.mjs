// A TCP proxy on 127.0.0.1 in front of another local server, whose connections can be made to
// fail on demand: the network failure a gateway sees when the OpenAPI cannot be reached.
//
//   const proxy = await startFlakyProxy(mock.port);
//   proxy.url;          // http://127.0.0.1:<port>, pass it where the real server's URL would go
//   proxy.down(true);   // every new connection is reset at once; down(false) forwards again
import { connect, createServer } from "node:net";

/** Starts the proxy in front of `127.0.0.1:targetPort`. */
export async function startFlakyProxy(targetPort) {
  let down = false;
  let refused = 0;
  const sockets = new Set();
  const server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    if (down) {
      refused += 1;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, "127.0.0.1");
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end);
    upstream.on("error", end);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    /** Whether new connections fail (reset) instead of reaching the server. */
    down(value) {
      down = value;
      // Kept-alive connections would bypass the switch: drop them too.
      if (value) for (const s of sockets) s.destroy();
    },
    /** How many connections were reset while down. */
    get refused() {
      return refused;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
