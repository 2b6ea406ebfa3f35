import { compilePattern, Dictionary } from "../pattern";

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
