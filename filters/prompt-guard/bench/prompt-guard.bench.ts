// Per-request cost of prompt-guard for 2 KB and 32 KB prompts (one user message of prose, no rule
// hit, default configuration), against two baselines measured in the same run:
//   - the no-op filter's full request cycle through the host (the floor of any filter);
//   - a plain Wasm byte scan of the same text (guard harness `byteLoop`, the cheapest possible
//     pass over the bytes): the detector alone (harness `score`) is reported as a multiple of it.
// Host-call costs are Node's, not Envoy's: compare ratios, not absolute times (bench/README.md).
import { join } from "node:path";
import { loadPlugin, type Plugin } from "../../../host-test/src/index.ts";
import { measure, report, type BenchContext } from "../../../bench/lib.ts";
import { GuardHarness, ROLE } from "../test/fixtures/guard-harness/load.ts";

const PROSE = [
  "Can you explain the difference between TCP and UDP in simple terms? ",
  "Refactor this function to be async and add error handling for the network calls. ",
  "Here is my config:\n```yaml\nserver:\n  port: 8080\n  timeout: 30s\n```\n",
  "Bitte fasse den folgenden Text zusammen und übersetze ihn ins Englische. ",
  "The meeting notes say the migration is planned for the second quarter, pending review. ",
  "Summarize the customer's complaint and draft a polite answer that offers a refund. ",
];

function prose(bytes: number): string {
  let s = "";
  for (let k = 0; s.length < bytes; k++) s += PROSE[k % PROSE.length];
  return s.slice(0, bytes);
}

function request(p: Plugin, body: Uint8Array): void {
  const s = p.newStream();
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "api.example", "content-type": "application/json" }, false);
  s.requestBody(body, true);
  s.complete();
}

export default async function (ctx: BenchContext): Promise<void> {
  const enc = new TextEncoder();
  const noop = await loadPlugin(join(ctx.root, "dist", "noop.wasm"), {});
  const guard = await loadPlugin(join(ctx.root, "dist", "prompt-guard.wasm"), { config: {}, allowOnHeadersStopIteration: true });
  const h = new GuardHarness();
  for (const size of [2048, 32768]) {
    const n = size === 2048 ? (ctx.quick ? 200 : 1000) : (ctx.quick ? 20 : 100);
    const opts = { iterations: n, samples: ctx.quick ? 3 : 7 };
    const text = prose(size);
    const body = enc.encode(JSON.stringify({ model: "m", messages: [{ role: "user", content: text }] }));
    const base = await measure(`noop, ${size / 1024} KB prompt`, () => request(noop, body), { ...opts, bytesPerOp: body.length });
    const full = await measure(`prompt-guard, ${size / 1024} KB prompt`, () => request(guard, body), { ...opts, bytesPerOp: body.length });
    report(`prompt-guard: one request with a ${size / 1024} KB prompt through the host (host-call bound for small bodies)`, base, [full]);
    const bytes = enc.encode(text);
    const len = h.load(bytes);
    const scan = await measure(`plain Wasm byte scan, ${size / 1024} KB`, () => h.x.byteLoop(len), { ...opts, iterations: n * 10, bytesPerOp: len });
    const det = await measure(`detector alone (model + heuristics), ${size / 1024} KB`, () => h.x.score(len, ROLE.user), { ...opts, bytesPerOp: len });
    report(`prompt-guard: detector on ${size / 1024} KB of text vs a plain byte scan in the same Wasm engine`, scan, [det]);
  }
}
