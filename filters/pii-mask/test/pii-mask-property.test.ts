// Property: whatever the stream shape (OpenAI chat deltas, Responses API deltas, SSE data that is
// not JSON (a client joins the events' data), plain text) and however the answer is cut into deltas and network
// chunks, the text the client gets equals the buffered JSON answer's masked text. Inputs mix
// entities, near-misses and look-alike characters (issue 11: Unicode separators, full-width digits,
// zero-width characters inside entities).
import { test } from "node:test";
import assert from "node:assert/strict";
import { load, request, respond } from "./helpers.ts";
import { seededRandom } from "../../../host-test/src/index.ts";

const PIECES = [
  " ", " ", "\n", "-", ".", ",", "the", "card", "mail", "call", "é", "日本", "ok", "and",
  "4111 1111 1111 1111", "4111\u00a01111\u00a01111\u00a01111", "\uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11",
  "4111", "1111", "\u00a0", "\u200b", "\u2013", "jane.doe@example.com", "ja\u200bne.doe@exa\u200bmple.com", "jane.doe\uff20example.com",
  "jane", "@", "example.com", "+44 20 7946 0958", "(415)555-0132", "10.0.0.0/8", "2001:db8::1", "DE89 3704 0044 0532 0130 00",
  "123-45-6789", "123\u201145\u20116789", "AKIAIOSFODNN7EXAMPLE", "password=Xk9#mPq2$vLw7!Rt",
];

const enc = new TextEncoder();
const dec = new TextDecoder();

function split(text: string, rnd: () => number, max: number): string[] {
  const cps = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < cps.length;) { const n = 1 + Math.floor(rnd() * max); out.push(cps.slice(i, i + n).join("")); i += n; }
  return out;
}
function chunks(s: string, rnd: () => number, max: number): Uint8Array[] {
  const b = enc.encode(s);
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length;) { const n = 1 + Math.floor(rnd() * max); out.push(b.subarray(i, i + n)); i += n; }
  return out;
}
function dataOf(body: string): any[] {
  return body.split(/\n\n/).map((b) => b.split("\n").find((l) => l.startsWith("data: "))).filter((l): l is string => !!l && l !== "data: [DONE]").map((l) => JSON.parse(l.slice(6)));
}

/** What a client reads from an event stream whose data is text: every event's data, joined. */
export function plainDataOf(body: string): string {
  return body.split(/\n\n/).map((b) => b.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(l.startsWith("data: ") ? 6 : 5)).join("\n"))
    .filter((d) => d !== "[DONE]").join("");
}

/**
 * `got` is `want` with, at most, more of it masked: every placeholder of `got` stands for a part
 * of `want` (which may hold placeholders itself), all else is the same.
 */
function maskedAtLeast(got: string, want: string, what: string): void {
  if (got === want) return;
  const pattern = got.split(/(\[[A-Z0-9_]+\])/).map((part, i) => i % 2 === 1 ? "(.+?)" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("");
  assert.match(want, new RegExp(`^${pattern}$`, "s"), `${what}\n got: ${JSON.stringify(got)}\nwant: ${JSON.stringify(want)}`);
}

test("streamed answers (chat deltas, Responses deltas, text) give the buffered answer's text, at any cut", async () => {
  const p = await load();
  const rnd = seededRandom(1111);
  for (let round = 0; round < 120; round++) {
    let text = "";
    const n = 3 + Math.floor(rnd() * 25);
    for (let k = 0; k < n; k++) text += PIECES[Math.floor(rnd() * PIECES.length)] + (rnd() < 0.5 ? " " : "");
    const x0 = request(p, "{}");
    const buffered = JSON.parse(respond(x0.s, [JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: text } }] })])).choices[0].message.content as string;
    const deltas = split(text, rnd, 1 + Math.floor(rnd() * 12));
    const maxChunk = [1, 7, 40, 400][round % 4];
    // OpenAI chat completion chunks
    let chat = "";
    for (const d of deltas) chat += `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", model: "m", choices: [{ index: 0, delta: { content: d }, finish_reason: null }] })}\n\n`;
    chat += `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", model: "m", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\ndata: [DONE]\n\n`;
    const x1 = request(p, "{}");
    const o1 = respond(x1.s, chunks(chat, rnd, maxChunk), { ":status": "200", "content-type": "text/event-stream" });
    const got1 = dataOf(o1).map((j) => j.choices[0].delta.content ?? "").join("");
    assert.equal(got1, buffered, `chat, round ${round}: ${JSON.stringify(text)}`);
    // Responses API
    let resp = "";
    for (const d of deltas) resp += `event: response.output_text.delta\ndata: ${JSON.stringify({ type: "response.output_text.delta", item_id: "msg_1", output_index: 0, content_index: 0, delta: d })}\n\n`;
    resp += `event: response.output_text.done\ndata: ${JSON.stringify({ type: "response.output_text.done", item_id: "msg_1", output_index: 0, content_index: 0, text })}\n\n`;
    const x2 = request(p, "{}");
    const o2 = respond(x2.s, chunks(resp, rnd, maxChunk), { ":status": "200", "content-type": "text/event-stream" });
    const evs = dataOf(o2);
    assert.equal(evs.filter((j) => j.type === "response.output_text.delta").map((j) => j.delta).join(""), buffered, `responses, round ${round}: ${JSON.stringify(text)}`);
    assert.equal(evs.find((j) => j.type === "response.output_text.done").text, buffered, `responses done, round ${round}`);
    // SSE data that is not JSON: each delta one event (its lines one data line each)
    let plain = "";
    for (const d of deltas) plain += d.split("\n").map((l) => `data: ${l}`).join("\n") + "\n\n";
    const x4 = request(p, "{}");
    const o4 = respond(x4.s, chunks(plain + "data: [DONE]\n\n", rnd, maxChunk), { ":status": "200", "content-type": "text/event-stream" });
    // Each event's data is also scanned on its own (a client may show it so), so it may mask more.
    maskedAtLeast(plainDataOf(o4), buffered, `plain data, round ${round}: ${JSON.stringify(text)}`);
    // plain text
    const x3 = request(p, "{}");
    const o3 = respond(x3.s, chunks(text, rnd, maxChunk), { ":status": "200", "content-type": "text/plain" });
    assert.equal(o3, buffered, `text, round ${round}: ${JSON.stringify(text)}`);
    void dec;
  }
});

test("a delta event larger than 64 KiB (written as it is read, handed on in pieces) gives the buffered text at any chunking; entities across its windows and into the next delta are found", async () => {
  const p = await load();
  const rnd = seededRandom(2222);
  const pieces = [...PIECES, "line\nbreak", "tab\there", "quote \" and \\ back", "emoji \u{1f600} ok", "\u00e9\u00e8", "\u{1d7d2}\u{1d7cf}"];
  for (let round = 0; round < 6; round++) {
    let big = "";
    while (big.length < 150_000 + round * 40_000) big += pieces[Math.floor(rnd() * pieces.length)] + (rnd() < 0.6 ? " " : "");
    const tail = ["mail jane.d", "oe@example.com and card 4111 1111 ", "1111 1111 done"];
    // The big event ends inside an entity that the next delta completes.
    const texts = [`${big} write to john.sm`, `ith@example.com now `, ...tail];
    const whole = texts.join("");
    const x0 = request(p, "{}");
    const buffered = JSON.parse(respond(x0.s, [JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: whole } }] })])).choices[0].message.content as string;
    let sse = "";
    // Odd rounds: non-ASCII written as \uXXXX escapes (surrogate pairs for astral characters), as
    // providers with ASCII-only JSON encoders send it.
    const asciiOnly = (j: string) => round % 2 === 1 ? j.replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")) : j;
    for (const t of texts) sse += `data: ${asciiOnly(JSON.stringify({ id: "c", object: "chat.completion.chunk", model: "m", choices: [{ index: 0, delta: { content: t }, finish_reason: null }] }))}\n\n`;
    sse += "data: [DONE]\n\n";
    for (const maxChunk of [1 << 20, 65536, 7000]) {
      const x = request(p, "{}");
      const out = respond(x.s, chunks(sse, rnd, maxChunk), { ":status": "200", "content-type": "text/event-stream" });
      const got = dataOf(out).map((j) => j.choices[0].delta.content ?? "").join("");
      assert.equal(got, buffered, `round ${round}, chunks up to ${maxChunk}`);
      assert.ok(!got.includes("john.smith@example.com") && got.includes("[EMAIL] now"), `round ${round}`);
    }
  }
});
