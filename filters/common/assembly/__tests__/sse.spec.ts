import { ByteBuilder } from "../bytes/builder";
import { SseParser, SseEvent, SseError, SseField } from "../sse/parser";
import { writeEvent, writeNewEvent } from "../sse/writer";
import { isDone, scanEventText, rewriteEventText } from "../sse/llm";
import { Replacement, decodeSpan } from "../json/rewrite";
import { TextKind } from "../llm/spans";

function b(s: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(s)); }
function str(x: Uint8Array): string { return String.UTF8.decode(x.buffer); }

// Summary of dispatched events: "type|data|id" joined with " ## ".
function summary(evs: Array<SseEvent>): string {
  const parts = new Array<string>();
  for (let i = 0; i < evs.length; i++) {
    const e = evs[i];
    if (!e.dispatch) continue;
    const t = e.type;
    const id = e.id;
    parts.push((t === null ? "" : str(t)) + "|" + e.dataString() + "|" + (id === null ? "-" : str(id)));
  }
  return parts.join(" ## ");
}
function rawJoin(evs: Array<SseEvent>): string {
  const out = new ByteBuilder();
  for (let i = 0; i < evs.length; i++) writeEvent(evs[i], null, out);
  return out.toString();
}
function parseAll(s: string): Array<SseEvent> {
  const p = new SseParser();
  const x = b(s);
  expect(p.feed(x, 0, x.length)).toBe(SseError.NONE);
  p.finish();
  return p.takeEvents();
}

const STREAM = ": hello\r\n\r\nevent: add\r\ndata: a\r\ndata:  b\r\nid: 7\r\n\r\ndata\n\nretry: 100\ndata: x:y\r\rdata: [DONE]\n\n";

describe("SSE parser", () => {
  it("parses fields per the WHATWG rules", () => {
    const evs = parseAll(STREAM);
    expect(summary(evs)).toBe("add|a\n b|7 ## ||- ## |x:y|- ## |[DONE]|-");
    expect(evs[0].dispatch).toBe(false); // comment only
    expect(evs[3].retry).toBe(100);
    expect(evs[2].retry).toBe(-1);
    expect(evs[1].typeIs("add")).toBe(true);
    expect(evs[3].typeIs("message")).toBe(true);
    expect(isDone(evs[4])).toBe(true);
    expect(isDone(evs[3])).toBe(false);
    expect(rawJoin(evs)).toBe(STREAM);
  });
  it("handles every split point of a CRLF stream, one and two splits", () => {
    const x = b(STREAM);
    const want = summary(parseAll(STREAM));
    for (let i = 0; i <= x.length; i++) {
      for (let j = i; j <= x.length; j += 3) {
        const p = new SseParser();
        p.feed(x, 0, i);
        p.feed(x, i, j);
        p.feed(x, j, x.length);
        p.finish();
        const evs = p.takeEvents();
        expect(summary(evs)).toBe(want);
        expect(rawJoin(evs)).toBe(STREAM);
      }
    }
  });
  it("byte by byte", () => {
    const x = b(STREAM);
    const p = new SseParser();
    for (let i = 0; i < x.length; i++) p.feed(x, i, i + 1);
    p.finish();
    const evs = p.takeEvents();
    expect(summary(evs)).toBe(summary(parseAll(STREAM)));
    expect(rawJoin(evs)).toBe(STREAM);
  });
  it("a CR at a chunk end followed by LF is one terminator, not a blank line", () => {
    const p = new SseParser();
    p.feed(b("data: a\r"));
    p.feed(b("\ndata: b\r"));
    p.feed(b("\n\r"));
    expect(p.events.length).toBe(1); // ended by the bare CR...
    p.feed(b("\n"));                 // ...whose LF arrives later and joins the next event's raw
    p.feed(b("data: c\n\n"));
    const evs = p.takeEvents();
    expect(evs.length).toBe(2);
    expect(evs[0].dataString()).toBe("a\nb");
    expect(evs[1].dataString()).toBe("c");
    expect(str(evs[1].raw)).toBe("\ndata: c\n\n");
  });
  it("ignores ids with NUL, bad retry, unknown fields; strips one leading space only", () => {
    const evs = parseAll("id: a\u0000b\nretry: 1x\nfoo: bar\ndata:   sp\n\n");
    expect(evs[0].id).toBeNull();
    expect(evs[0].retry).toBe(-1);
    expect(evs[0].dataString()).toBe("  sp");
    expect(evs[0].lineField(2)).toBe(SseField.OTHER);
  });
  it("skips a leading BOM", () => {
    const evs = parseAll("\uFEFFdata: x\n\n");
    expect(evs[0].dataString()).toBe("x");
    expect(rawJoin(evs)).toBe("\uFEFFdata: x\n\n");
  });
  it("keeps the last event id across events", () => {
    const p = new SseParser();
    p.feed(b("id: 1\ndata: a\n\ndata: b\n\n"));
    expect(str(p.lastEventId)).toBe("1");
    expect(p.events[1].id).toBeNull();
  });
  it("returns an unterminated tail at finish, not dispatched", () => {
    const p = new SseParser();
    p.feed(b("data: a\n\ndata: partial"));
    expect(p.events.length).toBe(1);
    p.finish();
    const evs = p.takeEvents();
    expect(evs.length).toBe(2);
    expect(evs[1].complete).toBe(false);
    expect(evs[1].dispatch).toBe(false);
    expect(str(evs[1].raw)).toBe("data: partial");
  });
  it("bounds buffering with a clear error and loses nothing", () => {
    const p = new SseParser(32);
    expect(p.feed(b("data: ok\n\ndata: 0123456789"))).toBe(SseError.NONE);
    expect(p.feed(b("0123456789012345678901234567890\n\ntail"))).toBe(SseError.EVENT_TOO_LARGE);
    expect(p.feed(b(" more"))).toBe(SseError.EVENT_TOO_LARGE);
    expect(p.takeEvents().length).toBe(1);
    expect(str(p.takeBuffered())).toBe("data: 01234567890123456789012345678901234567890\n\ntail more");
  });
});

describe("SSE writer", () => {
  it("re-frames new data with the event's own style and terminators", () => {
    const evs = parseAll("event: e\r\ndata:a\r\n: c\r\ndata:b\r\nid: 1\r\n\r\n");
    const out = new ByteBuilder();
    writeEvent(evs[0], b("X\nY\r\nZ"), out);
    expect(out.toString()).toBe("event: e\r\n: c\r\ndata:X\r\ndata:Y\r\ndata:Z\r\nid: 1\r\n\r\n");
  });
  it("keeps a bare-CR framing intact and leading spaces in new data", () => {
    const evs = parseAll("data:a\rid: 1\rdata:b\r\n\n");
    const out = new ByteBuilder();
    writeEvent(evs[0], b(" x"), out);
    expect(out.toString()).toBe("id: 1\rdata:  x\r\n\n");
    expect(parseAll(out.toString())[0].dataString()).toBe(" x");
  });
  it("adds data lines to an event without data", () => {
    const evs = parseAll(": ping\n\n");
    const out = new ByteBuilder();
    writeEvent(evs[0], b("d"), out);
    expect(out.toString()).toBe(": ping\ndata: d\n\n");
  });
  it("writes new events", () => {
    const out = new ByteBuilder();
    writeNewEvent(out, b("{}\n[]"), "error", "9");
    expect(out.toString()).toBe("event: error\nid: 9\ndata: {}\ndata: []\n\n");
    const evs = parseAll(out.toString());
    expect(evs[0].dataString()).toBe("{}\n[]");
  });
});

describe("LLM stream helpers", () => {
  it("finds and rewrites an OpenAI delta", () => {
    const evs = parseAll('data: {"id":"c","choices":[{"index":0,"delta":{"content":"call 555-1234 now"}}]}\r\n\r\ndata: [DONE]\r\n\r\n');
    const scan = scanEventText(evs[0]);
    expect(scan.ok).toBe(true);
    expect(scan.spans.length).toBe(1);
    expect(scan.spans[0].kind).toBe(TextKind.COMPLETION);
    expect(scanEventText(evs[1]).spans.length).toBe(0);
    const reps = new Array<Replacement>();
    reps.push(new Replacement(0, 5, 13, b("[PHONE]")));
    const out = new ByteBuilder();
    expect(rewriteEventText(evs[0], scan, reps, out)).toBe(0);
    expect(out.toString()).toBe('data: {"id":"c","choices":[{"index":0,"delta":{"content":"call [PHONE] now"}}]}\r\n\r\n');
  });
  it("finds Anthropic text deltas, not other events", () => {
    const evs = parseAll('event: message_start\ndata: {"type":"message_start","message":{"role":"assistant","content":[]}}\n\n' +
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi \\u00e9"}}\n\n' +
      "event: ping\ndata: {\"type\": \"ping\"}\n\n");
    expect(scanEventText(evs[0]).spans.length).toBe(0);
    const s = scanEventText(evs[1]);
    expect(s.spans.length).toBe(1);
    const out = new ByteBuilder();
    decodeSpan(evs[1].data, s.spans[0], out);
    expect(out.toString()).toBe("Hi \u00e9");
    expect(scanEventText(evs[2]).spans.length).toBe(0);
    const same = new ByteBuilder();
    expect(rewriteEventText(evs[1], s, new Array<Replacement>(), same)).toBe(0);
    expect(same.toString()).toBe(str(evs[1].raw));
  });
  it("reports invalid JSON in data without trapping", () => {
    const evs = parseAll('data: {"choices":[{"delta":{"content":"x\n\n');
    expect(scanEventText(evs[0]).ok).toBe(false);
  });
});
