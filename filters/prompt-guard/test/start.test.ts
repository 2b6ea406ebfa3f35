// `npm start` (the local gateway on envoy/gateway.yaml) prints prompt-guard's demo: doing what it
// says gives a 403 for the injection and, for the borderline prompt, an answer whose echo shows
// the x-prompt-guard-score / -reason headers the provider received (flagged, not blocked).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnStart, waitForStdout } from "../../../host-test/src/cli/start-process.ts";

test("npm start shows a blocked injection and a flagged borderline prompt, as its demo says", async () => {
  const child = spawnStart(["--port", "0"]);
  try {
    const out = await waitForStdout(child, (o) => o.includes("access log (one JSON line per request):"), 60_000, "npm start printed no demo");
    const url = out.split("\n")[0].trim();
    const blocks = out.split("\n\n");
    const refused = blocks.find((b) => b.includes("a prompt injection is refused by"));
    const flagged = blocks.find((b) => b.includes("a borderline prompt is flagged by"));
    assert.ok(refused && flagged, out);
    const send = async (block: string) => {
      const key = /authorization: Bearer (sk-[a-z0-9-]+)/.exec(block)![1];
      const body = /-d '(\{.*\})'\s*$/.exec(block)![1];
      const res = await fetch(`${url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body });
      return { status: res.status, json: await res.json() as Record<string, any> };
    };
    const r = await send(refused!);
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, "prompt_injection_detected");
    const f = await send(flagged!);
    assert.equal(f.status, 200, JSON.stringify(f.json));
    const echoed = JSON.stringify(f.json).toLowerCase();
    assert.match(echoed, /x-prompt-guard-score/);
    assert.match(echoed, /x-prompt-guard-reason/);
  } finally {
    child.kill("SIGTERM");
  }
});
