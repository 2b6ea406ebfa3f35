import { compilePattern, Dictionary, START_AFTER_NON_WORD, DEFAULT_MAX_STATES, DEFAULT_MAX_LENGTH } from "../pattern";

function spans(src: string, text: string): string {
  const r = compilePattern(src);
  if (r.pattern == null) return "ERR " + r.error;
  const p = r.pattern!;
  const b = Uint8Array.wrap(String.UTF8.encode(text));
  p.findAll(b.dataStart, 0, b.length);
  let s = "";
  for (let i = 0; i < p.matchCount; i++) s += "[" + p.matchStart(i).toString() + "," + p.matchEnd(i).toString() + ")";
  return s;
}

describe("pattern compiler", () => {
  it("reports parse errors with their position", () => {
    expect(compilePattern("(ab").error).toBe("missing ')' at offset 3");
    expect(compilePattern("[abc").error).toBe("missing ']' at offset 4");
    expect(compilePattern("a{3,1}").error).toBe("repetition {m,n} with n < m at offset 6");
    expect(compilePattern("+").error).toBe("nothing to repeat at offset 0");
    expect(compilePattern("a\\q").error).toBe("unknown escape \\q at offset 3");
    expect(compilePattern("").error).toBe("empty pattern");
    expect(compilePattern("x?").error).toBe("pattern matches the empty string");
    // Messages are lines of lists.ts PATTERN_ERRORS: the first, the last and one with a detail.
    expect(compilePattern("a)").error).toBe("unbalanced ')' at offset 1");
    expect(compilePattern("a{1,99999}").error.startsWith("repetition bound over ")).toBe(true);
    expect(compilePattern("[\\b]").error).toBe("\\b inside a class at offset 3");
  });
  it("rejects patterns over the state cap", () => {
    expect(compilePattern("(a|b)*a(a|b){14}").error.startsWith("pattern too complex: automaton exceeds")).toBe(true);
  });
  it("classes and escapes", () => {
    expect(spans("[a-c0-9_]+", "xx abc_9 yy")).toBe("[3,8)");
    expect(spans("[^ ]+", "ab cd")).toBe("[0,2)[3,5)");
    expect(spans("\\d{3}-\\d{2}", "id 123-45 and 12-34")).toBe("[3,9)");
    expect(spans("a\\.b", "a.b axb")).toBe("[0,3)");
  });
  it("alternation is leftmost-longest", () => {
    expect(spans("ab|abcd|abc", "xabcde")).toBe("[1,5)");
    expect(spans("(foo|foobar)baz", "foobarbaz")).toBe("[0,9)");
  });
  it("bounds", () => {
    expect(spans("x{2,3}", "x xx xxxx")).toBe("[2,4)[5,8)");
    expect(spans("y{2,}", "yyyyy")).toBe("[0,5)");
  });
  it("word boundaries", () => {
    expect(spans("\\bcat\\b", "cat concat cats cat.")).toBe("[0,3)[16,19)");
    expect(spans("\\Bcat", "cat concat")).toBe("[7,10)");
  });
  it("case-insensitive flag", () => {
    expect(spans("(?i)hello", "HeLLo hello")).toBe("[0,5)[6,11)");
  });
});

describe("dictionary", () => {
  it("matches whole words case-insensitively, longest first", () => {
    const d = new Dictionary();
    d.add("Acme"); d.add("Acme Corp");
    const b = Uint8Array.wrap(String.UTF8.encode("ACME corp, acmes, acme"));
    d.findAll(b.dataStart, 0, b.length);
    expect(d.matchCount).toBe(2);
    expect(d.matchStart(0)).toBe(0);
    expect(d.matchEnd(0)).toBe(9);
    expect(d.matchStart(1)).toBe(18);
  });
});

// The start filters a scanner uses to try matchAt only at some positions: every real match start must
// pass them, and matchAt at a start must agree with findAll.
const TEXT_BYTES = "ab _-.:AZaz09 \nPRJ-xyqC++";
function randomText(seed: u32, n: i32): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) { seed = seed * 1103515245 + 12345; b[i] = <u8>TEXT_BYTES.charCodeAt(<i32>((seed >> 16) % <u32>TEXT_BYTES.length)); }
  return b;
}
function pairAt(b: Uint8Array, i: i32): i32 { return <i32>b[i] | (i + 1 < b.length ? <i32>b[i + 1] << 8 : 0); }
function wordAt(b: Uint8Array, i: i32): bool { const c = <i32>b[i]; return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f; }

describe("start filters", () => {
  it("pattern: every match start passes firstBytes and firstPairs, and matchAt finds the same end", () => {
    const srcs = ["\\bPRJ-[a-z]+", "a+b?", "(?i)z[ab]", "\\b\\w{2}\\b", "C\\+\\+", "[^ ]x", "-"];
    for (let s = 0; s < srcs.length; s++) {
      const p = compilePattern(srcs[s]).pattern!;
      const anchored = compilePattern(srcs[s], DEFAULT_MAX_STATES, DEFAULT_MAX_LENGTH, true).pattern!;
      const first = p.firstBytes();
      const pairs = p.firstPairs();
      for (let r = 0; r < 40; r++) {
        const b = randomText(<u32>(r * 7 + s), 200);
        p.findAll(b.dataStart, 0, b.length);
        for (let m = 0; m < p.matchCount; m++) {
          const at = p.matchStart(m);
          const how = pairs[pairAt(b, at)];
          expect(how != 0).toBe(true);
          expect(first[b[at]] != 0).toBe(true);
          // START_AFTER_NON_WORD: the previous byte is never a word byte.
          if (how == START_AFTER_NON_WORD && at > 0) expect(wordAt(b, at - 1)).toBe(false);
          expect(p.matchAt(b.dataStart, 0, b.length, at)).toBe(p.matchEnd(m));
          // Compiled anchoredOnly (no reverse automaton): matchAt still agrees.
          expect(anchored.matchAt(b.dataStart, 0, b.length, at)).toBe(p.matchEnd(m));
        }
        if (p.matchCount > 0) {
          anchored.findAll(b.dataStart, 0, b.length);
          expect(anchored.matchCount).toBe(0);
        }
      }
    }
  });
  it("dictionary: every match start passes firstPairs, and matchAt finds the same end", () => {
    const d = new Dictionary();
    d.add("prj"); d.add("C++"); d.add("a"); d.add("za b");
    const pairs = d.firstPairs();
    let total = 0;
    for (let r = 0; r < 60; r++) {
      const b = randomText(<u32>(r + 100), 200);
      d.findAll(b.dataStart, 0, b.length);
      for (let m = 0; m < d.matchCount; m++) {
        const at = d.matchStart(m);
        expect(pairs[pairAt(b, at)] != 0).toBe(true);
        expect(d.matchAt(b.dataStart, 0, b.length, at)).toBe(d.matchEnd(m));
        total++;
      }
    }
    expect(total > 100).toBe(true);
  });
});
