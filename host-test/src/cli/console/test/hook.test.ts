// The local gateway's audit hook: listeners get exactly the access-log line, and a failing
// listener never touches the request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalGateway } from "../../local-gateway.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "..");

test("onAudit: each listener gets the record the access log printed; a throwing one changes nothing; unsubscribe stops it", async () => {
  const lines: string[] = [];
  const gw = await startLocalGateway({ port: 0, root, accessLog: (l) => lines.push(l) });
  const seen: Array<Record<string, unknown>> = [];
  const stop = gw.onAudit((r) => seen.push(r));
  gw.onAudit(() => { throw new Error("a broken listener"); });
  const stderr = process.stderr.write;
  const errors: string[] = [];
  process.stderr.write = ((s: string) => { errors.push(String(s)); return true; }) as typeof process.stderr.write;
  try {
    for (const auth of ["Bearer sk-demo-bob", ""]) {
      const r = await fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST", headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify({ model: "echo", messages: [{ role: "user", content: "hi jane.doe@example.com" }] }),
      });
      await r.arrayBuffer();
      assert.equal(r.status, auth ? 200 : 401, "the broken listener did not break the request");
    }
    stop();
    await (await fetch(`${gw.url}/healthz`)).text();
  } finally {
    process.stderr.write = stderr;
    await gw.close();
  }
  assert.equal(lines.length, 3);
  assert.deepEqual(seen, lines.slice(0, 2).map((l) => JSON.parse(l)), "the same records, in order; none after unsubscribing");
  assert.equal(seen[0]["aigw.pii.action"], "masked");
  assert.equal(typeof seen[0].ttfb_ms, "number");
  assert.ok(errors.some((e) => /audit listener failed: a broken listener/.test(e)));
});
