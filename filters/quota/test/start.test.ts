// `npm start` (the local gateway on envoy/gateway.yaml) prints quota's demo, and doing what it says
// gives three answers then a 429 with retry-after and OpenAI's x-ratelimit-* headers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnStart, waitForStdout } from "../../../host-test/src/cli/start-process.ts";

test("npm start shows a 429 after carol's small budget, with the x-ratelimit-* headers", async () => {
  const child = spawnStart(["--port", "0"]);
  try {
    const out = await waitForStdout(child, (o) => o.includes("access log (one JSON line per request):"), 60_000, "npm start printed no demo");
    const url = out.split("\n")[0].trim();
    const demo = out.split("\n\n").find((b) => b.includes("quota's budget"));
    assert.ok(demo, out);
    assert.match(demo!, /budget `trial-rpm` \(3 requests per 1m for carol\); the request after it gets a 429/);
    assert.match(demo!, /for i in \$\(seq 3\)/);
    const key = /authorization: Bearer (sk-[a-z-]+)/.exec(demo!)![1];
    const send = () => fetch(`${url}/v1/chat/completions`, {
      method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "echo", messages: [{ role: "user", content: "hi" }] }),
    });
    // The budget is per minute on the real clock: do not start in the last seconds of a minute.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 3_000) await new Promise((r) => setTimeout(r, left + 100));
    const codes: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 4; i++) { last = await send(); codes.push(last.status); await last.text(); }
    assert.deepEqual(codes, [200, 200, 200, 429]);
    assert.equal(last!.headers.get("x-ratelimit-limit-requests"), "3");
    assert.equal(last!.headers.get("x-ratelimit-remaining-requests"), "0");
    assert.match(last!.headers.get("x-ratelimit-reset-requests")!, /^(\d+ms|\d+(\.\d+)?s)$/);
    assert.ok(Number(last!.headers.get("retry-after")) >= 1);
    assert.equal(last!.headers.get("content-type"), "application/json");
  } finally {
    child.kill("SIGTERM");
  }
});
