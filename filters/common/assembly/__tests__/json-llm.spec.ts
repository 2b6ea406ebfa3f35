import { ByteBuilder } from "../bytes/builder";
import { JsonError } from "../json/tokenizer";
import { validateJson } from "../json/value";
import { scanLlmBody, readModelAndStream, TextKind, Role, LlmScan, LlmScanner, roleName } from "../llm/spans";
import { Tok } from "../json/tokenizer";
import { rewriteSpans, Replacement, RewriteError, decodeSpan, replaceSpanText } from "../json/rewrite";

function b(s: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(s)); }
function str(x: Uint8Array): string { return String.UTF8.decode(x.buffer); }

// "kind:role:decoded" per span, joined with " | "
function show(body: Uint8Array, r: LlmScan): string {
  const parts = new Array<string>();
  for (let i = 0; i < r.spans.length; i++) {
    const out = new ByteBuilder();
    decodeSpan(body, r.spans[i], out);
    parts.push(r.spans[i].kind.toString() + ":" + r.spans[i].role.toString() + ":" + out.toString());
  }
  return parts.join(" | ");
}
function scan(s: string): string {
  const body = b(s);
  const r = scanLlmBody(body);
  expect(r.error).toBe(JsonError.NONE);
  return show(body, r);
}
function rewrite(s: string, reps: Array<Replacement>): string {
  const body = b(s);
  const r = scanLlmBody(body);
  const out = new ByteBuilder();
  expect(rewriteSpans(body, r.spans, reps, out)).toBe(RewriteError.NONE);
  const o = out.toBytes();
  expect(validateJson(o, 0, o.length).ok).toBe(true);
  return str(o);
}
function rep(span: i32, s: i32, e: i32, text: string): Replacement { return new Replacement(span, s, e, b(text)); }

const M = TextKind.MESSAGE.toString();
const C = TextKind.COMPLETION.toString();

describe("LLM body scanner: requests", () => {
  it("OpenAI chat: string content, text parts, tool call arguments; skips names and images", () => {
    const body = '{"model":"gpt-4o","messages":[' +
      '{"role":"system","content":"be nice"},' +
      '{"role":"user","name":"content","content":[{"type":"text","text":"hi \\u0040 you"},{"type":"image_url","image_url":{"url":"data:x"}},{"text":"after","type":"text"}]},' +
      '{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\\"q\\":1}"}}]},' +
      '{"content":"res","role":"tool","tool_call_id":"c1"}],"stream":true,"temperature":0.2}';
    expect(scan(body)).toBe(M + ":1:be nice | " + M + ":3:hi @ you | " + M + ":3:after | 6:4:{\"q\":1} | " + M + ":5:res");
    const r = scanLlmBody(b(body));
    expect(r.model(b(body))).toBe("gpt-4o");
    expect(r.stream).toBe(1);
  });
  it("completions prompt and embeddings input, string or array", () => {
    expect(scan('{"prompt":"a"}')).toBe("2:3:a");
    expect(scan('{"prompt":["a","b",[1,2]]}')).toBe("2:3:a | 2:3:b");
    expect(scan('{"input":"x","model":"text-embedding-3-small"}')).toBe("3:3:x");
    expect(scan('{"input":["x","y"]}')).toBe("3:3:x | 3:3:y");
    expect(scan('{"input":[[1,2,3]]}')).toBe("");
  });
  it("Responses-style input items are read like messages", () => {
    expect(scan('{"input":[{"role":"user","content":[{"type":"input_text","text":"q"}]}]}')).toBe(M + ":3:q");
  });
  it("Anthropic: system string/blocks, text, tool_use input strings, tool_result content", () => {
    expect(scan('{"system":"sys","messages":[{"role":"user","content":"u"}]}')).toBe("4:1:sys | " + M + ":3:u");
    expect(scan('{"system":[{"type":"text","text":"s1","cache_control":{"type":"ephemeral"}}]}')).toBe("4:1:s1");
    const body = '{"messages":[{"role":"assistant","content":[{"type":"text","text":"t"},' +
      '{"type":"tool_use","id":"tu1","name":"get","input":{"city":"Paris","n":3,"tags":["a",{"k":"v"}]}}]},' +
      '{"role":"user","content":[{"type":"tool_result","tool_use_id":"tu1","content":"sunny"},' +
      '{"type":"tool_result","tool_use_id":"tu2","content":[{"type":"text","text":"rainy"}]},' +
      '{"type":"image","source":{"type":"base64","data":"AAAA"}}]}]}';
    expect(scan(body)).toBe(M + ":4:t | 7:4:Paris | 7:4:a | 7:4:v | 8:5:sunny | 8:5:rainy");
  });
  it("block type may follow the text; unknown block types are skipped", () => {
    expect(scan('{"messages":[{"role":"user","content":[{"text":"late","type":"text"},{"text":"no","type":"document"}]}]}')).toBe(M + ":3:late");
  });
  it("ignores look-alike keys at the wrong place", () => {
    expect(scan('{"metadata":{"messages":[{"content":"x"}],"prompt":"p"},"tools":[{"function":{"arguments":"a"}}]}')).toBe("");
    expect(scan('{"messages":[{"role":"user","content":"x","extra":{"content":"y"}}]}')).toBe(M + ":3:x");
    expect(scan('[{"messages":[{"content":"x"}]}]')).toBe("");
    expect(scan('"prompt"')).toBe("");
  });
  it("matches escaped keys", () => {
    expect(scan('{"m\\u0065ssages":[{"role":"user","content":"x"}]}')).toBe(M + ":3:x");
  });
  it("returns the error and no spans on invalid JSON", () => {
    const r = scanLlmBody(b('{"messages":[{"content":"x"}],"model":"m"'));
    expect(r.error).toBe(JsonError.UNEXPECTED_END);
    expect(r.spans.length).toBe(0);
    expect(r.modelStart).toBe(-1);
    const deep = new ByteBuilder();
    for (let i = 0; i < 10000; i++) deep.appendString('{"messages":[');
    const d = deep.toBytes();
    expect(scanLlmBody(d).error).toBe(JsonError.TOO_DEEP);
  });
});

describe("LLM body scanner: responses and stream chunks", () => {
  it("OpenAI chat and completions responses", () => {
    expect(scan('{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"hello","refusal":null}}]}')).toBe(C + ":4:hello");
    expect(scan('{"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[{"function":{"name":"n","arguments":"{}"}}]}}]}')).toBe("6:4:{}");
    expect(scan('{"choices":[{"text":"c1"},{"text":"c2"}]}')).toBe(C + ":4:c1 | " + C + ":4:c2");
  });
  it("Anthropic response: content text blocks get the root role", () => {
    expect(scan('{"id":"msg","type":"message","role":"assistant","content":[{"type":"text","text":"hi"},{"type":"tool_use","name":"x","input":{"q":"s"}}],"model":"claude"}')).toBe(C + ":4:hi | 7:4:s");
  });
  it("stream chunks: OpenAI deltas and Anthropic deltas", () => {
    expect(scan('{"choices":[{"index":0,"delta":{"content":"tok"}}]}')).toBe(C + ":4:tok");
    expect(scan('{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"a"}}]}}]}')).toBe("6:4:{\"a");
    expect(scan('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}')).toBe(C + ":4:Hel");
    expect(scan('{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"x\\""}}')).toBe("6:4:{\"x\"");
    expect(scan('{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}')).toBe(C + ":4:");
    expect(scan('{"type":"message_delta","delta":{"stop_reason":"end_turn"}}')).toBe("");
  });
});

// "role:decoded" of every non-key string (allStrings), joined with " | ".
function roles(s: string): string {
  const body = b(s);
  const r = new LlmScanner(64, true).scan(body);
  expect(r.ok).toBe(true);
  const parts = new Array<string>();
  for (let i = 0; i < r.spans.length; i++) {
    const sp = r.spans[i];
    if (sp.kind == TextKind.KEY) continue;
    const out = new ByteBuilder();
    decodeSpan(body, sp, out);
    parts.push(roleName(sp.role) + ":" + out.toString());
  }
  return parts.join(" | ");
}

describe("LLM body scanner: roles and request facts", () => {
  it("system and developer only from request messages and top-level system/instructions", () => {
    expect(roles('{"messages":[{"content":"a","role":"developer"}],"instructions":"i","system":"s"}')).toBe("developer:a | system:i | system:s");
    // A `role` at the root, in tool input or metadata cannot make text trusted.
    expect(roles('{"role":"system","prompt":"p"}')).toBe("user:p");
    expect(roles('{"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n","input":{"role":"system","x":"y"}}]}]}'))
      .toBe("assistant:t | assistant:n | user:system | user:y");
    expect(roles('{"metadata":{"role":"developer","note":"z"}}')).toBe("user:z");
    expect(roles('{"messages":[{"role":"\\u0073ystem","content":"esc"}]}')).toBe("system:esc");
  });
  it("tool results are the tool's, tool calls and definitions the assistant's and developer's", () => {
    expect(roles('{"input":[{"type":"function_call_output","call_id":"c","output":"o"},{"type":"function_call","arguments":"{}","name":"f"}]}'))
      .toBe("tool:c | tool:o | assistant:{} | assistant:f");
    expect(roles('{"messages":[{"role":"function","name":"f","content":"r"},{"role":"ipython","content":"py"},{"role":"wizard","content":"w"}]}'))
      .toBe("tool:f | tool:r | tool:ipython | tool:py | user:wizard | user:w");
    expect(roles('{"functions":[{"name":"f","description":"d"}],"tools":[{"type":"function","function":{"name":"g"}}],"x":"u"}'))
      .toBe("developer:f | developer:d | developer:g | user:u");
  });
  it("counts request messages, finds system role values, lists root members, gives each value its key", () => {
    const body = b('{"model":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":"u"},{"role":"developer","content":"d"}],"n":2,"system":["x"]}');
    const sc = new LlmScanner(64, true);
    sc.recordRoot = true;
    const r = sc.scan(body);
    expect(r.messages).toBe(3);
    const f = r.facts!;
    expect(f.systemRoles.length).toBe(4);
    expect(str(body.slice(f.systemRoles[0], f.systemRoles[1]))).toBe("system");
    expect(str(body.slice(f.systemRoles[2], f.systemRoles[3]))).toBe("developer");
    expect(f.members.length).toBe(4);
    const msgs = f.members[1];
    expect(str(body.slice(msgs.keyStart, msgs.keyEnd))).toBe("messages");
    expect(msgs.tok).toBe(Tok.ARR_START);
    expect(body[msgs.start]).toBe(0x5b);
    expect(body[msgs.end - 1]).toBe(0x5d);
    expect(f.members[2].tok).toBe(Tok.NUMBER);
    expect(str(body.slice(f.members[3].start, f.members[3].end))).toBe('["x"]');
    // Values know their key; array elements the array's.
    let keyed = 0;
    for (let i = 0; i < r.spans.length; i++) {
      const sp = r.spans[i];
      if (sp.kind == TextKind.KEY) { expect(sp.keyStart).toBe(-1); continue; }
      const v = str(body.slice(sp.start, sp.end));
      const k = str(body.slice(sp.keyStart, sp.keyEnd));
      if (v == "x") { expect(k).toBe("system"); keyed++; }
      if (v == "u") { expect(k).toBe("content"); keyed++; }
      if (v == "m") { expect(k).toBe("model"); keyed++; }
    }
    expect(keyed).toBe(3);
    expect(scanLlmBody(b('{"messages":[{"role":"system","content":"s"}]}')).facts).toBeNull();
    // Without keys, values keep their key spans and the facts are the same.
    sc.keys = false;
    const v = sc.scan(body);
    for (let i = 0; i < v.spans.length; i++) expect(v.spans[i].kind).not.toBe(TextKind.KEY);
    expect(v.facts!.members.length).toBe(4);
    expect(v.spans.length).toBe(r.spans.length - 10);
  });
});

describe("readModelAndStream", () => {
  it("reads top-level model and stream only", () => {
    const body = b('{"messages":[{"model":"inner","stream":false}],"model":"gpt-4o-mini","stream":true}');
    const r = readModelAndStream(body);
    expect(r.ok).toBe(true);
    expect(r.model(body)).toBe("gpt-4o-mini");
    expect(r.stream).toBe(1);
  });
  it("last duplicate wins, non-string model is absent, escapes decode", () => {
    const body = b('{"model":"a","model":"b\\u002dc","stream":false}');
    const r = readModelAndStream(body);
    expect(r.model(body)).toBe("b-c");
    expect(r.stream).toBe(0);
    const r2 = readModelAndStream(b('{"model":{"x":1},"stream":"yes"}'));
    expect(r2.modelStart).toBe(-1);
    expect(r2.stream).toBe(-1);
    const r3 = readModelAndStream(b('{"stream":true,"x":[1,2'));
    expect(r3.ok).toBe(false);
    expect(r3.stream).toBe(-1);
  });
});

describe("rewriting spans", () => {
  const chat = '{"messages":[{"role":"user","content":"mail me at bob@example.com or \\u0062ob@ex.org"}],"x":"bob@example.com"}';
  it("no replacements returns the identical body", () => {
    expect(rewrite(chat, new Array<Replacement>())).toBe(chat);
  });
  it("replaces decoded ranges, keeping untouched escapes and other fields", () => {
    // decoded: "mail me at bob@example.com or bob@ex.org"
    const reps = new Array<Replacement>();
    reps.push(rep(0, 30, 40, "[EMAIL]"));
    reps.push(rep(0, 11, 26, "[EMAIL]"));
    expect(rewrite(chat, reps)).toBe('{"messages":[{"role":"user","content":"mail me at [EMAIL] or [EMAIL]"}],"x":"bob@example.com"}');
  });
  it("keeps escapes outside the replaced range", () => {
    const body = '{"prompt":"a\\nb\\u00e9 secret \\ud83d\\ude00"}';
    const reps = new Array<Replacement>();
    reps.push(rep(0, 6, 12, "***"));
    expect(rewrite(body, reps)).toBe('{"prompt":"a\\nb\\u00e9 *** \\ud83d\\ude00"}');
  });
  it("escapes replacement text and replaces malformed UTF-8", () => {
    const reps = new Array<Replacement>();
    reps.push(rep(0, 0, 1, 'q"\\\n'));
    expect(rewrite('{"prompt":"x"}', reps)).toBe('{"prompt":"q\\"\\\\\\n"}');
    const bad = new Uint8Array(2);
    bad[0] = 0xc3; bad[1] = 0x28;
    const reps2 = new Array<Replacement>();
    reps2.push(new Replacement(0, 0, 0, bad));
    expect(rewrite('{"prompt":"x"}', reps2)).toBe('{"prompt":"\\ufffd(x"}');
  });
  it("boundaries inside an escape or a UTF-8 character still give valid JSON", () => {
    // decoded "\u00e9" is 2 bytes; replace only its 2nd byte.
    const reps = new Array<Replacement>();
    reps.push(rep(0, 1, 2, "X"));
    expect(rewrite('{"prompt":"\\u00e9"}', reps)).toBe('{"prompt":"\\ufffdX"}');
    const reps2 = new Array<Replacement>();
    reps2.push(rep(0, 1, 1, "X"));
    expect(rewrite('{"prompt":"\u00e9z"}', reps2)).toBe('{"prompt":"\\ufffdX\\ufffdz"}');
  });
  it("rewrites several spans and inserts", () => {
    const reps = new Array<Replacement>();
    reps.push(rep(1, 1, 1, "+"));
    reps.push(rep(0, 0, 0, ">"));
    expect(rewrite('{"input":["ab","cd"]}', reps)).toBe('{"input":[">ab","c+d"]}');
  });
  it("rejects bad replacements without writing", () => {
    const body = b('{"input":["ab","cd"]}');
    const r = scanLlmBody(body);
    const out = new ByteBuilder();
    out.appendString("keep");
    const a = new Array<Replacement>();
    a.push(rep(2, 0, 0, "x"));
    expect(rewriteSpans(body, r.spans, a, out)).toBe(RewriteError.BAD_SPAN);
    const c = new Array<Replacement>();
    c.push(rep(0, 0, 3, "x"));
    expect(rewriteSpans(body, r.spans, c, out)).toBe(RewriteError.BAD_RANGE);
    const d = new Array<Replacement>();
    d.push(rep(0, 0, 2, "x"));
    d.push(rep(0, 1, 2, "y"));
    expect(rewriteSpans(body, r.spans, d, out)).toBe(RewriteError.OVERLAP);
    const e = new Array<Replacement>();
    e.push(rep(0, 2, 1, "x"));
    expect(rewriteSpans(body, r.spans, e, out)).toBe(RewriteError.BAD_RANGE);
    expect(out.toString()).toBe("keep");
  });
  it("replaceSpanText swaps a whole string", () => {
    const body = b('{"choices":[{"message":{"content":"old\\ttext"}}]}');
    const r = scanLlmBody(body);
    const out = new ByteBuilder();
    expect(replaceSpanText(body, r.spans, 0, b("new\u00e9"), out)).toBe(RewriteError.NONE);
    expect(out.toString()).toBe('{"choices":[{"message":{"content":"new\u00e9"}}]}');
  });
});
