// Validation (with duplicate-key detection) and a small ordered JSON tree for configs and JWT
// claims. Both are iterative: nesting deeper than the limit is an error, never a stack overflow.
import { ByteBuilder } from "../bytes/builder";
import { JsonTokenizer, Tok, JsonError, DEFAULT_MAX_DEPTH, jsonErrorName } from "./tokenizer";
import { decodeJsonString } from "./string";
import { parseJsonNumber } from "./number";
import { decimal } from "../bytes/decimal";

/** Outcome of validateJson / parseJson: `error` is a JsonError code, `offset` the byte offset. */
export class JsonStatus {
  constructor(public error: i32 = JsonError.NONE, public offset: i32 = -1) {}
  get ok(): bool { return this.error == JsonError.NONE; }
  /** e.g. "invalid escape sequence at byte 17". */
  message(): string {
    if (this.error == JsonError.NONE) return "ok";
    return jsonErrorName(this.error) + " at byte " + decimal(this.offset);
  }
}

function decodeKey(src: Uint8Array, start: i32, end: i32, hasEscape: bool, tmp: ByteBuilder): string {
  if (!hasEscape) return String.UTF8.decodeUnsafe(src.dataStart + <usize>start, <usize>(end - start));
  tmp.reset();
  decodeJsonString(src, start, end, tmp); // already validated by the tokenizer
  return tmp.toString();
}

/**
 * Checks that src[start, end) is exactly one valid JSON value (RFC 8259), at most `maxDepth`
 * deep. With `rejectDuplicateKeys`, two keys of one object that decode to the same text (so
 * "a" and "\u0061" collide) are an error reported at the second key.
 */
export function validateJson(src: Uint8Array, start: i32 = 0, end: i32 = i32.MAX_VALUE, maxDepth: i32 = DEFAULT_MAX_DEPTH, rejectDuplicateKeys: bool = false): JsonStatus {
  const t = new JsonTokenizer(src, start, end, maxDepth);
  // One key set per open object (null for arrays), only when duplicates matter.
  const sets = new Array<Set<string> | null>();
  const tmp = new ByteBuilder(16);
  while (true) {
    const k = t.next();
    if (k == Tok.END) return new JsonStatus();
    if (k == Tok.ERROR) return new JsonStatus(t.error, t.errorOffset);
    if (!rejectDuplicateKeys) continue;
    if (k == Tok.OBJ_START) sets.push(new Set<string>());
    else if (k == Tok.ARR_START) sets.push(null);
    else if (k == Tok.OBJ_END || k == Tok.ARR_END) sets.pop();
    else if (k == Tok.KEY) {
      const set = sets[sets.length - 1];
      if (set === null) continue;
      const key = decodeKey(src, t.tokStart, t.tokEnd, t.hasEscape, tmp);
      if (set.has(key)) return new JsonStatus(JsonError.DUPLICATE_KEY, t.tokStart - 1);
      set.add(key);
    }
  }
}

export enum JsonKind { NULL, BOOL, NUMBER, STRING, ARRAY, OBJECT }

export function jsonKindName(k: JsonKind): string {
  switch (k) {
    case JsonKind.NULL: return "null";
    case JsonKind.BOOL: return "boolean";
    case JsonKind.NUMBER: return "number";
    case JsonKind.STRING: return "string";
    case JsonKind.ARRAY: return "array";
  }
  return "object";
}

/** A JSON value. Objects keep their keys in document order. */
export class JsonValue {
  kind: JsonKind = JsonKind.NULL;
  bool: bool = false;
  /** Numbers: the value as f64 and the exact source text (for integers beyond 2^53). */
  num: f64 = 0;
  raw: string = "";
  str: string = "";
  /** Array elements, or object values (parallel to `keys`). */
  items: Array<JsonValue> = new Array<JsonValue>();
  keys: Array<string> = new Array<string>();

  static null_(): JsonValue { return new JsonValue(); }
  static ofBool(b: bool): JsonValue { const v = new JsonValue(); v.kind = JsonKind.BOOL; v.bool = b; return v; }
  static ofNumber(n: f64, raw: string = ""): JsonValue { const v = new JsonValue(); v.kind = JsonKind.NUMBER; v.num = n; v.raw = raw.length ? raw : n.toString(); return v; }
  static ofString(s: string): JsonValue { const v = new JsonValue(); v.kind = JsonKind.STRING; v.str = s; return v; }
  static ofKind(k: JsonKind): JsonValue { const v = new JsonValue(); v.kind = k; return v; }

  get isNull(): bool { return this.kind == JsonKind.NULL; }
  get isObject(): bool { return this.kind == JsonKind.OBJECT; }
  get isArray(): bool { return this.kind == JsonKind.ARRAY; }
  get isString(): bool { return this.kind == JsonKind.STRING; }
  get length(): i32 { return this.items.length; }

  /** The value of `key` in an object (the last one if duplicated, as JSON.parse), or null. */
  get(key: string): JsonValue | null {
    if (this.kind != JsonKind.OBJECT) return null;
    for (let i = this.keys.length - 1; i >= 0; i--) if (unchecked(this.keys[i]) == key) return unchecked(this.items[i]);
    return null;
  }

  has(key: string): bool { return this.get(key) !== null; }

  /** Element i of an array, or null. */
  at(i: i32): JsonValue | null {
    if (this.kind != JsonKind.ARRAY || i < 0 || i >= this.items.length) return null;
    return unchecked(this.items[i]);
  }
}

/** Result of parseJson: `value` is null iff `status` holds an error. */
export class JsonParseResult {
  constructor(public value: JsonValue | null, public status: JsonStatus) {}
}

/**
 * Parses src[start, end) into a JsonValue tree. Iterative; nesting beyond `maxDepth` gives
 * TOO_DEEP. Duplicate keys are rejected by default (configs and JWT claims must be unambiguous).
 */
export function parseJson(src: Uint8Array, start: i32 = 0, end: i32 = i32.MAX_VALUE, maxDepth: i32 = DEFAULT_MAX_DEPTH, rejectDuplicateKeys: bool = true): JsonParseResult {
  const t = new JsonTokenizer(src, start, end, maxDepth);
  const stack = new Array<JsonValue>();
  const sets = new Array<Set<string> | null>();
  const tmp = new ByteBuilder(16);
  let root: JsonValue | null = null;
  while (true) {
    const k = t.next();
    if (k == Tok.ERROR) return new JsonParseResult(null, new JsonStatus(t.error, t.errorOffset));
    if (k == Tok.END) break;
    if (k == Tok.OBJ_END || k == Tok.ARR_END) {
      stack.pop();
      if (rejectDuplicateKeys) sets.pop();
      continue;
    }
    if (k == Tok.KEY) {
      const key = decodeKey(src, t.tokStart, t.tokEnd, t.hasEscape, tmp);
      if (rejectDuplicateKeys) {
        const set = sets[sets.length - 1];
        if (set !== null) {
          if (set.has(key)) return new JsonParseResult(null, new JsonStatus(JsonError.DUPLICATE_KEY, t.tokStart - 1));
          set.add(key);
        }
      }
      stack[stack.length - 1].keys.push(key);
      continue;
    }
    let v: JsonValue;
    switch (k) {
      case Tok.OBJ_START: v = JsonValue.ofKind(JsonKind.OBJECT); break;
      case Tok.ARR_START: v = JsonValue.ofKind(JsonKind.ARRAY); break;
      case Tok.STRING: v = JsonValue.ofString(decodeKey(src, t.tokStart, t.tokEnd, t.hasEscape, tmp)); break;
      case Tok.NUMBER: {
        const raw = String.UTF8.decodeUnsafe(src.dataStart + <usize>t.tokStart, <usize>(t.tokEnd - t.tokStart));
        v = JsonValue.ofNumber(parseJsonNumber(src.dataStart, t.tokStart, t.tokEnd), raw);
        break;
      }
      case Tok.TRUE: v = JsonValue.ofBool(true); break;
      case Tok.FALSE: v = JsonValue.ofBool(false); break;
      default: v = JsonValue.null_();
    }
    if (stack.length == 0) root = v;
    else stack[stack.length - 1].items.push(v);
    if (k == Tok.OBJ_START || k == Tok.ARR_START) {
      stack.push(v);
      if (rejectDuplicateKeys) sets.push(k == Tok.OBJ_START ? new Set<string>() : null);
    }
  }
  return new JsonParseResult(root, new JsonStatus());
}

/** parseJson over a whole string (UTF-8 encoded first); convenient in tests and config code. */
export function parseJsonString(s: string, maxDepth: i32 = DEFAULT_MAX_DEPTH, rejectDuplicateKeys: bool = true): JsonParseResult {
  const b = Uint8Array.wrap(String.UTF8.encode(s));
  return parseJson(b, 0, b.length, maxDepth, rejectDuplicateKeys);
}
