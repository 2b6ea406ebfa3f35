// Request rewriting after the checks: demoted system roles and the route's decoration (system
// text prepended/appended), as byte splices into the original body so everything else stays as
// the client wrote it.
//   OpenAI chat (`messages`): {"role":"system","content":…} messages inserted first / last.
//   Anthropic messages (path …/messages, or a top-level `system`): the top-level `system` gets
//     the text before/after its own (a string is joined with blank lines; an array of blocks gets
//     text blocks), or is added.
//   Responses (path …/responses): `instructions` the same way.
// Other bodies (completions `prompt`, embeddings) are not decorated.
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { appendJsonString } from "../../common/assembly/json/escape";
import { jsonStringToString } from "../../common/assembly/json/string";
import { BodyScan, ValueSpan } from "./body";
import { Route } from "./config";

let spliceSeq = 0;
class Splice {
  seq: i32 = spliceSeq++;
  constructor(public at: i32, public end: i32, public text: Uint8Array) {}
}

export const DIALECT_CHAT: i32 = 0;
export const DIALECT_ANTHROPIC: i32 = 1;
export const DIALECT_RESPONSES: i32 = 2;
export const DIALECT_OTHER: i32 = 3;

/** The API a request speaks, from its path and body. */
export function dialectOf(path: string, scan: BodyScan): i32 {
  let p = path;
  const q = p.indexOf("?");
  if (q >= 0) p = p.substring(0, q);
  if (p.endsWith("/responses")) return DIALECT_RESPONSES;
  if (p.endsWith("/messages") && !p.endsWith("/chat/messages")) return DIALECT_ANTHROPIC;
  if (scan.messagesArray.present) return scan.system.present ? DIALECT_ANTHROPIC : DIALECT_CHAT;
  if (scan.instructions.present) return DIALECT_RESPONSES;
  return DIALECT_OTHER;
}

function bytesOf(s: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(s)); }

function joined(parts: Array<string>): string {
  let s = "";
  for (let i = 0; i < parts.length; i++) { if (i > 0) s += "\n\n"; s += parts[i]; }
  return s;
}

function systemMessages(parts: Array<string>, leadingComma: bool, trailingComma: bool): Uint8Array {
  const b = new ByteBuilder(64);
  for (let i = 0; i < parts.length; i++) {
    if (i > 0 || leadingComma) b.appendByte(0x2c);
    b.appendString("{\"role\":\"system\",\"content\":");
    appendJsonString(b, parts[i]);
    b.appendByte(0x7d);
  }
  if (trailingComma && parts.length > 0) b.appendByte(0x2c);
  return b.toBytes();
}

function textBlocks(parts: Array<string>, leadingComma: bool, trailingComma: bool): Uint8Array {
  const b = new ByteBuilder(64);
  for (let i = 0; i < parts.length; i++) {
    if (i > 0 || leadingComma) b.appendByte(0x2c);
    b.appendString("{\"type\":\"text\",\"text\":");
    appendJsonString(b, parts[i]);
    b.appendByte(0x7d);
  }
  if (trailingComma && parts.length > 0) b.appendByte(0x2c);
  return b.toBytes();
}

/** Whether the array [start, end] (brackets included) has no element. */
function emptyArray(body: Uint8Array, start: i32, end: i32): bool {
  for (let i = start + 1; i < end - 1; i++) {
    const c = body[i];
    if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) return false;
  }
  return true;
}

/** Decorates a string or block-array value (system / instructions), or adds it after the root '{'. */
function decorateText(body: Uint8Array, v: ValueSpan, key: string, route: Route, splices: Array<Splice>): void {
  if (!v.present) {
    const all = new Array<string>();
    for (let i = 0; i < route.prepend.length; i++) all.push(route.prepend[i]);
    for (let i = 0; i < route.append.length; i++) all.push(route.append[i]);
    const b = new ByteBuilder(64);
    b.appendByte(0x22); b.appendString(key); b.appendString("\":");
    appendJsonString(b, joined(all));
    b.appendByte(0x2c);
    let at = 0;
    while (at < body.length && body[at] != 0x7b) at++;
    // An empty root object takes no comma.
    let k = at + 1;
    while (k < body.length && (body[k] == 0x20 || body[k] == 0x0a || body[k] == 0x0d || body[k] == 0x09)) k++;
    const bytes = b.toBytes();
    splices.push(new Splice(at + 1, at + 1, k < body.length && body[k] == 0x7d ? bytes.subarray(0, bytes.length - 1) : bytes));
    return;
  }
  if (v.isString) {
    const parts = new Array<string>();
    for (let i = 0; i < route.prepend.length; i++) parts.push(route.prepend[i]);
    parts.push(jsonStringToString(body, v.start, v.end, v.hasEscape));
    for (let i = 0; i < route.append.length; i++) parts.push(route.append[i]);
    const b = new ByteBuilder(64);
    appendJsonString(b, joined(parts));
    // Replace the string including its quotes.
    splices.push(new Splice(v.start - 1, v.end + 1, b.toBytes()));
    return;
  }
  // An array of blocks: [ ... ] from v.start to v.end.
  const empty = emptyArray(body, v.start, v.end);
  if (route.prepend.length > 0) splices.push(new Splice(v.start + 1, v.start + 1, textBlocks(route.prepend, false, !empty)));
  if (route.append.length > 0) splices.push(new Splice(v.end - 1, v.end - 1, textBlocks(route.append, !empty || route.prepend.length > 0, false)));
}

/**
 * Writes the rewritten body to `out`; returns false when nothing changes (out untouched).
 * `demote`: system/developer role values become "user".
 */
export function rewriteRequest(body: Uint8Array, scan: BodyScan, route: Route, dialect: i32, demote: bool, out: ByteBuilder): bool {
  const splices = new Array<Splice>();
  if (demote) {
    const user = bytesOf("user");
    for (let i = 0; i + 1 < scan.systemRoles.length; i += 2) splices.push(new Splice(scan.systemRoles[i], scan.systemRoles[i + 1], user));
  }
  const decorate = route.prepend.length > 0 || route.append.length > 0;
  if (decorate) {
    if (dialect == DIALECT_CHAT && scan.messagesArray.present && scan.messagesArray.end > 0) {
      const a = scan.messagesArray;
      const empty = emptyArray(body, a.start, a.end);
      if (route.prepend.length > 0) splices.push(new Splice(a.start + 1, a.start + 1, systemMessages(route.prepend, false, !empty)));
      if (route.append.length > 0) splices.push(new Splice(a.end - 1, a.end - 1, systemMessages(route.append, !empty || route.prepend.length > 0, false)));
    } else if (dialect == DIALECT_ANTHROPIC) decorateText(body, scan.system, "system", route, splices);
    else if (dialect == DIALECT_RESPONSES) decorateText(body, scan.instructions, "instructions", route, splices);
  }
  if (splices.length == 0) return false;
  // Apply in order of position (insertions at one place keep their order). An insertion sort: the
  // role edits come in document order and at most two decorations after them move, so it is linear.
  for (let i = 1; i < splices.length; i++) {
    const s = splices[i];
    let j = i - 1;
    while (j >= 0 && (s.at < splices[j].at || (s.at == splices[j].at && s.seq < splices[j].seq))) { splices[j + 1] = splices[j]; j--; }
    splices[j + 1] = s;
  }
  out.reset();
  let at = 0;
  for (let i = 0; i < splices.length; i++) {
    const s = splices[i];
    if (s.at < at) continue; // overlapping edits cannot happen; skip defensively
    out.appendSlice(body, at, s.at);
    out.appendBytes(s.text);
    at = s.end;
  }
  out.appendSlice(body, at, body.length);
  return true;
}
