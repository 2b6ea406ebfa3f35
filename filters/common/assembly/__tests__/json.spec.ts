import { ByteBuilder } from "../bytes/builder";
import { JsonTokenizer, Tok, JsonError, jsonErrorName } from "../json/tokenizer";
import { validateJson, parseJson, parseJsonString, JsonKind, JsonStatus } from "../json/value";
import { decodeJsonString, OffsetMap, jsonStringEquals } from "../json/string";
import { appendJsonStringBytes } from "../json/escape";
import { ObjectReader } from "../json/reader";

function b(s: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(s)); }
function bytes(xs: i32[]): Uint8Array {
  const a = new Uint8Array(xs.length);
  for (let i = 0; i < xs.length; i++) a[i] = <u8>xs[i];
  return a;
}
function check(s: string, dup: bool = false): JsonStatus { const x = b(s); return validateJson(x, 0, x.length, 64, dup); }
function hex(x: Uint8Array): string {
  let s = "";
  for (let i = 0; i < x.length; i++) s += (x[i] < 16 ? "0" : "") + x[i].toString(16);
  return s;
}
function decode(raw: string): string {
  const x = b(raw);
  const out = new ByteBuilder();
  expect(decodeJsonString(x, 0, x.length, out)).toBe(JsonError.NONE);
  return hex(out.toBytes());
}
function nested(n: i32, open: string, close: string): Uint8Array {
  const out = new ByteBuilder(n * 2);
  for (let i = 0; i < n; i++) out.appendString(open);
  for (let i = 0; i < n; i++) out.appendString(close);
  return out.toBytes();
}

describe("tokenizer", () => {
  it("emits tokens with spans", () => {
    const x = b(' {"a" : [1, -2.5e3, "x\\n", true, false, null], "b":{}} ');
    const t = new JsonTokenizer(x);
    const kinds = new Array<i32>();
    let k = 0;
    let guard = 0;
    while ((k = t.next()) != Tok.END && k != Tok.ERROR && guard++ < 100) {
      kinds.push(k);
      if (k == Tok.NUMBER && kinds.length == 5) expect(String.UTF8.decode(x.slice(t.tokStart, t.tokEnd).buffer)).toBe("-2.5e3");
      if (k == Tok.STRING) {
        expect(String.UTF8.decode(x.slice(t.tokStart, t.tokEnd).buffer)).toBe("x\\n");
        expect(t.hasEscape).toBe(true);
      }
    }
    expect(k).toBe(Tok.END);
    const want: i32[] = [Tok.OBJ_START, Tok.KEY, Tok.ARR_START, Tok.NUMBER, Tok.NUMBER, Tok.STRING, Tok.TRUE, Tok.FALSE, Tok.NULL, Tok.ARR_END, Tok.KEY, Tok.OBJ_START, Tok.OBJ_END, Tok.OBJ_END];
    expect(kinds.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) expect(kinds[i]).toBe(want[i]);
  });
  it("accepts valid documents", () => {
    expect(check("0").ok).toBe(true);
    expect(check('"\\u00e9\\ud83d\\ude00\\/\\b\\f\\r\\t"').ok).toBe(true);
    expect(check("[[],{},[{}]]").ok).toBe(true);
    expect(check("-0.0e-0").ok).toBe(true);
    expect(check('"\u00e9\u20ac\uD83D\uDE00"').ok).toBe(true);
    expect(check('"\\ud800"').ok).toBe(true); // lone surrogate escape: allowed by the grammar
    expect(check(" \t\r\n1 \n").ok).toBe(true);
  });
  it("reports error codes and offsets", () => {
    let s = check('{"a":"abc');
    expect(s.error).toBe(JsonError.UNTERMINATED_STRING);
    expect(s.offset).toBe(5);
    s = check('["a\\x"]');
    expect(s.error).toBe(JsonError.BAD_ESCAPE);
    expect(s.offset).toBe(3);
    expect(check('"\\u12G4"').error).toBe(JsonError.BAD_UNICODE_ESCAPE);
    expect(check('"\\u12"').error).toBe(JsonError.BAD_UNICODE_ESCAPE);
    expect(check('"\\u12').error).toBe(JsonError.UNTERMINATED_STRING);
    s = check('"a\tb"');
    expect(s.error).toBe(JsonError.CONTROL_CHAR);
    expect(s.offset).toBe(2);
    expect(check("01").error).toBe(JsonError.BAD_NUMBER);
    expect(check("[-01]").error).toBe(JsonError.BAD_NUMBER);
    expect(check("1.").error).toBe(JsonError.UNEXPECTED_END);
    expect(check("1.e5").error).toBe(JsonError.BAD_NUMBER);
    expect(check("-").error).toBe(JsonError.UNEXPECTED_END);
    expect(check("+1").error).toBe(JsonError.UNEXPECTED_CHAR);
    expect(check(".5").error).toBe(JsonError.UNEXPECTED_CHAR);
    expect(check("[1,]").error).toBe(JsonError.UNEXPECTED_CHAR);
    expect(check('{"a":1,}').error).toBe(JsonError.UNEXPECTED_CHAR);
    expect(check('{"a" 1}').error).toBe(JsonError.EXPECTED_COLON);
    expect(check('{a:1}').error).toBe(JsonError.UNEXPECTED_CHAR);
    expect(check("[1 2]").error).toBe(JsonError.UNEXPECTED_CHAR);
    expect(check("[1}").error).toBe(JsonError.UNEXPECTED_CHAR);
    s = check("{} x");
    expect(s.error).toBe(JsonError.TRAILING_DATA);
    expect(s.offset).toBe(3);
    expect(check("").error).toBe(JsonError.EMPTY);
    expect(check("   ").error).toBe(JsonError.EMPTY);
    expect(check("[").error).toBe(JsonError.UNEXPECTED_END);
    expect(check("tru").error).toBe(JsonError.UNEXPECTED_END);
    expect(check("nul1").error).toBe(JsonError.UNEXPECTED_CHAR);
    expect(check("falsey").error).toBe(JsonError.TRAILING_DATA);
    expect(check("NaN").error).toBe(JsonError.UNEXPECTED_CHAR);
  });
  it("rejects invalid UTF-8 inside strings with its offset", () => {
    const cases: i32[][] = [[0x22, 0x61, 0xff, 0x22], [0x22, 0x61, 0xc0, 0xaf, 0x22], [0x22, 0x61, 0xed, 0xa0, 0x80, 0x22], [0x22, 0x61, 0xe2, 0x82, 0x22], [0x22, 0x61, 0x80, 0x22]];
    for (let i = 0; i < cases.length; i++) {
      const x = bytes(cases[i]);
      const s = validateJson(x, 0, x.length);
      expect(s.error).toBe(JsonError.INVALID_UTF8);
      expect(s.offset).toBe(2);
    }
    const y = bytes([0xef, 0xbb, 0xbf, 0x31]); // a BOM is not JSON (RFC 8259 section 8.1)
    expect(validateJson(y, 0, y.length).error).toBe(JsonError.UNEXPECTED_CHAR);
  });
  it("enforces the depth limit", () => {
    const x = nested(64, "[", "]");
    expect(validateJson(x, 0, x.length, 64).ok).toBe(true);
    const y = nested(65, "[", "]");
    const s = validateJson(y, 0, y.length, 64);
    expect(s.error).toBe(JsonError.TOO_DEEP);
    expect(s.offset).toBe(64);
    expect(validateJson(y, 0, y.length, 1000).ok).toBe(true);
  });
  it("handles 10k-deep nesting without recursion, within and beyond the limit", () => {
    const a = nested(10000, "[", "]");
    expect(validateJson(a, 0, a.length).error).toBe(JsonError.TOO_DEEP);
    expect(validateJson(a, 0, a.length, 20000).ok).toBe(true);
    const o = new ByteBuilder();
    for (let i = 0; i < 10000; i++) o.appendString('{"a":');
    o.appendString("1");
    for (let i = 0; i < 10000; i++) o.appendString("}");
    const ob = o.toBytes();
    expect(validateJson(ob, 0, ob.length, 20000, true).ok).toBe(true);
    const p = parseJson(ob, 0, ob.length, 20000);
    expect(p.status.ok).toBe(true);
    let v = p.value!;
    let depth = 0;
    while (v.kind == JsonKind.OBJECT && depth < 20000) { v = v.get("a")!; depth++; }
    expect(depth).toBe(10000);
    expect(v.num).toBe(1.0);
    const unclosed = nested(10000, "[", "").slice(0, 10000);
    expect(validateJson(unclosed, 0, unclosed.length, 20000).error).toBe(JsonError.UNEXPECTED_END);
    expect(parseJson(a, 0, a.length).status.error).toBe(JsonError.TOO_DEEP);
  });
  it("detects duplicate keys after decoding, per object", () => {
    expect(check('{"a":1,"b":2}', true).ok).toBe(true);
    const s = check('{"sub":1,"x":{"sub":2},"sub":3}', true);
    expect(s.error).toBe(JsonError.DUPLICATE_KEY);
    expect(s.offset).toBe(23);
    expect(check('{"a":1,"\\u0061":2}', true).error).toBe(JsonError.DUPLICATE_KEY);
    expect(check('[{"a":1},{"a":2}]', true).ok).toBe(true);
    expect(check('{"a":1,"a":2}', false).ok).toBe(true);
  });
});

describe("string decoding", () => {
  it("decodes every escape", () => {
    expect(decode('a\\"\\\\\\/\\b\\f\\n\\r\\t')).toBe("61225c2f080c0a0d09");
    expect(decode("\\u0040")).toBe("40");
    expect(decode("\\u00e9\\u20AC")).toBe("c3a9e282ac");
    expect(decode("\\ud83d\\ude00")).toBe("f09f9880");
    expect(decode("\\u0000")).toBe("00");
  });
  it("maps lone surrogates to U+FFFD", () => {
    expect(decode("\\ud800")).toBe("efbfbd");
    expect(decode("\\ude00x")).toBe("efbfbd78");
    expect(decode("\\ud83d\\u0041")).toBe("efbfbd41");
    expect(decode("\\ud83d\\ud83d\\ude00")).toBe("efbfbdf09f9880");
  });
  it("returns errors instead of trapping", () => {
    const out = new ByteBuilder();
    expect(decodeJsonString(b("ab\\"), 0, 3, out)).toBe(JsonError.BAD_ESCAPE);
    expect(decodeJsonString(b("\\q"), 0, 2, out)).toBe(JsonError.BAD_ESCAPE);
    expect(decodeJsonString(b("\\u12"), 0, 4, out)).toBe(JsonError.BAD_UNICODE_ESCAPE);
    expect(decodeJsonString(b("a\nb"), 0, 3, out)).toBe(JsonError.CONTROL_CHAR);
    expect(decodeJsonString(b("ab"), -5, 99, out)).toBe(JsonError.NONE);
  });
  it("maps decoded offsets back to raw offsets", () => {
    // raw:  a \u0040 b \n c    (offsets: a=10, \u0040=11..17, b=17, \n=18..20, c=20)
    const x = b('0123456789a\\u0040b\\nc');
    const out = new ByteBuilder();
    const map = new OffsetMap();
    expect(decodeJsonString(x, 10, x.length, out, map)).toBe(JsonError.NONE);
    expect(out.toString()).toBe("a@b\nc");
    expect(map.decodedLength).toBe(5);
    expect(map.toRaw(0)).toBe(10);
    expect(map.toRaw(1)).toBe(11);
    expect(map.toRaw(2)).toBe(17);
    expect(map.toRaw(3)).toBe(18);
    expect(map.toRaw(4)).toBe(20);
    expect(map.toRaw(5)).toBe(21);
    // inside a multi-byte escape output: snaps to the escape start, not a boundary
    const y = b("x\\u00e9y");
    expect(decodeJsonString(y, 0, y.length, out, map)).toBe(JsonError.NONE);
    expect(map.toRaw(2)).toBe(1);
    expect(map.isEscapeBoundary(2)).toBe(false);
    expect(map.isEscapeBoundary(1)).toBe(true);
    expect(map.isEscapeBoundary(3)).toBe(true);
    expect(map.toRaw(3)).toBe(7);
  });
  it("compares keys with and without escapes", () => {
    const x = b("messages");
    expect(jsonStringEquals(x, 0, x.length, false, b("messages"))).toBe(true);
    const y = b("m\\u0065ssages");
    expect(jsonStringEquals(y, 0, y.length, true, b("messages"))).toBe(true);
    expect(jsonStringEquals(y, 0, y.length, true, b("message"))).toBe(false);
  });
  it("escaping then decoding round-trips text", () => {
    const src = b('q"\\ \u0001\u001f\n\u00e9\uD83D\uDE00\u007f');
    const enc = new ByteBuilder();
    appendJsonStringBytes(enc, src);
    expect(enc.toString()).toBe('"q\\"\\\\ \\u0001\\u001f\\n\u00e9\uD83D\uDE00\u007f"');
    const e = enc.toBytes();
    expect(validateJson(e, 0, e.length).ok).toBe(true);
    const dec = new ByteBuilder();
    expect(decodeJsonString(e, 1, e.length - 1, dec)).toBe(JsonError.NONE);
    expect(hex(dec.toBytes())).toBe(hex(src));
  });
  it("escapes invalid UTF-8 as \\ufffd so output stays valid", () => {
    const enc = new ByteBuilder();
    appendJsonStringBytes(enc, bytes([0x61, 0xff, 0xe2, 0x82, 0x62]));
    expect(enc.toString()).toBe('"a\\ufffd\\ufffd\\ufffdb"');
  });
});

describe("JsonValue tree and reader", () => {
  it("parses with key order, raw numbers and nested values", () => {
    const r = parseJsonString('{"z":1,"a":[true,null,"s\\u00e9"],"n":12345678901234567890,"o":{"x":-1.5}}');
    expect(r.status.ok).toBe(true);
    const v = r.value!;
    expect(v.keys.join(",")).toBe("z,a,n,o");
    expect(v.get("a")!.at(0)!.bool).toBe(true);
    expect(v.get("a")!.at(1)!.isNull).toBe(true);
    expect(v.get("a")!.at(2)!.str).toBe("s\u00e9");
    expect(v.get("a")!.at(3)).toBeNull();
    expect(v.get("n")!.raw).toBe("12345678901234567890");
    expect(v.get("o")!.get("x")!.num).toBe(-1.5);
    expect(v.get("missing")).toBeNull();
  });
  it("rejects duplicates by default, allows them on request (last wins)", () => {
    const r = parseJsonString('{"sub":"a","sub":"b"}');
    expect(r.value).toBeNull();
    expect(r.status.error).toBe(JsonError.DUPLICATE_KEY);
    expect(r.status.message()).toBe("duplicate key at byte 11");
    // Every code has its own message (lists.ts JSON_ERRORS lines, in JsonError order).
    expect(jsonErrorName(JsonError.NONE)).toBe("ok");
    expect(jsonErrorName(JsonError.UNEXPECTED_END)).toBe("unexpected end of input");
    expect(jsonErrorName(JsonError.EXPECTED_COLON)).toBe("expected ':' after object key");
    expect(jsonErrorName(JsonError.EXPECTED_COLON + 1)).toBe("unknown error");
    expect(jsonErrorName(-1)).toBe("unknown error");
    const r2 = parseJsonString('{"sub":"a","sub":"b"}', 64, false);
    expect(r2.value!.get("sub")!.str).toBe("b");
  });
  it("reports typed field errors with paths", () => {
    const v = parseJsonString('{"name":"x","limits":{"rpm":"60","burst":2.5,"ttl":-3},"rules":[{"id":1},"bad"],"on":true,"typo":1}').value!;
    const r = new ObjectReader(v);
    expect(r.getString("name")).toBe("x");
    expect(r.getBool("on")).toBe(true);
    expect(r.getBool("off", true)).toBe(true);
    expect(r.ok).toBe(true);
    const lim = r.getObject("limits")!;
    expect(lim.getNumber("rpm", 7)).toBe(7);
    expect(r.errors.first()).toBe("field `limits.rpm`: expected number, got string");
    expect(lim.getInteger("burst", 1, 0, 10)).toBe(1);
    expect(r.errors.list[1].message()).toBe("field `limits.burst`: expected integer in [0, 10], got 2.5");
    expect(lim.getInteger("ttl", 0, 0, 100)).toBe(0);
    const rules = r.getArray("rules")!;
    expect(rules.length).toBe(2);
    expect(rules.objectAt(0)!.getInteger("id", 0)).toBe(1);
    expect(rules.objectAt(1)).toBeNull();
    expect(r.errors.list[3].message()).toBe("field `rules[1]`: expected object, got string");
    r.requireString("host");
    expect(r.errors.list[4].message()).toBe("field `host`: required string is missing");
    r.rejectUnknown(["name", "limits", "rules", "on"]);
    expect(r.errors.list[5].message()).toBe("field `typo`: unknown field");
    expect(r.getObject("name")).toBeNull();
    expect(r.errors.list[6].message()).toBe("field `name`: expected object, got string");
  });
  it("flags a non-object root", () => {
    const r = new ObjectReader(parseJsonString("[1]").value!);
    expect(r.ok).toBe(false);
    expect(r.errors.first()).toBe("field `(root)`: expected object, got array");
    expect(r.getString("a", "d")).toBe("d");
  });
});
