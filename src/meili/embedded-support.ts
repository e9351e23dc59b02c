import { open } from "node:fs/promises";
import { get } from "node:http";
import { createServer } from "node:net";

/** Small helpers for starting the embedded server: a free port, a health probe, the log's tail. */

/** A TCP port on `host` that nobody listens on right now (the OS picks it; we release it at once). */
export async function findFreePort(host = "127.0.0.1"): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(0, host, done);
  });
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === "string") throw new Error(`no TCP port found on ${host}`);
  return address.port;
}

/** Whether `${url}/health` answers 200 within `timeoutMs` (one fresh connection, no pooling). */
export function checkHealth(url: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((done) => {
    const request = get(`${url}/health`, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      done(response.statusCode === 200);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => done(false));
  });
}

/** The last `lines` lines of a text file (reading at most its last 16 KiB); empty when unreadable. */
export async function readLogTail(path: string, lines = 30): Promise<string> {
  try {
    const file = await open(path, "r");
    try {
      const { size } = await file.stat();
      const length = Math.min(size, 16 * 1024);
      const { buffer } = await file.read(Buffer.alloc(length), 0, length, size - length);
      return buffer.toString("utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } finally {
      await file.close();
    }
  } catch {
    return "";
  }
}
