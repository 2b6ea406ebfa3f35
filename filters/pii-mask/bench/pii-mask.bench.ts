// Filter-level throughput through the host on a 1 MB prompt, buffered (JSON request) and
// streamed (SSE answer in 16 KiB chunks), as a ratio to the no-op filter in the same run.
// Host-call costs are Node's, not Envoy's: compare ratios, not absolute MB/s.
import { join } from "node:path";
import { loadPlugin, type Plugin } from "../../../host-test/src/index.ts";
import { measure, report, type BenchContext } from "../../../bench/lib.ts";

function prompt(bytes: number): string {
  const words = ["the", "quarterly", "report", "for", "contact", "alice.smith@example.com", "card", "4111 1111 1111 1111", "and", "notes"];
  let s = "";
  let i = 0;
  while (s.length < bytes) s += words[i++ % words.length] + " ";
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

export default async function (ctx: BenchContext): Promise<void> {
  const enc = new TextEncoder();
  const text = prompt(1 << 20);
  const json = enc.encode(JSON.stringify({ model: "m", messages: [{ role: "user", content: text }] }));
  let sse = "";
  for (let i = 0; i < text.length; i += 64) sse += `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text.slice(i, i + 64) } }] })}\n\n`;
  const sseBytes = enc.encode(sse + "data: [DONE]\n\n");
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < sseBytes.length; i += 16384) chunks.push(sseBytes.subarray(i, i + 16384));
  const opts = { iterations: ctx.quick ? 2 : 5, samples: ctx.quick ? 3 : 7 };
  const noop = await loadPlugin(join(ctx.root, "dist", "noop.wasm"), {});
  const pii = await loadPlugin(join(ctx.root, "dist", "pii-mask.wasm"), { config: { max_body_bytes: 4 << 20 }, bufferLimitBytes: 64 << 20 });
  // PII_BASELINE=<another pii-mask .wasm> adds that build's rows, measured in the same run.
  const basePath = process.env.PII_BASELINE;
  const other = basePath ? await loadPlugin(basePath, { config: { max_body_bytes: 4 << 20 }, bufferLimitBytes: 64 << 20 }) : null;
  const baseBuf = await measure("noop, 1 MB JSON request", () => buffered(noop, json), { ...opts, bytesPerOp: json.length });
  const piiBuf = await measure("pii-mask, 1 MB JSON request (buffered)", () => buffered(pii, json), { ...opts, bytesPerOp: json.length });
  const rowsBuf = [piiBuf];
  if (other) rowsBuf.push(await measure("PII_BASELINE, buffered", () => buffered(other, json), { ...opts, bytesPerOp: json.length }));
  report("pii-mask: buffered 1 MB prompt (host-call bound, see bench/README.md)", baseBuf, rowsBuf);
  const baseSse = await measure("noop, 1 MB text as SSE", () => streamed(noop, chunks), { ...opts, bytesPerOp: sseBytes.length });
  const piiSse = await measure("pii-mask, 1 MB text as SSE (streamed)", () => streamed(pii, chunks), { ...opts, bytesPerOp: sseBytes.length });
  const rowsSse = [piiSse];
  if (other) rowsSse.push(await measure("PII_BASELINE, streamed", () => streamed(other, chunks), { ...opts, bytesPerOp: sseBytes.length }));
  report("pii-mask: streamed SSE answer, 16 KiB chunks", baseSse, rowsSse);
}
