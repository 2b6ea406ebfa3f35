// Typed access to JsonValue objects for config parsers: every wrong type, missing required field,
// out-of-range number or unknown key is recorded with its path, so a config error can read
//   field `limits.rpm`: expected integer in [1, 1000000], got -3
import { JsonValue, JsonKind, jsonKindName, parseJson, JsonParseResult, JsonStatus } from "./value";
import { decimal } from "../bytes/decimal";

export enum FieldErrorCode { MISSING, WRONG_TYPE, OUT_OF_RANGE, UNKNOWN_FIELD, INVALID, NOT_JSON }

export class FieldError {
  constructor(public path: string, public code: FieldErrorCode, public expected: string, public got: string) {}
  message(): string {
    switch (this.code) {
      case FieldErrorCode.MISSING: return "field `" + this.path + "`: required " + this.expected + " is missing";
      case FieldErrorCode.UNKNOWN_FIELD: return "field `" + this.path + "`: unknown field";
      case FieldErrorCode.INVALID: return "field `" + this.path + "`: " + this.expected;
      case FieldErrorCode.NOT_JSON: return this.expected; // the whole text, not one field (openConfigRoot)
    }
    return "field `" + this.path + "`: expected " + this.expected + ", got " + this.got;
  }
}

/** The errors shared by a reader and all readers derived from it. */
export class FieldErrors {
  list: Array<FieldError> = new Array<FieldError>();
  get ok(): bool { return this.list.length == 0; }
  /** The first error's message, or "". */
  first(): string { return this.list.length ? this.list[0].message() : ""; }
  add(e: FieldError): void { this.list.push(e); }
}

function describe(v: JsonValue): string {
  if (v.kind == JsonKind.NUMBER) return v.raw;
  if (v.kind == JsonKind.BOOL) return v.bool ? "true" : "false";
  return jsonKindName(v.kind);
}

function join(path: string, key: string): string { return path.length ? path + "." + key : key; }

/**
 * Reads fields of one JSON object. `getX(key, default)` returns the default when the key is absent
 * (or null) and records WRONG_TYPE when present with another type; `requireX` records MISSING.
 * A non-object `value` records WRONG_TYPE for the reader's own path once and reads as empty.
 */
export class ObjectReader {
  readonly path: string;
  readonly errors: FieldErrors;
  readonly value: JsonValue;

  constructor(value: JsonValue, path: string = "", errors: FieldErrors | null = null) {
    this.value = value;
    this.path = path;
    this.errors = errors !== null ? errors : new FieldErrors();
    if (value.kind != JsonKind.OBJECT) this.errors.add(new FieldError(path.length ? path : "(root)", FieldErrorCode.WRONG_TYPE, "object", describe(value)));
  }

  get ok(): bool { return this.errors.ok; }

  /** Records a custom validation error for `key` (e.g. "must be a valid URL"). */
  invalid(key: string, what: string): void { this.errors.add(new FieldError(join(this.path, key), FieldErrorCode.INVALID, what, "")); }

  has(key: string): bool {
    const v = this.value.get(key);
    return v !== null && v.kind != JsonKind.NULL;
  }

  private field(key: string, want: JsonKind, wantName: string, required: bool): JsonValue | null {
    const v = this.value.get(key);
    if (v === null || v.kind == JsonKind.NULL) {
      if (required) this.errors.add(new FieldError(join(this.path, key), FieldErrorCode.MISSING, wantName, ""));
      return null;
    }
    if (v.kind != want) {
      this.errors.add(new FieldError(join(this.path, key), FieldErrorCode.WRONG_TYPE, wantName, describe(v)));
      return null;
    }
    return v;
  }

  getString(key: string, def: string = ""): string {
    const v = this.field(key, JsonKind.STRING, "string", false);
    return v === null ? def : v.str;
  }
  /** As getString for a credential: a value of another type is named by its kind only, never
   *  quoted (a key pasted as a number must not reach the log line). */
  getSecret(key: string, def: string = ""): string {
    const v = this.value.get(key);
    if (v === null || v.kind == JsonKind.NULL) return def;
    if (v.kind != JsonKind.STRING) {
      this.errors.add(new FieldError(join(this.path, key), FieldErrorCode.WRONG_TYPE, "string", jsonKindName(v.kind)));
      return def;
    }
    return v.str;
  }
  requireString(key: string): string {
    const v = this.field(key, JsonKind.STRING, "string", true);
    return v === null ? "" : v.str;
  }

  getNumber(key: string, def: f64 = 0): f64 {
    const v = this.field(key, JsonKind.NUMBER, "number", false);
    return v === null ? def : v.num;
  }
  requireNumber(key: string): f64 {
    const v = this.field(key, JsonKind.NUMBER, "number", true);
    return v === null ? 0 : v.num;
  }

  /** An integer in [min, max]; fractions and out-of-range values record OUT_OF_RANGE. */
  getInteger(key: string, def: i64, min: i64 = i64.MIN_VALUE, max: i64 = i64.MAX_VALUE): i64 {
    const v = this.field(key, JsonKind.NUMBER, "integer", false);
    if (v === null) return def;
    const n = v.num;
    // 2^63 is exactly representable; anything >= it (or < -2^63) does not fit an i64.
    if (n != Math.floor(n) || !(n >= -9223372036854775808.0 && n < 9223372036854775808.0) || <i64>n < min || <i64>n > max) {
      const range = min == i64.MIN_VALUE && max == i64.MAX_VALUE ? "integer" : "integer in [" + decimal(min) + ", " + decimal(max) + "]";
      this.errors.add(new FieldError(join(this.path, key), FieldErrorCode.OUT_OF_RANGE, range, v.raw));
      return def;
    }
    return <i64>n;
  }

  getBool(key: string, def: bool = false): bool {
    const v = this.field(key, JsonKind.BOOL, "boolean", false);
    return v === null ? def : v.bool;
  }

  /** The array at `key`, or null (absent or wrong type). */
  getArray(key: string): ArrayReader | null {
    const v = this.field(key, JsonKind.ARRAY, "array", false);
    return v === null ? null : new ArrayReader(v, join(this.path, key), this.errors);
  }
  requireArray(key: string): ArrayReader | null {
    const v = this.field(key, JsonKind.ARRAY, "array", true);
    return v === null ? null : new ArrayReader(v, join(this.path, key), this.errors);
  }

  /** A reader for the nested object at `key`, or null (absent or wrong type). */
  getObject(key: string): ObjectReader | null {
    const v = this.field(key, JsonKind.OBJECT, "object", false);
    return v === null ? null : new ObjectReader(v, join(this.path, key), this.errors);
  }
  requireObject(key: string): ObjectReader | null {
    const v = this.field(key, JsonKind.OBJECT, "object", true);
    return v === null ? null : new ObjectReader(v, join(this.path, key), this.errors);
  }

  /** Records UNKNOWN_FIELD for each key not in `allowed` (catches typos in configs). */
  rejectUnknown(allowed: Array<string>): void {
    const keys = this.value.keys;
    for (let i = 0; i < keys.length; i++) {
      if (!allowed.includes(keys[i])) this.errors.add(new FieldError(join(this.path, keys[i]), FieldErrorCode.UNKNOWN_FIELD, "", ""));
    }
  }
}

/** Typed access to array elements; paths read `rules[2].name`. */
export class ArrayReader {
  constructor(public value: JsonValue, public path: string, public errors: FieldErrors) {}

  get length(): i32 { return this.value.items.length; }

  private elemPath(i: i32): string { return this.path + "[" + decimal(i) + "]"; }

  private elem(i: i32, want: JsonKind, wantName: string): JsonValue | null {
    if (i < 0 || i >= this.value.items.length) return null;
    const v = this.value.items[i];
    if (v.kind != want) {
      this.errors.add(new FieldError(this.elemPath(i), FieldErrorCode.WRONG_TYPE, wantName, describe(v)));
      return null;
    }
    return v;
  }

  stringAt(i: i32, def: string = ""): string {
    const v = this.elem(i, JsonKind.STRING, "string");
    return v === null ? def : v.str;
  }

  numberAt(i: i32, def: f64 = 0): f64 {
    const v = this.elem(i, JsonKind.NUMBER, "number");
    return v === null ? def : v.num;
  }

  objectAt(i: i32): ObjectReader | null {
    const v = this.elem(i, JsonKind.OBJECT, "object");
    return v === null ? null : new ObjectReader(v, this.elemPath(i), this.errors);
  }

  /** All elements as strings (wrong-typed elements are recorded and skipped). */
  strings(): Array<string> {
    const out = new Array<string>();
    for (let i = 0; i < this.value.items.length; i++) {
      const v = this.elem(i, JsonKind.STRING, "string");
      if (v !== null) out.push(v.str);
    }
    return out;
  }
}

/**
 * Parses plugin configuration bytes. Envoy passes an empty buffer when no configuration is set, so
 * an empty or whitespace-only buffer reads as `{}`; anything else must be one JSON value (duplicate
 * keys rejected, see parseJson). The root's kind is left to the caller (an ObjectReader over a
 * non-object records WRONG_TYPE for "(root)").
 */
export function parseConfigObject(bytes: Uint8Array): JsonParseResult {
  for (let i = 0; i < bytes.length; i++) {
    const c = unchecked(bytes[i]);
    if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) return parseJson(bytes, 0, bytes.length);
  }
  return new JsonParseResult(JsonValue.ofKind(JsonKind.OBJECT), new JsonStatus());
}

/**
 * parseConfigObject, then an ObjectReader over the root: what every filter's parseConfig starts
 * with. When the bytes are not JSON the reader reads as empty and its first error is
 * "configuration is not valid JSON: …"; a root that is not an object gives field `(root)`'s error.
 * Check `ok` before reading fields; later field errors go to the same `errors`.
 */
export function openConfigRoot(bytes: Uint8Array): ObjectReader {
  const parsed = parseConfigObject(bytes);
  if (parsed.value !== null) return new ObjectReader(parsed.value!);
  const r = new ObjectReader(JsonValue.ofKind(JsonKind.OBJECT));
  r.errors.add(new FieldError("", FieldErrorCode.NOT_JSON, "configuration is not valid JSON: " + parsed.status.message(), ""));
  return r;
}
