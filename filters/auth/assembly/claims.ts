// Read access to a verified token's claims for rules, identity and upstream headers.
import { JsonKind, JsonValue } from "../../common/assembly/json/value";
import { ClaimSource } from "./identity";

export class JsonClaims implements ClaimSource {
  constructor(public root: JsonValue) {}

  /** The claim at `path`: a top-level name first ("https://x/roles"), then a dotted path
   *  ("realm_access.roles"), as identity providers nest role claims. */
  get(path: string): JsonValue | null {
    const direct = this.root.get(path);
    if (direct !== null) return direct;
    if (path.indexOf(".") < 0) return null;
    const parts = path.split(".");
    let cur: JsonValue | null = this.root;
    for (let i = 0; i < parts.length && cur !== null; i++) cur = cur.get(parts[i]);
    return cur;
  }

  claimStrings(path: string): Array<string> | null {
    const v = this.get(path);
    if (v === null) return null;
    return valueStrings(v);
  }
}

function scalarText(v: JsonValue): string | null {
  if (v.kind == JsonKind.STRING) return v.str;
  if (v.kind == JsonKind.NUMBER) return v.raw;
  if (v.kind == JsonKind.BOOL) return v.bool ? "true" : "false";
  return null;
}

/** A string/number/boolean as one item; an array as its scalar items; null for objects/null. */
export function valueStrings(v: JsonValue): Array<string> | null {
  if (v.kind == JsonKind.ARRAY) {
    const out = new Array<string>(0);
    for (let i = 0; i < v.items.length; i++) {
      const s = scalarText(v.items[i]);
      if (s !== null) out.push(s);
    }
    return out;
  }
  const s = scalarText(v);
  if (s === null) return null;
  return [s];
}
