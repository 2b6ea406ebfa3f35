import { ByteBuilder } from "../bytes/builder";
import { decimal } from "../bytes/decimal";
import { skipJsonPlain, indexOfLineBreak, indexOfJsonEscapeOrEnd } from "../bytes/util";
import { bytesOf, indexOf, indexOfByte, asciiEqualsIgnoreCase, asciiStartsWithIgnoreCase, parseU32, parseI64, validateUtf8, trimSpaces, equalsAt } from "../bytes/util";

function hex(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16);
  return s;
}
function arr(xs: i32[]): Uint8Array {
  const a = new Uint8Array(xs.length);
  for (let i = 0; i < xs.length; i++) a[i] = <u8>xs[i];
  return a;
}

describe("ByteBuilder", () => {
  it("grows past its initial capacity and keeps content", () => {
    const b = new ByteBuilder(1);
    for (let i = 0; i < 1000; i++) b.appendByte(<u8>(i & 0x7f));
    expect(b.length).toBe(1000);
    expect(b.byteAt(999)).toBe(<u8>(999 & 0x7f));
    expect(b.byteAt(1000)).toBe(0); // out of range reads 0, no trap
    expect(b.byteAt(-1)).toBe(0);
  });
  it("appends strings as UTF-8, lone surrogates as U+FFFD", () => {
    const b = new ByteBuilder();
    b.appendString("a\u00e9\u20ac\uD83D\uDE00");
    expect(hex(b.toBytes())).toBe("61c3a9e282acf09f9880");
    b.reset();
    b.appendString("\uD800x\uDC00");
    expect(hex(b.toBytes())).toBe("efbfbd78efbfbd");
  });
  it("appends integers including extremes", () => {
    const b = new ByteBuilder();
    b.appendI64(0).appendByte(0x20).appendI64(-42).appendByte(0x20).appendI64(i64.MIN_VALUE).appendByte(0x20).appendU64(u64.MAX_VALUE).appendByte(0x20).appendU32(4294967295);
    expect(b.toString()).toBe("0 -42 -9223372036854775808 18446744073709551615 4294967295");
  });
  it("appends floats JSON-safely", () => {
    const b = new ByteBuilder();
    b.appendF64(1.5).appendByte(0x20).appendF64(3.0).appendByte(0x20).appendF64(NaN).appendByte(0x20).appendF64(-Infinity);
    expect(b.toString()).toBe("1.5 3 null null");
  });
  it("slices and appends slices with clamping", () => {
    const b = new ByteBuilder();
    b.appendSlice(bytesOf("hello"), 1, 100);
    expect(b.toString()).toBe("ello");
    b.appendSlice(bytesOf("xyz"), 2, 1);
    expect(b.toString()).toBe("ello");
    expect(String.UTF8.decode(b.slice(-3, 2).buffer)).toBe("el");
    b.truncate(1);
    expect(b.toString()).toBe("e");
  });
});

describe("byte search", () => {
  it("indexOf finds needles, respects bounds", () => {
    const h = bytesOf("abcabcd");
    expect(indexOf(h, bytesOf("abcd"))).toBe(3);
    expect(indexOf(h, bytesOf("abc"), 1)).toBe(3);
    expect(indexOf(h, bytesOf("abcd"), 0, 6)).toBe(-1);
    expect(indexOf(h, bytesOf("zz"))).toBe(-1);
    expect(indexOf(h, bytesOf("abcabcdX"))).toBe(-1);
    expect(indexOf(h, new Uint8Array(0), 2)).toBe(2);
    expect(indexOfByte(h, 0x64)).toBe(6);
    expect(indexOfByte(h, 0x64, -5, 3)).toBe(-1);
  });
  it("compares ASCII case-insensitively", () => {
    const h = bytesOf("Content-Type: X");
    expect(asciiEqualsIgnoreCase(h, 0, 12, bytesOf("content-type"))).toBe(true);
    expect(asciiEqualsIgnoreCase(h, 0, 11, bytesOf("content-type"))).toBe(false);
    expect(asciiStartsWithIgnoreCase(h, 0, h.length, bytesOf("CONTENT"))).toBe(true);
    expect(asciiStartsWithIgnoreCase(h, 14, h.length, bytesOf("xy"))).toBe(false);
    // '@' (0x40) and '`' (0x60) differ by 0x20 but are not letters.
    expect(asciiEqualsIgnoreCase(bytesOf("@"), 0, 1, bytesOf("`"))).toBe(false);
    expect(equalsAt(h, 14, 15, bytesOf("X"))).toBe(true);
  });
  it("trims spaces and tabs", () => {
    const r = trimSpaces(bytesOf(" \t ab c \t"), 0, 100);
    expect(r.start).toBe(3);
    expect(r.end).toBe(7);
    const e = trimSpaces(bytesOf("   "), 0, 3);
    expect(e.end - e.start).toBe(0);
  });
});

describe("number parsing", () => {
  it("parseU32 accepts digits within range only", () => {
    expect(parseU32(bytesOf("0"), 0, 1)).toBe(0);
    expect(parseU32(bytesOf("4294967295"), 0, 10)).toBe(4294967295);
    expect(parseU32(bytesOf("4294967296"), 0, 10)).toBe(-1);
    expect(parseU32(bytesOf("99999999999999999999999"), 0, 23)).toBe(-1);
    expect(parseU32(bytesOf(""), 0, 0)).toBe(-1);
    expect(parseU32(bytesOf("12a"), 0, 3)).toBe(-1);
    expect(parseU32(bytesOf("-1"), 0, 2)).toBe(-1);
    expect(parseU32(bytesOf(" 1"), 0, 2)).toBe(-1);
  });
  it("parseI64 handles signs and both extremes", () => {
    let r = parseI64(bytesOf("-9223372036854775808"), 0, 20);
    expect(r.ok).toBe(true);
    expect(r.value).toBe(i64.MIN_VALUE);
    r = parseI64(bytesOf("9223372036854775807"), 0, 19);
    expect(r.ok).toBe(true);
    expect(r.value).toBe(i64.MAX_VALUE);
    expect(parseI64(bytesOf("9223372036854775808"), 0, 19).ok).toBe(false);
    expect(parseI64(bytesOf("-9223372036854775809"), 0, 20).ok).toBe(false);
    expect(parseI64(bytesOf("+17"), 0, 3).value).toBe(17);
    expect(parseI64(bytesOf("-"), 0, 1).ok).toBe(false);
    expect(parseI64(bytesOf("1.5"), 0, 3).ok).toBe(false);
  });
});

describe("validateUtf8", () => {
  it("accepts well-formed text", () => {
    expect(validateUtf8(bytesOf("a\u00e9\u20ac\uD83D\uDE00"))).toBe(-1);
    expect(validateUtf8(arr([0xf4, 0x8f, 0xbf, 0xbf]))).toBe(-1); // U+10FFFF
  });
  it("reports the offset of bad sequences", () => {
    expect(validateUtf8(arr([0x61, 0x80]))).toBe(1); // stray continuation
    expect(validateUtf8(arr([0x61, 0xc0, 0x80]))).toBe(1); // overlong NUL
    expect(validateUtf8(arr([0xe0, 0x80, 0x80]))).toBe(0); // overlong
    expect(validateUtf8(arr([0xed, 0xa0, 0x80]))).toBe(0); // surrogate U+D800
    expect(validateUtf8(arr([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // > U+10FFFF
    expect(validateUtf8(arr([0x61, 0x62, 0xe2, 0x82]))).toBe(2); // truncated
    expect(validateUtf8(arr([0xff]))).toBe(0);
    expect(validateUtf8(arr([0xe2, 0x82, 0xac]), 0, 2)).toBe(0); // truncated by the range end
  });
});

// Byte-at-a-time references for the word-at-a-time scanners.
function refPlain(b: Uint8Array, s: i32, e: i32): i32 {
  for (let i = s; i < e; i++) { const c = b[i]; if (c < 0x20 || c == 0x22 || c == 0x5c || c >= 0x80) return i; }
  return e;
}
function refBreak(b: Uint8Array, s: i32, e: i32): i32 {
  for (let i = s; i < e; i++) { const c = b[i]; if (c == 0x0a || c == 0x0d) return i; }
  return e;
}
function refEscape(b: Uint8Array, s: i32, e: i32): i32 {
  for (let i = s; i < e; i++) { const c = b[i]; if (c < 0x20 || c == 0x22 || c == 0x5c) return i; }
  return e;
}

describe("word-at-a-time scanners", () => {
  it("find the first special byte at every offset, alignment and length, as a byte loop does", () => {
    // Bytes next to the special ones (0x1f/0x20/0x21, 0x23, 0x5b/0x5d, 0x7f/0x80, 0x09/0x0b/0x0c/0x0e) catch
    // carries and borrows that spill into a neighbouring byte.
    const specials: u8[] = [0x00, 0x0a, 0x0d, 0x1f, 0x22, 0x5c, 0x80, 0xff, 0xc3];
    const near: u8[] = [0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x09, 0x0b, 0x0c, 0x0e, 0x61, 0x01];
    const n = 40;
    const b = new Uint8Array(n);
    let checked = 0;
    let wrong = 0;
    for (let si = 0; si < specials.length; si++) {
      for (let pos = 0; pos < n; pos++) {
        for (let k = 0; k < n; k++) b[k] = near[(k * 7 + pos + si) % near.length];
        b[pos] = specials[si];
        for (let s = 0; s < 9; s++) {
          for (let e = s; e <= n; e += 3) {
            checked++;
            if (skipJsonPlain(b, s, e) != refPlain(b, s, e)) wrong++;
            if (indexOfLineBreak(b, s, e) != refBreak(b, s, e)) wrong++;
            if (indexOfJsonEscapeOrEnd(b, s, e) != refEscape(b, s, e)) wrong++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(40000);
    expect(wrong).toBe(0);
  });

  it("clamp their range to the array and return the end when nothing is found", () => {
    const b = bytesOf("plain ascii text, no specials here");
    expect(skipJsonPlain(b, 0, 1000)).toBe(b.length);
    expect(indexOfLineBreak(b, -5, b.length)).toBe(b.length);
    expect(indexOfJsonEscapeOrEnd(b, 3, 2)).toBe(3);
    expect(skipJsonPlain(bytesOf("abcdefghij\\"), 0, 12)).toBe(10);
    expect(indexOfLineBreak(bytesOf("data: x\r\n"), 0, 9)).toBe(7);
  });
});

describe("decimal", () => {
  it("writes an integer as toString() does, the extremes and negatives included", () => {
    expect(decimal(0)).toBe("0");
    expect(decimal(7)).toBe("7");
    expect(decimal(10)).toBe("10");
    expect(decimal(-5)).toBe("-5");
    expect(decimal(1048576)).toBe("1048576");
    expect(decimal(i64.MAX_VALUE)).toBe("9223372036854775807");
    expect(decimal(i64.MIN_VALUE)).toBe("-9223372036854775808");
    for (let v: i64 = -1000; v <= 1000; v += 37) expect(decimal(v)).toBe(v.toString());
  });
});
