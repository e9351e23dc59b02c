// The least any HTTP API in front of Meilisearch must do, as a process of its own: accept a
// request (node:http, keep-alive), read its body, send it on to Meilisearch unchanged over kept-alive
// connections (undici, the transport postindex's API uses), read the answer and write it back. No
// parsing, no checks, no headers of its own. The search and Algolia sections measure it beside the
// API: what it costs is the floor for any process in the path on this machine, not postindex's code.
// usage: node bench/pass-through-proxy.mjs MEILI_URL   (prints "pass-through on http://127.0.0.1:PORT")
import { createServer } from "node:http";
import { Agent } from "undici";

const [target] = process.argv.slice(2);
if (!target) {
  process.stderr.write("usage: node bench/pass-through-proxy.mjs MEILI_URL\n");
  process.exit(2);
}
const origin = new URL(target).origin;
const agent = new Agent({ keepAliveTimeout: 60_000 });

const server = createServer((incoming, outgoing) => {
  const chunks = [];
  incoming.on("data", (chunk) => chunks.push(chunk));
  incoming.on("end", () => {
    const headers = {};
    if (incoming.headers["content-type"]) headers["content-type"] = incoming.headers["content-type"];
    if (incoming.headers.authorization) headers.authorization = incoming.headers.authorization;
    agent
      .request({
        origin,
        path: incoming.url ?? "/",
        method: incoming.method ?? "GET",
        headers,
        body: chunks.length === 0 ? undefined : Buffer.concat(chunks),
      })
      .then(async (answer) => {
        const body = Buffer.from(await answer.body.arrayBuffer());
        outgoing.writeHead(answer.statusCode, {
          "content-type": String(answer.headers["content-type"] ?? "application/json"),
          "content-length": body.length,
        });
        outgoing.end(body);
      })
      .catch((error) => {
        outgoing.writeHead(502, { "content-type": "text/plain" });
        outgoing.end(String(error));
      });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("pass-through: no TCP address");
  process.stdout.write(`pass-through on http://127.0.0.1:${address.port}\n`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
