// Small typed getters over a parsed body (json/value.ts), shared by the dialect readers.
import { JsonKind, JsonValue, parseJson } from "../json/value";

export function getStr(v: JsonValue | null, key: string, def: string = ""): string {
  if (v === null) return def;
  const x = v.get(key);
  return x !== null && x.kind == JsonKind.STRING ? x.str : def;
}

export function getNum(v: JsonValue | null, key: string, def: f64 = NaN): f64 {
  if (v === null) return def;
  const x = v.get(key);
  return x !== null && x.kind == JsonKind.NUMBER ? x.num : def;
}

/** A non-negative integer field, or `def`. */
export function getInt(v: JsonValue | null, key: string, def: i64 = -1): i64 {
  const n = getNum(v, key, NaN);
  if (isNaN(n) || n < 0 || n > 9007199254740991.0) return def;
  return <i64>Math.floor(n);
}

export function getBool(v: JsonValue | null, key: string, def: bool = false): bool {
  if (v === null) return def;
  const x = v.get(key);
  return x !== null && x.kind == JsonKind.BOOL ? x.bool : def;
}

export function getObj(v: JsonValue | null, key: string): JsonValue | null {
  if (v === null) return null;
  const x = v.get(key);
  return x !== null && x.kind == JsonKind.OBJECT ? x : null;
}

export function getArr(v: JsonValue | null, key: string): JsonValue | null {
  if (v === null) return null;
  const x = v.get(key);
  return x !== null && x.kind == JsonKind.ARRAY ? x : null;
}

/** A JSON text parsed as an object (tool-call arguments), or null when it is not one. */
export function parseObjectText(s: string): JsonValue | null {
  const b = Uint8Array.wrap(String.UTF8.encode(s));
  const r = parseJson(b, 0, b.length, 64, false);
  const v = r.value;
  return v !== null && v.kind == JsonKind.OBJECT ? v : null;
}

/** An empty object value. */
export function emptyObject(): JsonValue { return JsonValue.ofKind(JsonKind.OBJECT); }
