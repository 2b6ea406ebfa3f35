// What the request body says about its size: model, prompt tokens (estimated), max tokens.
// About 4 bytes of text per token, the figure llm-route uses for its estimates; the reservation
// is settled with the provider's real usage when the answer ends.
//
// The strings are those common/llm/spans.ts reports (the reader pii-mask and prompt-guard use, so
// quota counts what they see): every string value of the body, in every dialect, decoded, except
// the structural words it leaves out (roles, block types) and values under keys that are not text
// billed per token (SKIPPED_KEYS).
import { LlmScanner, TextKind } from "../../common/assembly/llm/spans";
import { Tok } from "../../common/assembly/json/tokenizer";
import { decodeJsonString } from "../../common/assembly/json/string";
import { ByteBuilder } from "../../common/assembly/bytes/builder";

export class BodyFacts {
  model: string = "";
  textBytes: i64 = 0;
  /** max_tokens / max_completion_tokens / max_output_tokens, or -1. */
  maxTokens: i64 = -1;
  stream: bool = false;
  json: bool = false;
  get inTokens(): i64 { return this.textBytes / 4 + 1; }
}

// Values that are not text the model reads as tokens priced per token (image bytes and URLs are
// billed per image by providers; counting their characters would reserve thousands of tokens).
// An escaped key is never skipped.
const SKIPPED_KEYS: StaticArray<string> = ["url", "data", "image_url", "model", "role", "type"];

function skipped(body: Uint8Array, s: i32, e: i32): bool {
  if (s < 0) return false;
  const n = e - s;
  for (let k = 0; k < SKIPPED_KEYS.length; k++) {
    const w = unchecked(SKIPPED_KEYS[k]);
    if (w.length != n) continue;
    let same = true;
    for (let i = 0; i < n && same; i++) same = <i32>unchecked(body[s + i]) == w.charCodeAt(i);
    if (same) return true;
  }
  return false;
}

const SCANNER = makeScanner();
function makeScanner(): LlmScanner {
  const s = new LlmScanner(64, true);
  s.recordRoot = true;
  s.keys = false;
  return s;
}
const SCRATCH = new ByteBuilder(256);

function rootIsObject(body: Uint8Array): bool {
  for (let i = 0; i < body.length; i++) {
    const c = unchecked(body[i]);
    if (c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d) continue;
    return c == 0x7b;
  }
  return false;
}

/** A non-negative number member's value (capped at 10^12), or -1. */
function intValue(body: Uint8Array, s: i32, e: i32): i64 {
  const v = parseFloat(String.UTF8.decodeUnsafe(body.dataStart + <usize>s, <usize>(e - s)));
  if (!(v >= 0)) return -1;
  return v > 1e12 ? <i64>1e12 : <i64>v;
}

export function readBody(body: Uint8Array): BodyFacts {
  const r = new BodyFacts();
  const scan = SCANNER.scan(body, 0, body.length);
  if (!scan.ok || !rootIsObject(body)) {
    // Not a JSON object (llm-route refuses it): every byte counts as text, never less.
    r.textBytes = body.length;
    return r;
  }
  r.json = true;
  const m = scan.model(body);
  r.model = m.length > 200 ? m.substring(0, 200) : m;
  r.stream = scan.stream == 1;
  // max_completion_tokens first, then max_tokens, then max_output_tokens (Responses); the last of
  // a duplicated key, as upstreams read it.
  let mct: i64 = -1, mt: i64 = -1, mot: i64 = -1;
  const members = scan.facts!.members;
  for (let i = 0; i < members.length; i++) {
    const mem = unchecked(members[i]);
    const ks = mem.keyStart, ke = mem.keyEnd;
    if (ks < 0 || mem.keyHasEscape) continue;
    const name = String.UTF8.decodeUnsafe(body.dataStart + <usize>ks, <usize>(ke - ks));
    const v = mem.tok == Tok.NUMBER ? intValue(body, mem.start, mem.end) : -1;
    if (name == "max_completion_tokens") mct = v;
    else if (name == "max_tokens") mt = v;
    else if (name == "max_output_tokens") mot = v;
  }
  r.maxTokens = mct >= 0 ? mct : mt >= 0 ? mt : mot;
  let n: i64 = 0;
  const spans = scan.spans;
  for (let i = 0; i < spans.length; i++) {
    const sp = unchecked(spans[i]);
    if (sp.kind == TextKind.KEY) continue;
    if (skipped(body, sp.keyStart, sp.keyEnd)) continue;
    if (!sp.hasEscape) { n += sp.end - sp.start; continue; }
    SCRATCH.reset();
    decodeJsonString(body, sp.start, sp.end, SCRATCH);
    n += SCRATCH.length;
  }
  r.textBytes = n;
  return r;
}
