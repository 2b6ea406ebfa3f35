// Filter-level throughput through the host on a 1 MB prompt, buffered (JSON request) and
// streamed (SSE answer, 64-byte deltas in 16 KiB chunks), at two PII densities:
//   dense      an email and a card number every ~60 bytes (the per-entity cost dominates)
//   realistic  prose with one entity per ~2 KB (what users send; per-byte and per-event cost)
// Each table has the no-op filter as baseline (ratio column) and, in its last line, the detection
// engine alone scanning the same text once (detect harness, buffered) as the ceiling.
// Host-call costs are Node's, not Envoy's: compare ratios, not absolute MB/s.
// PII_BASELINE=<another pii-mask .wasm> adds that build's rows, measured in the same run.
import { join } from "node:path";
import { loadPlugin, type Plugin } from "../../../host-test/src/index.ts";
import { measure, report, mbPerSec, type BenchContext, type Measurement } from "../../../bench/lib.ts";
import { Harness } from "../test/fixtures/detect-harness/load.ts";
import { piiPeakMemory, piiLargestWithin, PII_BODY_KINDS } from "../../../bench/memory.ts";

function dense(bytes: number): string {
  const words = ["the", "quarterly", "report", "for", "contact", "alice.smith@example.com", "card", "4111 1111 1111 1111", "and", "notes"];
  let s = "";
  let i = 0;
  while (s.length < bytes) s += words[i++ % words.length] + " ";
  return s.slice(0, bytes);
}

const PROSE = [
  "Can you explain the difference between TCP and UDP in simple terms? ",
  "Refactor this function to be async and add error handling for the network calls. ",
  "Here is my config:\n```yaml\nserver:\n  port: 8080\n  timeout: 30s\n```\n",
  "Bitte fasse den folgenden Text zusammen und übersetze ihn ins Englische. ",
  "The meeting notes say the migration is planned for the second quarter, pending review. ",
  "Version 1.2.3 was released on 2024-01-15 with 1735071166 events processed. ",
  "Summarize the customer's complaint and draft a polite answer that offers a refund. ",
  "Order #A-2024-118 (invoice 99812) shipped on Monday; the customer asked for an update. ",
];
const PII = [
  "Contact jane.doe@example.com for details. ",
  "My card 4111 1111 1111 1111 was charged twice. ",
  "Call me at +44 20 7946 0958 tomorrow. ",
  "IBAN DE89 3704 0044 0532 0130 00 for the refund. ",
  "The server is at 10.20.30.40 again. ",
];

/** Prose with one PII sentence after every ~2 KB. */
function realistic(bytes: number): string {
  let s = "";
  let since = 0;
  let k = 0;
  let p = 0;
  while (s.length < bytes) {
    const t = PROSE[k++ % PROSE.length];
    s += t;
    since += t.length;
    if (since >= 2048) { s += PII[p++ % PII.length]; since = 0; }
  }
  return s.slice(0, bytes);
}

function buffered(p: Plugin, body: Uint8Array): void {
  const s = p.newStream();
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", "content-type": "application/json" }, false);
  s.requestBody(body, true);
  s.complete();
}

function streamed(p: Plugin, chunks: Uint8Array[]): void {
  const s = p.newStream();
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions" }, true);
  s.responseHeaders({ ":status": "200", "content-type": "text/event-stream" }, false);
  chunks.forEach((c, i) => s.responseBody(c, i === chunks.length - 1));
  s.complete();
}

function engineLine(rows: Measurement[], engine: Measurement): void {
  const e = mbPerSec(engine);
  console.log(`engine alone (detect harness, same text): ${e.toFixed(1)} MB/s; filter / engine: ` +
    rows.map((r) => `${r.name.startsWith("PII_BASELINE") ? "baseline" : "this build"} ${(mbPerSec(r) / e).toFixed(3)}`).join(", "));
}

export default async function (ctx: BenchContext): Promise<void> {
  const enc = new TextEncoder();
  const opts = { iterations: ctx.quick ? 2 : 5, samples: ctx.quick ? 3 : 7 };
  const cfg = { config: { max_body_bytes: 4 << 20 }, bufferLimitBytes: 64 << 20 };
  const noop = await loadPlugin(join(ctx.root, "dist", "noop.wasm"), {});
  const pii = await loadPlugin(join(ctx.root, "dist", "pii-mask.wasm"), cfg);
  const basePath = process.env.PII_BASELINE;
  const other = basePath ? await loadPlugin(basePath, cfg) : null;
  const harness = new Harness();
  for (const [label, text] of [["PII every ~60 bytes", dense(1 << 20)], ["realistic: one entity per ~2 KB of prose", realistic(1 << 20)]] as const) {
    const json = enc.encode(JSON.stringify({ model: "m", messages: [{ role: "user", content: text }] }));
    let sse = "";
    for (let i = 0; i < text.length; i += 64) sse += `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text.slice(i, i + 64) } }] })}\n\n`;
    const sseBytes = enc.encode(sse + "data: [DONE]\n\n");
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < sseBytes.length; i += 16384) chunks.push(sseBytes.subarray(i, i + 16384));
    const textBytes = enc.encode(text);
    harness.load(textBytes);
    const engine = await measure("engine alone", () => harness.x.scan(0, textBytes.length), { ...opts, bytesPerOp: textBytes.length });

    const baseBuf = await measure("noop, 1 MB JSON request", () => buffered(noop, json), { ...opts, bytesPerOp: json.length });
    const rowsBuf = [await measure("pii-mask, 1 MB JSON request (buffered)", () => buffered(pii, json), { ...opts, bytesPerOp: json.length })];
    if (other) rowsBuf.push(await measure("PII_BASELINE, buffered", () => buffered(other, json), { ...opts, bytesPerOp: json.length }));
    report(`pii-mask: buffered 1 MB prompt, ${label} (host-call bound, see bench/README.md)`, baseBuf, rowsBuf);
    engineLine(rowsBuf, engine);

    const baseSse = await measure("noop, 1 MB text as SSE", () => streamed(noop, chunks), { ...opts, bytesPerOp: sseBytes.length });
    const rowsSse = [await measure("pii-mask, 1 MB text as SSE (streamed)", () => streamed(pii, chunks), { ...opts, bytesPerOp: sseBytes.length })];
    if (other) rowsSse.push(await measure("PII_BASELINE, streamed", () => streamed(other, chunks), { ...opts, bytesPerOp: sseBytes.length }));
    report(`pii-mask: streamed SSE answer, 16 KiB chunks, ${label}`, baseSse, rowsSse);
    engineLine(rowsSse, engine);
  }
  // Peak linear memory of a fresh VM per body kind (Wasm memory never shrinks; AssemblyScript grows
  // it by doubling, so figures are step-wise). Baseline: the same VM idle after configure. The ratio
  // is (peak - idle) / body bytes.
  const builds: Array<[string, string]> = [["this build", join(ctx.root, "dist", "pii-mask.wasm")]];
  if (basePath) builds.push(["PII_BASELINE", basePath]);
  for (const mb of [1, 4]) {
    console.log(`\n## pii-mask memory: peak linear memory growth of a fresh VM for one ${mb} MB PII-dense body / the body's bytes (bench/memory.ts piiPeakMemory)`);
    for (const [name, wasm] of builds) {
      for (const r of await piiPeakMemory(wasm, name.replace(/ /g, "-"), mb)) {
        console.log(`${name.padEnd(12)} ${r.name.padEnd(58)} idle ${(r.idle / 1048576).toFixed(2)} MiB -> peak ${(r.peak / 1048576).toFixed(2)} MiB: ${((r.peak - r.idle) / r.bodyBytes).toFixed(2)}x the body`);
      }
    }
  }
  // The finer figure: the largest body within 16 MiB; 16 MiB / that body is what a stream needs at
  // its peak per byte it must hold (">=": bounded, the search's ceiling was reached).
  console.log("\n## pii-mask memory: largest PII-dense body a fresh VM handles within 16 MiB (bench/memory.ts piiLargestWithin)");
  for (const [name, wasm] of builds) {
    const cells: string[] = [];
    for (const [kind] of PII_BODY_KINDS) {
      const w = await piiLargestWithin(wasm, kind, 16);
      cells.push(w >= 16384 ? `${kind} >= 16384 KiB (bounded)` : `${kind} ${w} KiB (${(16384 / w).toFixed(2)}x)`);
    }
    console.log(`${name.padEnd(12)} ${cells.join(", ")}`);
  }
}
