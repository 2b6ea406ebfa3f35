// llm-route's cost per request and per streamed chunk through host-test, as ratios to the no-op
// filter doing the same callbacks (the floor). Cases:
//   routing only     a small chat request to an OpenAI-speaking provider (no translation)
//   translate 4 KB   a 4 KB OpenAI chat request (system, history, a tool) to an Anthropic provider
//   per chunk        a streamed Anthropic answer translated to OpenAI chunks, per event, and the
//                    same stream passed through (OpenAI provider, OpenAI client: usage scan only)
// The issue's target: route + translate a 4 KB request within 3× the floor. Host-call costs are
// Node's, not Envoy's (bench/README.md): compare ratios.
//
// Measured as the floor bench is (bench/lib.ts measureInterleaved): each table's cases run in
// rounds with the order rotated every round, warm-up rounds discarded, timed in this process's
// CPU time (other processes' load on a shared machine is not counted), each ratio taken round by
// round and reported as the median with its 10th–90th percentile. LLM_ROUTE_WASM=<file> measures
// another build of the filter against the same floor; LLM_ROUTE_AB=<file> adds that build's rows
// to every table (an A/B comparison in the same rounds).
import { join } from "node:path";
import { loadPlugin, type Plugin } from "../../../host-test/src/index.ts";
import { measureInterleaved, reportInterleaved, type BenchContext, type InterleavedResult } from "../../../bench/lib.ts";

type Case = [string, () => void];

/** Interleaved rounds of `cases` (the first is the baseline); times divided by `divide` (per chunk). */
async function interleaved(cases: Case[], iterations: number, rounds: number, divide = 1): Promise<InterleavedResult> {
  const r = await measureInterleaved(cases.map(([name, op]) => ({ name, op })), { iterations, rounds, warmupRounds: 3 });
  for (const row of r.rows) { row.nsPerOp /= divide; row.samples = row.samples.map((x) => x / divide); }
  return r;
}

const CONFIG = {
  providers: [
    { name: "openai", kind: "openai", models: { "gpt-4o-mini": { input_price: 0.15, output_price: 0.6 } } },
    { name: "anthropic", kind: "anthropic", models: { "claude-haiku": { model: "claude-3-5-haiku-latest", input_price: 0.8, output_price: 4 } } },
  ],
  aliases: { fast: { strategy: "least-cost", targets: ["openai/gpt-4o-mini", "anthropic/claude-haiku"] } },
};

function request(p: Plugin, body: Uint8Array, path = "/v1/chat/completions"): ReturnType<Plugin["newStream"]> {
  const s = p.newStream();
  s.requestHeaders({ ":method": "POST", ":path": path, ":authority": "gw", "content-type": "application/json", "content-length": String(body.length) }, false);
  s.requestBody(body, true);
  return s;
}

function cycle(p: Plugin, body: Uint8Array, answer: Uint8Array, ct: string): void {
  const s = request(p, body);
  s.responseHeaders({ ":status": "200", "content-type": ct }, false);
  s.responseBody(answer, true);
  s.complete();
}

function streamCycle(p: Plugin, body: Uint8Array, events: Uint8Array[]): void {
  const s = request(p, body);
  s.responseHeaders({ ":status": "200", "content-type": "text/event-stream" }, false);
  events.forEach((e, i) => s.responseBody(e, i === events.length - 1));
  s.complete();
}

function fourKb(model: string): string {
  const turn = "Please review the following paragraph about distributed systems and point out anything unclear. ";
  const messages: unknown[] = [{ role: "system", content: "You are a careful technical editor. Answer briefly." }];
  let i = 0;
  while (JSON.stringify(messages).length < 3600) messages.push({ role: i++ % 2 ? "assistant" : "user", content: turn + i });
  return JSON.stringify({ model, messages, tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } } }], max_tokens: 256 });
}

export default async function (ctx: BenchContext): Promise<void> {
  const enc = new TextEncoder();
  // Batches of 2,000 cycles: each holds several of V8's major collections, so a batch's time is
  // its amortised cost (with 400 the no-op's batches were 14 or 45 µs per cycle depending on
  // whether a major GC fell in them, and the ratios flipped with it).
  const opts = { iterations: ctx.quick ? 500 : 2000, rounds: ctx.quick ? 5 : 11 };
  const noop = await loadPlugin(join(ctx.root, "dist", "noop.wasm"), {});
  const route = await loadPlugin(process.env.LLM_ROUTE_WASM ?? join(ctx.root, "dist", "llm-route.wasm"), { config: CONFIG, allowOnHeadersStopIteration: true, logLevel: "warn" });
  const abFile = process.env.LLM_ROUTE_AB;
  const ab = abFile ? await loadPlugin(abFile, { config: CONFIG, vmId: "ab", allowOnHeadersStopIteration: true, logLevel: "warn" }) : null;
  /** The filter's cases, and with LLM_ROUTE_AB the same cases on that build. */
  const both = (name: string, op: (p: Plugin) => void): Case[] => [[name, () => op(route)], ...(ab ? [[`(${abFile!.split("/").pop()}) ${name}`, () => op(ab)] as Case] : [])];

  const small = enc.encode(JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hello there" }] }));
  const oaiAnswer = enc.encode(JSON.stringify({ id: "c", object: "chat.completion", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }));
  const big = enc.encode(fourKb("claude-haiku"));
  const bigSame = enc.encode(fourKb("gpt-4o-mini"));
  const antAnswer = enc.encode(JSON.stringify({ id: "msg_1", type: "message", role: "assistant", model: "claude-3-5-haiku-latest", content: [{ type: "text", text: "Looks clear." }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 900, output_tokens: 4 } }));

  const aliasBody = enc.encode(JSON.stringify({ model: "fast", messages: [{ role: "user", content: "hello there" }] }));
  reportInterleaved("llm-route: one request/response cycle, small chat request (host-call bound)", await interleaved([
    ["noop: small request + JSON answer", () => cycle(noop, small, oaiAnswer, "application/json")],
    ...both("llm-route: routing only (same dialect)", (p) => cycle(p, small, oaiAnswer, "application/json")),
    ...both("llm-route: alias, least-cost, same dialect", (p) => cycle(p, aliasBody, oaiAnswer, "application/json")),
  ], opts.iterations, opts.rounds));

  reportInterleaved(`llm-route: route + translate a ${big.length}-byte OpenAI request (target: within 3× the floor)`, await interleaved([
    [`noop: ${big.length} B request + JSON answer`, () => cycle(noop, big, antAnswer, "application/json")],
    ...both("llm-route: route 4 KB, same dialect", (p) => cycle(p, bigSame, oaiAnswer, "application/json")),
    ...both("llm-route: route + translate 4 KB to Anthropic and back", (p) => cycle(p, big, antAnswer, "application/json")),
  ], opts.iterations, opts.rounds));

  // A streamed answer of 200 text deltas, one event per chunk.
  const antEvents: Uint8Array[] = [];
  const ev = (t: string, d: unknown) => antEvents.push(enc.encode(`event: ${t}\ndata: ${JSON.stringify({ type: t, ...(d as object) })}\n\n`));
  ev("message_start", { message: { id: "msg_s", type: "message", role: "assistant", model: "claude-3-5-haiku-latest", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } });
  ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
  for (let i = 0; i < 200; i++) ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: `word${i} ` } });
  ev("content_block_stop", { index: 0 });
  ev("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 200 } });
  ev("message_stop", {});
  const oaiEvents: Uint8Array[] = [];
  for (let i = 0; i < 200; i++) oaiEvents.push(enc.encode(`data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, delta: { content: `word${i} ` }, finish_reason: null }] })}\n\n`));
  oaiEvents.push(enc.encode(`data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [], usage: { prompt_tokens: 5, completion_tokens: 200, total_tokens: 205 } })}\n\ndata: [DONE]\n\n`));
  const sopts = { iterations: ctx.quick ? 50 : 200, rounds: opts.rounds };
  const streamReq = enc.encode(JSON.stringify({ model: "claude-haiku", stream: true, messages: [{ role: "user", content: "story" }] }));
  const streamReqOai = enc.encode(JSON.stringify({ model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "story" }] }));
  const n = antEvents.length;
  reportInterleaved(`llm-route: streamed answer, one event per chunk (per-chunk cost, the request's spread over ${n} chunks)`, await interleaved([
    ["noop: per streamed chunk", () => streamCycle(noop, streamReq, antEvents)],
    ...both("llm-route: per chunk, Anthropic → OpenAI", (p) => streamCycle(p, streamReq, antEvents)),
    ...both("llm-route: per chunk, OpenAI passed through", (p) => streamCycle(p, streamReqOai, oaiEvents)),
  ], sopts.iterations, sopts.rounds, n));
}
