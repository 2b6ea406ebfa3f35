// Editor-driven rewriting (json/rewrite.ts rewriteSpansWith, sse/llm.ts rewriteEventTextWith,
// sse/writer.ts writeEventSlice), the stream delta scanner (sse/llm.ts DeltaScanner,
// json/tokenizer.ts jsonStringContentCheck) and config parsing (json/reader.ts parseConfigObject).
import { ByteBuilder } from "../bytes/builder";
import { LlmScanner, LlmScan, scanLlmBody } from "../llm/spans";
import { jsonStringContentCheck } from "../json/tokenizer";
import { SpanEditor, SpanScratch, rewriteSpansWith } from "../json/rewrite";
import { parseConfigObject, ObjectReader } from "../json/reader";
import { JsonKind } from "../json/value";
import { SseParser, SseEvent } from "../sse/parser";
import { scanEventText, rewriteEventTextWith, DeltaScanner } from "../sse/llm";
import { writeEvent, writeEventSlice } from "../sse/writer";
import { appendJsonEscaped, escapeInPlace } from "../json/escape";

function b(s: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(s)); }

/** Upper-cases ASCII letters of spans containing `x`; keeps the others; stops at "STOP". */
class Upper extends SpanEditor {
  seen: Array<string> = new Array<string>();
  edit(index: i32, text: Uint8Array, start: i32, end: i32, out: ByteBuilder): i32 {
    const s = String.UTF8.decodeUnsafe(text.dataStart + <usize>start, <usize>(end - start));
    this.seen.push(index.toString() + "=" + s);
    if (s == "STOP") return -7;
    if (!s.includes("x")) return 0;
    out.appendString(s.toUpperCase());
    return 1;
  }
}

function rewrite(json: string, ed: Upper, scratch: SpanScratch | null = null): string {
  const body = b(json);
  const scan = scanLlmBody(body);
  expect(scan.ok).toBe(true);
  const out = new ByteBuilder();
  out.appendString("<");
  const r = rewriteSpansWith(body, 0, body.length, scan.spans, ed, out, scratch);
  return r.toString() + out.toString();
}

describe("rewriteSpansWith", () => {
  it("replaces edited spans (escaped), copies kept spans and everything else byte for byte", () => {
    const ed = new Upper();
    const json = '{"model":"x","messages":[{"role":"user","content":"a\\u0078b \\"q\\""},{"role":"user","content":"keep \\u00e9"}]}';
    expect(rewrite(json, ed)).toBe('1<{"model":"x","messages":[{"role":"user","content":"AXB \\"Q\\""},{"role":"user","content":"keep \\u00e9"}]}');
    // The editor sees decoded text and span indexes.
    expect(ed.seen.join("|")).toBe('0=axb "q"|1=keep é');
  });

  it("with no change the output equals the input; a reused scratch gives the same result", () => {
    const json = '{"messages":[{"role":"user","content":"plain \\n words"}]}';
    const sc = new SpanScratch();
    expect(rewrite(json, new Upper(), sc)).toBe("0<" + json);
    expect(rewrite('{"prompt":["x1","y","x2"]}', new Upper(), sc)).toBe('2<{"prompt":["X1","y","X2"]}');
    expect(rewrite('{"prompt":["x1","y","x2"]}', new Upper(), sc)).toBe('2<{"prompt":["X1","y","X2"]}');
  });

  it("a negative editor result stops and leaves out as it was", () => {
    const ed = new Upper();
    expect(rewrite('{"prompt":["x","STOP","x"]}', ed)).toBe("-7<");
    expect(ed.seen.length).toBe(2);
  });

  it("skips spans outside the range or out of order, never traps", () => {
    const body = b('{"prompt":"x"}');
    const scan = scanLlmBody(body);
    const out = new ByteBuilder();
    expect(rewriteSpansWith(body, 0, 5, scan.spans, new Upper(), out)).toBe(0);
    expect(out.toString()).toBe('{"pro');
    out.reset();
    expect(rewriteSpansWith(body, -3, 999, scan.spans, new Upper(), out)).toBe(1);
    expect(out.toString()).toBe('{"prompt":"X"}');
  });
});

/** Upper with appends = true (writes into the output itself). */
class UpperAppending extends Upper {
  constructor() { super(); this.appends = true; }
}

describe("rewriteSpansWith with an appending editor", () => {
  it("gives the same output as through the scratch copy", () => {
    const cases = [
      '{"model":"x","messages":[{"role":"user","content":"a\\u0078b \\"q\\""},{"role":"user","content":"keep \\u00e9"}]}',
      '{"messages":[{"role":"user","content":"plain \\n words"}]}',
      '{"prompt":["x1","y","x2"]}',
      '{"prompt":["x\\n\\t\\u0001\\\\ \\"", "y", "x \\u00e9 \\ud83d\\ude00"]}',
      '{"prompt":["x","STOP","x"]}',
    ];
    for (let i = 0; i < cases.length; i++) expect(rewrite(cases[i], new UpperAppending())).toBe(rewrite(cases[i], new Upper()));
  });
});

describe("escapeInPlace", () => {
  it("escapes a builder's tail as appendJsonEscaped does (controls, quotes, backslashes, malformed UTF-8)", () => {
    const samples = new Array<Uint8Array>();
    samples.push(b("plain text only"));
    samples.push(b("q\"b\\ \n\t\r\u0001\u001f \u007f é 日本 \u{1f600}"));
    const bad = new Uint8Array(12);
    bad[0] = 0x61; bad[1] = 0xff; bad[2] = 0xc3; bad[3] = 0x22; bad[4] = 0xe6; bad[5] = 0x97; bad[6] = 0x0a;
    bad[7] = 0xf0; bad[8] = 0x9f; bad[9] = 0x98; bad[10] = 0x80; bad[11] = 0xc3;
    samples.push(bad);
    for (let k = 0; k < samples.length; k++) {
      const src = samples[k];
      const want = new ByteBuilder();
      want.appendString("head:");
      appendJsonEscaped(want, src, 0, src.length);
      const got = new ByteBuilder(16);
      got.appendString("head:");
      got.appendBytes(src);
      escapeInPlace(got, 5);
      expect(got.toString()).toBe(want.toString());
    }
  });
});

function events(s: string): Array<SseEvent> {
  const p = new SseParser();
  const x = b(s);
  p.feed(x, 0, x.length);
  p.finish();
  return p.takeEvents();
}

describe("rewriteEventTextWith / writeEventSlice", () => {
  it("re-frames only events whose text changed, keeping the other lines and terminators", () => {
    const evs = events('event: d\r\ndata: {"choices":[{"delta":{"content":"x y"}}]}\r\nid: 4\r\n\r\ndata: {"choices":[{"delta":{"content":"no"}}]}\n\n');
    const scanner = new LlmScanner();
    const data = new ByteBuilder();
    const out = new ByteBuilder();
    for (let i = 0; i < evs.length; i++) {
      const scan = scanEventText(evs[i], scanner);
      expect(rewriteEventTextWith(evs[i], scan, new Upper(), data, out)).toBe(i == 0 ? 1 : 0);
    }
    expect(out.toString()).toBe('event: d\r\ndata: {"choices":[{"delta":{"content":"X Y"}}]}\r\nid: 4\r\n\r\ndata: {"choices":[{"delta":{"content":"no"}}]}\n\n');
  });

  it("writeEventSlice equals writeEvent with the sliced data", () => {
    const ev = events("data:a\ndata:b\n\n")[0];
    const src = b("__one\ntwo__");
    const x = new ByteBuilder();
    const y = new ByteBuilder();
    writeEventSlice(ev, src, 2, 9, x);
    writeEvent(ev, b("one\ntwo"), y);
    expect(x.toString()).toBe(y.toString());
    expect(x.toString()).toBe("data:one\ndata:two\n\n");
    x.reset();
    writeEventSlice(ev, src, 9, 2, x);
    expect(x.toString()).toBe("data:\n\n");
  });
});

describe("parseConfigObject", () => {
  it("reads empty and whitespace-only configuration as {}", () => {
    const e = parseConfigObject(new Uint8Array(0));
    expect(e.status.ok).toBe(true);
    expect(e.value!.kind).toBe(JsonKind.OBJECT);
    expect(e.value!.keys.length).toBe(0);
    const w = parseConfigObject(b(" \r\n\t"));
    expect(w.value!.kind).toBe(JsonKind.OBJECT);
  });

  it("parses JSON, reports errors with offsets, and leaves the root kind to the reader", () => {
    const ok = parseConfigObject(b(' {"a": 1} '));
    expect(ok.value!.get("a")!.num).toBe(1);
    const bad = parseConfigObject(b("{not"));
    expect(bad.value).toBeNull();
    expect(bad.status.ok).toBe(false);
    const dup = parseConfigObject(b('{"a":1,"a":2}'));
    expect(dup.value).toBeNull();
    const arr = parseConfigObject(b("[1]"));
    const r = new ObjectReader(arr.value!);
    expect(r.ok).toBe(false);
    expect(r.errors.first()).toBe("field `(root)`: expected object, got array");
  });
});

function scanSummary(scan: LlmScan): string {
  if (!scan.ok) return "error";
  const parts = new Array<string>();
  for (let i = 0; i < scan.spans.length; i++) {
    const sp = scan.spans[i];
    parts.push(sp.start.toString() + "-" + sp.end.toString() + ":" + sp.kind.toString() + ":" + sp.role.toString() + ":" + (sp.hasEscape ? "e" : "-") + ":k" + sp.keyStart.toString() + "-" + sp.keyEnd.toString());
  }
  return parts.join(",") + "|" + scan.stream.toString();
}

describe("DeltaScanner", () => {
  it("gives scanEventText's result for every event, reusing the shape of the previous delta", () => {
    const deltas: Array<string> = [
      "hello", "", "a\\\"b", "tab\\tx", "\\u00e9", "é🙂", "bad\\", "x\"y", "\\ud800", "ctl\u0001", "end\\u12",
      "\\q", "multi\nline", "ok", "x\\\\", "last",
    ];
    const ds = new DeltaScanner();
    const plain = new LlmScanner();
    let text = "";
    for (let i = 0; i < deltas.length; i++) {
      text += 'data: {"id":"c","choices":[{"index":0,"delta":{"content":"' + deltas[i] + '"},"finish_reason":null}]}\n\n';
      if (i == 7) text += 'data: {"type":"content_block_delta","index":0,"delta":{"text":"t","type":"text_delta"}}\n\n';
      if (i == 9) text += 'data: {"choices":[{"delta":{"content":"a"}},{"delta":{"content":"b"}}]}\n\n';
    }
    const evs = events(text);
    for (let i = 0; i < evs.length; i++) {
      expect(scanSummary(ds.scan(evs[i]))).toBe(scanSummary(scanEventText(evs[i], plain)), evs[i].dataString());
    }
    // Most events were answered from the remembered shape.
    expect(ds.hits).toBeGreaterThanOrEqual(6);
  });

  it("scanInto gives the same results while reusing one scan object for delta events", () => {
    const deltas: Array<string> = ["hello", "a\\\"b", "é🙂", "x\"y", "\\ud800", "plain", "ok\\n"];
    let text = "";
    for (let i = 0; i < deltas.length; i++) {
      text += 'data: {"choices":[{"index":0,"delta":{"content":"' + deltas[i] + '"}}]}\n\n';
      if (i == 3) text += 'data: {"model":"m","choices":[{"delta":{"content":"a"}},{"delta":{"content":"b"}}]}\n\n';
    }
    const evs = events(text);
    const ds = new DeltaScanner();
    const plain = new LlmScanner();
    const pool = new LlmScan();
    let reused = 0;
    for (let i = 0; i < evs.length; i++) {
      const r = ds.scanInto(evs[i], pool);
      if (r === pool) reused++;
      expect(scanSummary(r)).toBe(scanSummary(scanEventText(evs[i], plain)), evs[i].dataString());
    }
    expect(reused).toBeGreaterThanOrEqual(3);
  });

  it("jsonStringContentCheck agrees with the tokenizer", () => {
    const cases: Array<string> = ["", "abc", "a\\nb", "\\u00E9", "\\u00g9", "\\", "\"", "\\x", "é", "\u0001", "\\u12", "\\/"];
    const want: Array<i32> = [0, 0, 1, 1, -1, -1, -1, -1, 0, -1, -1, 1];
    for (let i = 0; i < cases.length; i++) {
      const x = b(cases[i]);
      expect(jsonStringContentCheck(x, 0, x.length)).toBe(want[i], cases[i]);
    }
    const bad = new Uint8Array(2);
    bad[0] = 0xc3; bad[1] = 0x28;
    expect(jsonStringContentCheck(bad, 0, 2)).toBe(-1);
    expect(jsonStringContentCheck(bad, 1, 0)).toBe(-1);
  });
});
