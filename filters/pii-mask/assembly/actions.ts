// The five actions, each writing what replaces one detected value:
//   redact   → [EMAIL]
//   mask     → ****-****-****-4242 (letters/digits become the mask character except the last N;
//              punctuation and spaces stay, so the shape remains readable)
//   hash     → [EMAIL_3f9a1c2b7d4e0a51] (keyed digest: stable within the scope, not reversible)
//   tokenize → [EMAIL_9b2c...] (keyed digest, remembered in this stream's vault, restored in the answer)
//   block    → the request is refused (stream.ts answers 400); in an answer it acts as redact.
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { utf8SequenceLength } from "../../common/assembly/bytes/util";
import { A_BLOCK, A_HASH, A_MASK, A_REDACT, A_TOKENIZE, DetectorRule } from "./config";
import { Digester, PURPOSE_HASH, PURPOSE_TOKEN } from "./digest";
import { Vault } from "./vault";
import { Findings } from "./findings";

/** Per-stream inputs and outputs of the actions. */
export class StreamScope {
  /** Value of the scope filter state (tenant) read when the request arrived. */
  scope: Uint8Array = new Uint8Array(0);
  vault: Vault = new Vault();
  findings: Findings = new Findings();
}

@inline function isAsciiWordish(c: u32): bool {
  return (c - 0x30 < 10) || ((c | 0x20) - 0x61 < 26);
}

/** Length of the code point at src[i] (1 for ASCII or a malformed byte). */
@inline function cpLen(src: Uint8Array, i: i32, end: i32): i32 {
  const c = unchecked(src[i]);
  if (c < 0x80) return 1;
  const n = utf8SequenceLength(src, i, end);
  return n == 0 ? 1 : n;
}

/** Whether the code point at src[i] is masked (letters, digits, any non-ASCII character). */
@inline function maskable(src: Uint8Array, i: i32): bool {
  const c = <u32>unchecked(src[i]);
  return c >= 0x80 || isAsciiWordish(c);
}

export function appendMask(out: ByteBuilder, rule: DetectorRule, src: Uint8Array, start: i32, end: i32): void {
  // Count maskable code points, then keep the last keepLast of them.
  let total = 0;
  let i = start;
  while (i < end) {
    if (maskable(src, i)) total++;
    i += cpLen(src, i, end);
  }
  let keep = rule.keepLast;
  // Never keep the whole value: at most half of it stays visible.
  if (keep > total >> 1) keep = total >> 1;
  const hideUntil = total - keep;
  let seen = 0;
  i = start;
  while (i < end) {
    const n = cpLen(src, i, end);
    if (maskable(src, i)) {
      if (seen < hideUntil) out.appendBytes(rule.maskBytes);
      else out.appendSlice(src, i, i + n);
      seen++;
    } else out.appendSlice(src, i, i + n);
    i += n;
  }
}

/**
 * Writes the replacement of src[start, end) (an entity of `rule`) to `out`. `response` is true when
 * rewriting an answer. Returns false when the request must be blocked.
 */
export function applyAction(out: ByteBuilder, rule: DetectorRule, src: Uint8Array, start: i32, end: i32,
  digester: Digester, st: StreamScope, response: bool): bool {
  let a = rule.action;
  if (a == A_BLOCK) {
    if (!response) {
      if (st.findings.blocked.length == 0) st.findings.blocked = rule.name;
      return false;
    }
    a = A_REDACT;
  }
  st.findings.changed = true;
  if (a == A_MASK) {
    appendMask(out, rule, src, start, end);
    return true;
  }
  if (a == A_REDACT) {
    out.appendBytes(rule.redacted);
    return true;
  }
  const at = out.length;
  out.appendByte(0x5b).appendBytes(rule.nameBytes);
  if (a == A_HASH || a == A_TOKENIZE) {
    out.appendByte(0x5f);
    digester.appendToken(out, a == A_HASH ? PURPOSE_HASH : PURPOSE_TOKEN, rule.nameBytes, st.scope, src, start, end);
    out.appendByte(0x5d);
    if (a == A_TOKENIZE) {
      const key = String.UTF8.decodeUnsafe(out.dataStart + <usize>at, <usize>(out.length - at));
      const value = new Uint8Array(end - start);
      memory.copy(value.dataStart, src.dataStart + <usize>start, <usize>(end - start));
      st.vault.put(key, value);
    }
    return true;
  }
  out.appendByte(0x5d);
  return true;
}
