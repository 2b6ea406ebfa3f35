// allStrings scanning (llm/spans.ts + json/structural.ts) and look-alike folding (unicode/fold.ts).
import { ByteBuilder } from "../bytes/builder";
import { JsonError } from "../json/tokenizer";
import { LlmScanner, TextKind, isTextKind } from "../llm/spans";
import { decodeSpan } from "../json/rewrite";
import { FoldMap, foldCodePoint, partialFoldStart, unicodeDigit, needsFold } from "../unicode/fold";

function b(s: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(s)); }

/** "K:key" / "O:value" / "T:text" per span. */
function all(s: string): string {
  const body = b(s);
  const r = new LlmScanner(64, true).scan(body);
  expect(r.error).toBe(JsonError.NONE);
  const parts = new Array<string>();
  for (let i = 0; i < r.spans.length; i++) {
    const sp = r.spans[i];
    const out = new ByteBuilder();
    decodeSpan(body, sp, out);
    parts.push((sp.kind == TextKind.KEY ? "K" : sp.kind == TextKind.OTHER ? "O" : "T") + ":" + out.toString());
  }
  return parts.join(" ");
}

function folded(s: string): string {
  const src = b(s);
  const fm = new FoldMap();
  fm.fold(src, 0, src.length, false, 0);
  return fm.out.toString();
}

describe("allStrings scanning", () => {
  it("reports every key and value; structural vocabulary values are skipped only under their keys", () => {
    expect(all('{"model":"gpt-4o","messages":[{"role":"user","name":"Ann","content":"hi"}]}'))
      .toBe("K:model O:gpt-4o K:messages K:role K:name O:Ann K:content T:hi");
    expect(all('{"metadata":{"role":"a@b.c","type":"user","model":"x"}}'))
      .toBe("K:metadata K:role O:a@b.c K:type K:model O:x");
    expect(all('{"type":"mail me","role":"system"}')).toBe("K:type O:mail me K:role");
  });
  it("reports strings of arrays, root strings and escaped structural keys", () => {
    expect(all('["a",{"k":"v"}]')).toBe("O:a K:k O:v");
    expect(all('"root"')).toBe("O:root");
    expect(all('{"r\\u006fle":"user","x":"y"}')).toBe("K:role K:x O:y");
  });
  it("keeps block strings of another type as OTHER; Responses and thinking deltas are streamed text", () => {
    expect(all('{"content":[{"type":"image","text":"t"}]}')).toBe("K:content K:type K:text O:t");
    expect(all('{"type":"response.output_text.delta","delta":"abc"}')).toBe("K:type K:delta T:abc");
    expect(all('{"delta":{"type":"thinking_delta","thinking":"hm"}}')).toBe("K:delta K:type K:thinking T:hm");
    expect(isTextKind(TextKind.OTHER)).toBe(false);
    expect(isTextKind(TextKind.MESSAGE)).toBe(true);
  });
});

describe("folding", () => {
  it("folds spaces, dashes, full-width ASCII, zero-width characters and escapes", () => {
    expect(folded("4111\u00a01111\u20131111\u200b1111")).toBe("4111 1111-11111111");
    expect(folded("\uff14\uff12\uff20x")).toBe("42@x");
    expect(folded("a%40b \\u0040c %zz \\u00e9")).toBe("a@b @c %zz \\u00e9");
    expect(folded("j&#64;x &#x40;y &#xff14; &amp; &#12;")).toBe("j@x @y 4 &amp; &#12;");
    expect(folded("j&commat;x&period;com 4111&nbsp;1111 &plus;49 &lt;a&gt; &amp; &nbspx &copy;")).toBe("j@x.com 4111 1111 +49 <a> &amp; &nbspx &copy;");
    expect(foldCodePoint(0x3002)).toBeLessThan(-1); // 。 is kept
  });
  it("maps folded offsets back to the original bytes", () => {
    const src = b("x\u00a0\u200by");
    const fm = new FoldMap();
    fm.fold(src, 0, src.length, false, 0);
    expect(fm.out.toString()).toBe("x y");
    expect(fm.toOrig(0)).toBe(0);
    expect(fm.toOrig(1)).toBe(1); // the space comes from U+00A0 at byte 1
    expect(fm.toOrig(2)).toBe(6); // y after the removed U+200B (bytes 3..5)
    expect(fm.toOrig(3)).toBe(7);
  });
  it("folds every Unicode decimal digit to its ASCII digit and removes ignorables above U+FFFF", () => {
    expect(folded("\u0664\u0661 \u06f4\u06f1 \u096a\u0967 \u09ea \u0e54 \uabf4 \u{1d7d2}\u{1d7cf} \u{1fbf4}")).toBe("41 41 41 4 4 4 41 4");
    expect(unicodeDigit(0x0660)).toBe(0x30);
    expect(unicodeDigit(0x0669)).toBe(0x39);
    expect(unicodeDigit(0x066a)).toBe(-1); // Arabic percent sign
    expect(unicodeDigit(0x1d7ff)).toBe(0x39); // last of the five mathematical digit sets
    expect(unicodeDigit(0x0965)).toBe(-1); // Devanagari double danda
    expect(folded("a\u{e0041}b\u{1d173}c\u{e0100}d\u{1bca0}e")).toBe("abcde");
    expect(folded("\u{1f600}\u0627")).toBe("\u{1f600}\u0627"); // other characters are kept
    const src = b("x\u{1d7cf}y");
    expect(needsFold(src.dataStart, 0, src.length)).toBe(true);
    const fm = new FoldMap();
    fm.fold(src, 0, src.length, false, 0);
    expect(fm.out.toString()).toBe("x1y");
    expect(fm.toOrig(2)).toBe(5); // y after the 4-byte digit
  });
  it("leaves out a four-byte character cut by the end after any of its bytes", () => {
    const src = b("12\u{e0041}");
    for (let cut = 3; cut <= 5; cut++) expect(partialFoldStart(src.dataStart, 0, cut)).toBe(2);
    const fm = new FoldMap();
    fm.fold(src, 0, 5, true, 0);
    expect(fm.out.toString()).toBe("12");
  });
  it("leaves out a character cut by the end that may still fold", () => {
    const src = b("12\u00a0");
    expect(partialFoldStart(src.dataStart, 0, src.length - 1)).toBe(2);
    const fm = new FoldMap();
    fm.fold(src, 0, src.length - 1, true, 0);
    expect(fm.out.toString()).toBe("12");
    expect(fm.toOrig(2)).toBe(2);
  });
});
