// llm-route is built with AssemblyScript's minimal runtime (asconfig.json): garbage is collected
// only at rest, after a callback returns (common/sdk/rest.ts). These tests hold it to that:
// linear memory stays flat over thousands of exchanges, a large body is reclaimed after its
// callback, a stream of tiny events is collected as often as it costs, answers are unchanged
// while collections happen between callbacks, and a callback made re-entrantly never collects.
import { test } from "node:test";
import assert from "node:assert/strict";
import { answer, load, parseSse, send, sse } from "./helpers.ts";

const memory = (p: Awaited<ReturnType<typeof load>>) => p.vm.memory.buffer.byteLength;
const turn = "Please review the following paragraph about distributed systems and point out anything unclear. ";
function fourKb(model: string): unknown {
  const messages: unknown[] = [{ role: "system", content: "You are a careful technical editor." }];
  for (let i = 0; JSON.stringify(messages).length < 3600; i++) messages.push({ role: i % 2 ? "assistant" : "user", content: turn + i });
  return { model, messages, max_tokens: 256 };
}
const ANT = JSON.stringify({ id: "msg_1", type: "message", role: "assistant", model: "claude-3-5-haiku-20241022", content: [{ type: "text", text: "Looks clear." }], stop_reason: "end_turn", usage: { input_tokens: 900, output_tokens: 4 } });
const EVENTS = sse([
  ["message_start", { type: "message_start", message: { id: "msg_s", type: "message", role: "assistant", model: "m", content: [], usage: { input_tokens: 3, output_tokens: 1 } } }],
  ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
  ...Array.from({ length: 20 }, (_, i): [string, unknown] => ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: `w${i} ` } }]),
  ["message_delta", { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 20 } }],
  ["message_stop", { type: "message_stop" }],
]);

test("linear memory stays flat over 3,000 translated 4 KB exchanges and streams (garbage collected at rest)", async () => {
  const p = await load();
  const run = (i: number) => {
    if (i % 2 === 0) {
      const r = send(p, fourKb("claude-haiku"));
      const out = JSON.parse(answer(r.s, [ANT]));
      assert.equal(out.choices[0].message.content, "Looks clear.");
      r.s.complete();
    } else {
      const r = send(p, { model: "claude-haiku", stream: true, messages: [{ role: "user", content: "story" }] });
      const events = parseSse(answer(r.s, EVENTS.match(/[^]*?\n\n/g)!, { ":status": "200", "content-type": "text/event-stream" }));
      assert.equal(events.map((e) => e.data?.choices?.[0]?.delta?.content ?? "").join(""), Array.from({ length: 20 }, (_, k) => `w${k} `).join(""));
      r.s.complete();
    }
  };
  for (let i = 0; i < 300; i++) run(i);
  const warm = memory(p);
  for (let i = 300; i < 3000; i++) run(i);
  // Without collection this many exchanges leave tens of MiB of garbage.
  assert.ok(memory(p) <= Math.max(warm * 2, 2 << 20), `memory grew from ${warm} to ${memory(p)} bytes`);
});

test("a large request body is reclaimed once its callback returned", async () => {
  const p = await load();
  const filler = "x".repeat(256 << 10); // twice: 512 KiB, about 131,000 tokens (the context is 200,000)
  const r = send(p, { model: "claude-haiku", messages: [{ role: "user", content: filler }, { role: "assistant", content: "ok" }, { role: "user", content: filler }] });
  assert.equal(r.status, undefined);
  assert.equal(r.upstreamBody.messages[2].content[0].text.length, filler.length);
  answer(r.s, [ANT]);
  r.s.complete();
  const after = memory(p);
  // The same request again fits in the memory the first one's garbage left free.
  for (let i = 0; i < 5; i++) { const again = send(p, { model: "claude-haiku", messages: [{ role: "user", content: filler }] }); answer(again.s, [ANT]); again.s.complete(); }
  assert.equal(memory(p), after);
});

test("a stream of many tiny events per chunk is collected as often as its events cost (not only by its bytes)", async () => {
  const p = await load();
  const ev = 'data: {"choices":[{"delta":{"content":"a"}}]}\n\n';
  const chunk = new TextEncoder().encode(ev.repeat(Math.floor(16384 / ev.length))); // ~340 events
  for (let k = 0; k < 10; k++) {
    // An OpenAI answer translated for an Anthropic client: each tiny event becomes a client event.
    const r = send(p, { model: "gpt-4o-mini", stream: true, max_tokens: 10, messages: [{ role: "user", content: "x" }] }, { path: "/v1/messages" });
    r.s.responseHeaders({ ":status": "200", "content-type": "text/event-stream" }, false);
    for (let i = 0; i < 60; i++) r.s.responseBody(chunk, false);
    r.s.responseBody("data: [DONE]\n\n", true);
    const events = parseSse(r.s.client.body);
    assert.equal(events.filter((e) => e.event === "content_block_delta").length, 60 * Math.floor(16384 / ev.length));
    assert.equal(events.at(-1)!.event, "message_stop");
    r.s.complete();
  }
  // Counted by bytes alone (16 KiB a chunk) such a stream left ~8 MiB of garbage between collections.
  assert.ok(memory(p) <= 2 << 20, `memory grew to ${memory(p)} bytes`);
});

test("a callback the host makes while another runs never collects (re-entrant callbacks while a request is decided)", async () => {
  // A host that calls back into the module from inside a host call (Envoy does not; another host
  // may): 400 ticks inside each host call of the request's decision use up the collector's work
  // budget several times over. Collecting then would free what the decision holds in locals only
  // (the candidates, the names published); the request and what is published must come out the
  // same as without them.
  const { Plugin } = await import("../../../host-test/src/index.ts");
  const { readFileSync } = await import("node:fs");
  const { WASM, CONFIG } = await import("./helpers.ts");
  const p = new Plugin(new WebAssembly.Module(readFileSync(WASM)), { config: CONFIG, vmId: "reentrant", allowOnHeadersStopIteration: true, logLevel: "warn" });
  let reenter = 0;
  const imports = (p as unknown as { imports(): WebAssembly.Imports }).imports.bind(p);
  (p as unknown as { imports(): WebAssembly.Imports }).imports = () => {
    const im = imports();
    const env = im.env as Record<string, (...a: number[]) => number>;
    // Host calls made while the request is decided and written, with its objects in locals.
    for (const name of ["proxy_get_buffer_bytes", "proxy_replace_header_map_value", "proxy_set_property", "proxy_get_shared_data"]) {
      const f = env[name];
      env[name] = (...a: number[]) => {
        const r = f(...a);
        for (let i = 0; i < reenter; i++) (p.vm.exports.proxy_on_tick as (id: number) => void)(p.root.id);
        return r;
      };
    }
    return im;
  };
  p.start();
  const body = fourKb("claude-haiku");
  const plain = send(p, body);
  answer(plain.s, [ANT]);
  plain.s.complete();
  reenter = 400;
  for (let i = 0; i < 5; i++) {
    const r = send(p, body);
    assert.equal(r.upstreamRaw, plain.upstreamRaw);
    assert.deepEqual(r.upstreamHeaders, plain.upstreamHeaders);
    assert.equal(answer(r.s, [ANT]), plain.s.client.body);
    r.s.complete();
    assert.deepEqual([...r.s.stream.filterState], [...plain.s.stream.filterState].map(([k, v]) => [k, k.endsWith("ttft_ms") ? r.s.stream.filterState.get(k) : v]));
  }
  assert.equal(p.failed, false);
});
