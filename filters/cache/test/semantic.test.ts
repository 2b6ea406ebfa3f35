// Semantic lookups: a paraphrase answered with x-ai-cache: semantic-hit and its similarity; the
// embeddings endpoint down, slow or wrong is a miss (never an error); scope and conversation
// context separate buckets; vectors reach other workers through shared data.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ClusterRequest, ClusterResponse } from "../../../host-test/src/index.ts";
import { paraphraseEmbedding } from "../../../host-test/src/cli/sample-embeddings.ts";
import { ask, chat, load, openaiAnswer, reply, vmId } from "./helpers.ts";

const SEMANTIC = { semantic: { cluster: "emb", model: "sample-paraphrase", threshold: 0.8, timeout_ms: 200 } };

function embeddings(calls: ClusterRequest[] = []): (req: ClusterRequest) => ClusterResponse {
  return (req) => {
    calls.push(req);
    const body = JSON.parse(req.body);
    const v = paraphraseEmbedding(body.input);
    // As OpenAI: base64 of little-endian float32 when asked for, else JSON numbers.
    const embedding = body.encoding_format === "base64" ? Buffer.from(new Float32Array(v).buffer).toString("base64") : v;
    return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ object: "list", data: [{ object: "embedding", index: 0, embedding }] }) };
  };
}

test("a paraphrase is answered with semantic-hit and the similarity; an unrelated prompt misses", async () => {
  const calls: ClusterRequest[] = [];
  const p = await load(SEMANTIC, { clusters: { emb: embeddings(calls) } });
  const first = ask(p, chat("What is the capital of France?"));
  await p.settle();
  assert.equal(first.localReply, null);
  assert.ok(first.upstream.headers, "the miss went on after the lookup");
  reply(first, [openaiAnswer("Paris.")]);
  assert.equal(first.client.headers!.get("x-ai-cache"), "miss");
  assert.equal(calls[0].path, "/v1/embeddings");
  assert.deepEqual(JSON.parse(calls[0].body), { model: "sample-paraphrase", input: "What is the capital of France?", encoding_format: "base64" });

  const para = ask(p, chat("Tell me the capital city of France, please"));
  await p.settle();
  const lr = para.localReply!;
  assert.equal(lr.status, 200);
  assert.equal(JSON.parse(lr.body).choices[0].message.content, "Paris.");
  assert.equal(para.client.headers!.get("x-ai-cache"), "semantic-hit");
  const sim = Number(para.client.headers!.get("x-ai-cache-similarity"));
  assert.ok(sim >= 0.8 && sim <= 1, `similarity ${sim}`);
  assert.equal(para.filterState("aigw.cache.status"), "semantic_hit");
  assert.equal(p.metrics.counter("aigw.cache.semantic_hits"), 1);

  const other = ask(p, chat("How do I bake bread?"));
  await p.settle();
  assert.equal(other.localReply, null);
  assert.ok(other.upstream.headers);
  // The exact repeat does not need the embeddings endpoint.
  const n = calls.length;
  assert.ok(ask(p, chat("What is the capital of France?")).localReply);
  assert.equal(calls.length, n);
});

test("encoding_format float asks for JSON numbers and reads them", async () => {
  const calls: ClusterRequest[] = [];
  const p = await load({ semantic: { ...SEMANTIC.semantic, encoding_format: "float" } }, { clusters: { emb: embeddings(calls) } });
  const s = ask(p, chat("What is the capital of France?"));
  await p.settle();
  reply(s, [openaiAnswer("Paris.")]);
  assert.equal(JSON.parse(calls[0].body).encoding_format, undefined);
  const h = ask(p, chat("capital of France?"));
  await p.settle();
  assert.equal(h.client.headers!.get("x-ai-cache"), "semantic-hit");
});

test("scope and conversation: another consumer, another model or other earlier turns never match", async () => {
  const p = await load(SEMANTIC, { clusters: { emb: embeddings() } });
  const s = ask(p, chat("What is the capital of France?"), { consumer: "alice" });
  await p.settle();
  reply(s, [openaiAnswer("Paris.")]);
  for (const [body, o] of [
    [chat("capital of France?"), { consumer: "bob" }],
    [chat("capital of France?", { model: "gpt-4o" }), { consumer: "alice" }],
    [{ model: "gpt-4o-mini", messages: [{ role: "user", content: "We talk about Texas." }, { role: "assistant", content: "Ok." }, { role: "user", content: "capital of France?" }] }, { consumer: "alice" }],
  ] as Array<[unknown, { consumer: string }]>) {
    const r = ask(p, body, o);
    await p.settle();
    assert.equal(r.localReply, null, JSON.stringify(body));
  }
  const ok = ask(p, chat("France capital?"), { consumer: "alice" });
  await p.settle();
  assert.ok(ok.localReply);
});

test("embeddings endpoint down, failing, slow or wrong: a miss, the request goes on unharmed", async () => {
  for (const [name, handler] of [
    ["reset", () => { throw new Error("connection refused"); }],
    ["500", () => ({ status: 500, body: "boom" })],
    ["not an embedding", () => ({ status: 200, headers: { "content-type": "application/json" }, body: '{"data":[{"embedding":"nope"}]}' })],
    ["slow", () => new Promise<ClusterResponse>((r) => setTimeout(() => r({ status: 200, body: "{}" }), 1000))],
  ] as Array<[string, (req: ClusterRequest) => ClusterResponse | Promise<ClusterResponse>]>) {
    const p = await load(SEMANTIC, { clusters: { emb: handler } });
    const s = ask(p, chat("hello"));
    await p.settle();
    assert.equal(s.localReply, null, name);
    assert.ok(s.upstream.headers, `${name}: the request reached the upstream`);
    assert.equal(JSON.parse(s.upstream.body).messages[0].content, "hello");
    reply(s, [openaiAnswer("hi")]);
    assert.equal(s.client.headers!.get("x-ai-cache"), "miss");
    assert.equal(p.metrics.counter("aigw.cache.embedding_errors"), 1, name);
    // The exact cache still works.
    assert.ok(ask(p, chat("hello")).localReply, name);
  }
  // An unknown cluster: the call cannot start.
  const p = await load({ semantic: { cluster: "nowhere", model: "m" } });
  const s = ask(p, chat("hello"));
  assert.ok(s.upstream.headers);
  assert.equal(p.metrics.counter("aigw.cache.embedding_errors"), 1);
});

test("vectors stored by one worker are found by another of the same vm_id", async () => {
  const shared = vmId();
  const w1 = await load(SEMANTIC, { vmId: shared, clusters: { emb: embeddings() } });
  const w2 = await load(SEMANTIC, { vmId: shared, clusters: { emb: embeddings() } });
  const s = ask(w1, chat("What is the capital of France?"));
  await w1.settle();
  reply(s, [openaiAnswer("Paris.")]);
  const h = ask(w2, chat("France capital?"));
  await w2.settle();
  assert.equal(h.client.headers!.get("x-ai-cache"), "semantic-hit");
});

test("the search with its early exit finds exactly what a brute-force search over the int8 vectors finds", async () => {
  const dims = 96;
  let seed = 7;
  const rnd = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 4294967296 - 0.5; };
  const table = new Map<string, number[]>();
  const stored: number[][] = [];
  for (let i = 0; i < 120; i++) { const v = Array.from({ length: dims }, rnd); stored.push(v); table.set(`stored ${i}`, v); }
  const probes: number[][] = [];
  for (let k = 0; k < 60; k++) {
    // Half near a stored vector (varying noise), half random.
    const base = k % 2 === 0 ? stored[(k * 7) % stored.length] : Array.from({ length: dims }, rnd);
    const noise = 0.05 + (k % 5) * 0.08;
    const v = base.map((x) => x + rnd() * noise);
    probes.push(v);
    table.set(`probe ${k}`, v);
  }
  const quant = (v: number[]) => { const m = Math.max(...v.map(Math.abs)); return v.map((x) => Math.round((x / m) * 127)); };
  const cos = (a: number[], b: number[]) => { let d = 0, na = 0, nb = 0; for (let i = 0; i < a.length; i++) { d += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; } return d / Math.sqrt(na * nb); };
  const threshold = 0.9;
  const p = await load({ semantic: { cluster: "emb", model: "m", threshold, encoding_format: "float" } }, {
    clusters: { emb: (req: ClusterRequest) => ({ status: 200, body: JSON.stringify({ data: [{ embedding: table.get(JSON.parse(req.body).input) }] }) }) },
  });
  for (let i = 0; i < stored.length; i++) {
    const s = ask(p, chat(`stored ${i}`));
    await p.settle();
    if (s.localReply) continue; // a near-duplicate of an earlier one already answered
    reply(s, [openaiAnswer(`answer ${i}`)]);
    s.complete();
  }
  let hits = 0;
  for (let k = 0; k < probes.length; k++) {
    const q = quant(probes[k]);
    let best = -1, bestSim = threshold;
    for (let i = 0; i < stored.length; i++) { const c = cos(q, quant(stored[i])); if (c >= bestSim) { bestSim = c; best = i; } }
    const s = ask(p, chat(`probe ${k}`));
    await p.settle();
    if (best < 0) { assert.equal(s.localReply, null, `probe ${k}: brute force finds nothing`); continue; }
    hits++;
    assert.ok(s.localReply, `probe ${k}: brute force finds stored ${best} at ${bestSim.toFixed(4)}`);
    assert.equal(JSON.parse(s.localReply!.body).choices[0].message.content, `answer ${best}`, `probe ${k}`);
    assert.equal(Number(s.client.headers!.get("x-ai-cache-similarity")), Math.round(bestSim * 1000) / 1000);
  }
  assert.ok(hits >= 10 && hits < probes.length, `${hits} hits: both outcomes are exercised`);
});

test("the vector ring is bounded by max_vectors: shared keys stay fixed, the oldest vectors go first", async () => {
  const { sharedData } = await import("../../../host-test/src/index.ts");
  const p = await load({ max_vectors: 4, semantic: SEMANTIC.semantic }, { clusters: { emb: embeddings() } });
  const topics = ["bread baking", "french capital", "tax deadline", "python loops", "guitar chords", "coffee grinding", "marathon training", "bird migration"];
  for (const t of topics) {
    const s = ask(p, chat(`Tell me about ${t}`));
    await p.settle();
    reply(s, [openaiAnswer(`About ${t}.`)]);
    s.complete();
  }
  const vkeys = Object.keys(sharedData.snapshot(p.vmId)).filter((k) => /\.v\.\d+$/.test(k));
  assert.equal(vkeys.length, 4);
  // The newest are found by paraphrase, the oldest are gone from the index.
  const recent = ask(p, chat("bird migration?"));
  await p.settle();
  assert.equal(recent.client.headers!.get("x-ai-cache"), "semantic-hit");
  const old = ask(p, chat("bread baking?"));
  await p.settle();
  assert.equal(old.localReply, null);
});

test("a body whose texts the neutral form does not all hold is looked up exactly only, never by similarity", async () => {
  const calls: ClusterRequest[] = [];
  const p = await load(SEMANTIC, { clusters: { emb: embeddings(calls) } });
  const first = ask(p, chat("What is the capital of France?"));
  await p.settle();
  reply(first, [openaiAnswer("Paris.")]);
  const n = calls.length;
  // A top-level `system` in an OpenAI body (some OpenAI-compatible servers read it) is not in the
  // neutral form: a similarity match on the user text alone would answer another request.
  const odd = ask(p, { model: "gpt-4o-mini", system: "Answer as a pirate.", messages: [{ role: "user", content: "Tell me the capital city of France, please" }] });
  await p.settle();
  assert.equal(odd.localReply, null, "no semantic hit");
  assert.ok(odd.upstream.headers, "the request went on");
  assert.equal(calls.length, n, "no embeddings call");
  assert.equal(p.metrics.counter("aigw.cache.semantic_hits"), 0);
});
