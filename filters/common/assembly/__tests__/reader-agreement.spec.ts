// One reader, one view: for the same body in each dialect, pii-mask, prompt-guard, quota, the
// cache's key and the neutral chat form (llm-route) see the same texts with the same roles,
// because they all read it through llm/spans.ts (pii-mask, prompt-guard, quota, the key's prompt
// texts) or agree with it (the neutral readers, checked here text by text).
import { ByteBuilder } from "../bytes/builder";
import { decodeJsonString } from "../json/string";
import { LlmScan, LlmScanner, TextKind, isTextKind, isAnswerText, roleName, Role } from "../llm/spans";
import { FlatJson } from "../llm/flat";
import { ChatRequest, PartKind } from "../llm/chat";
import { readOpenAIChat, readOpenAIOther } from "../llm/openai";
import { readAnthropicMessages } from "../llm/anthropic";
import { SseParser, SseEvent } from "../sse/parser";
import { DeltaScanner, scanEventText } from "../sse/llm";
import { BodyWalker } from "../../../prompt-guard/assembly/body";
import { AnswerScratch } from "../../../prompt-guard/assembly/answer";
import { JsonBodies, Engine } from "../../../pii-mask/assembly/engine";
import { SseShared } from "../../../pii-mask/assembly/sse-stream";
import { parseConfig as parsePiiConfig } from "../../../pii-mask/assembly/config";
import { apiMember, arrayNumbers, isBase64, readBody } from "../../../quota/assembly/estimate";

function bytes(s: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(s)); }
function text(body: Uint8Array, s: i32, e: i32): string {
  const b = new ByteBuilder();
  decodeJsonString(body, s, e, b);
  return b.toString();
}

const piiJson = new JsonBodies(new Engine(parsePiiConfig(bytes("{}")).config!));
const guard = new BodyWalker();

/** What prompt-guard scores: "role:text" per string, in document order. */
function guardView(body: Uint8Array): string[] {
  const scan = guard.walk(body, 0, body.length);
  expect(scan.ok).toBe(true);
  const out = new Array<string>();
  for (let i = 0; i < scan.items.length; i++) {
    const it = scan.items[i];
    out.push(roleName(it.role) + ":" + text(body, it.start, it.end));
  }
  return out;
}

function spanKey(s: i32, e: i32, role: i32): string { return s.toString() + "-" + e.toString() + ":" + roleName(role); }

/** pii-mask reads every string guard scores, at the same bytes with the same role, and guard
 *  scores every model text pii-mask finds. */
function checkPiiAgainstGuard(body: Uint8Array): LlmScan {
  const pii = piiJson.scanner.scan(body, 0, body.length);
  expect(pii.ok).toBe(true);
  const g = guard.walk(body, 0, body.length);
  const piiKeys = new Set<string>();
  for (let i = 0; i < pii.spans.length; i++) {
    const sp = pii.spans[i];
    if (sp.kind != TextKind.KEY) piiKeys.add(spanKey(sp.start, sp.end, sp.role));
  }
  const guardKeys = new Set<string>();
  for (let i = 0; i < g.items.length; i++) {
    const it = g.items[i];
    const k = spanKey(it.start, it.end, it.role);
    guardKeys.add(k);
    if (!piiKeys.has(k)) { expect(k).toBe("read by pii-mask too"); }
  }
  for (let i = 0; i < pii.spans.length; i++) {
    const sp = pii.spans[i];
    if (!isTextKind(sp.kind)) continue;
    const k = spanKey(sp.start, sp.end, sp.role);
    if (!guardKeys.has(k)) { expect(k).toBe("scored by prompt-guard too"); }
  }
  return pii;
}

/** quota counts exactly the decoded bytes of the strings pii-mask reads, minus roles, types, URLs,
 *  base64 media data and the model name, plus the keys that are not API member names and 4 bytes
 *  per number in an array (token arrays); never less than the model text. */
function checkQuota(body: Uint8Array, pii: LlmScan): void {
  let all: i64 = 0, model: i64 = 0;
  for (let i = 0; i < pii.spans.length; i++) {
    const sp = pii.spans[i];
    const n = String.UTF8.byteLength(text(body, sp.start, sp.end));
    if (sp.kind == TextKind.KEY) {
      if (sp.hasEscape || !apiMember(body, sp.start, sp.end)) all += n;
      continue;
    }
    const k = sp.keyStart >= 0 ? text(body, sp.keyStart, sp.keyEnd) : "";
    if (isTextKind(sp.kind)) model += n;
    if (k == "data") {
      const v = Uint8Array.wrap(String.UTF8.encode(text(body, sp.start, sp.end)));
      if (isBase64(v, 0, v.length)) continue;
    } else if (k == "url" || k == "image_url" || k == "model" || k == "role" || k == "type") continue;
    all += n;
  }
  all += arrayNumbers(body) * 4;
  const f = readBody(body);
  expect(f.json).toBe(true);
  expect(f.textBytes).toBe(all);
  expect(f.textBytes >= model).toBe(true);
}

/** The span reader's model texts joined per role ("system" also takes developer texts). */
function spanRoles(body: Uint8Array, scan: LlmScan, role: string, withCalls: bool): string {
  let s = "";
  for (let i = 0; i < scan.spans.length; i++) {
    const sp = scan.spans[i];
    if (!isTextKind(sp.kind)) continue;
    if (!withCalls && (sp.kind == TextKind.TOOL_INPUT || sp.kind == TextKind.TOOL_ARGUMENTS)) continue;
    let r = roleName(sp.role);
    if (r == "developer") r = "system";
    if (r != role) continue;
    s += sep(role) + text(body, sp.start, sp.end);
  }
  return s;
}

/** System texts are compared joined: the neutral form joins a message's (or `system`'s) blocks. */
function sep(role: string): string { return role == "system" ? "" : "|"; }

/** The neutral chat form's texts joined per role: system, user and assistant text, tool-call
 *  arguments (assistant; without `withCalls` left out: Anthropic's are an object, which the span
 *  reader reports string by string), tool results (tool). */
function neutralRoles(req: ChatRequest, role: string, withCalls: bool): string {
  let s = "";
  if (role == "system") for (let i = 0; i < req.system.length; i++) s += req.system[i];
  for (let i = 0; i < req.messages.length; i++) {
    const m = req.messages[i];
    for (let j = 0; j < m.parts.length; j++) {
      const p = m.parts[j];
      if (p.kind == PartKind.TEXT && m.role == role) s += "|" + p.str();
      else if (p.kind == PartKind.TOOL_CALL && role == "assistant" && withCalls) s += "|" + p.arguments;
      else if (p.kind == PartKind.TOOL_RESULT && role == "tool") s += "|" + p.text;
    }
  }
  return s;
}

const ROLES: string[] = ["system", "user", "assistant", "tool"];

function checkNeutral(body: Uint8Array, scan: LlmScan, reader: i32, withCalls: bool): void {
  const d = new FlatJson();
  expect(d.parse(body, 0, body.length)).toBe(true);
  const req = new ChatRequest();
  if (reader == 0) expect(readOpenAIChat(d, 0, req, true)).toBeNull();
  else if (reader == 1) expect(readAnthropicMessages(d, 0, req, true)).toBeNull();
  else expect(readOpenAIOther(d, 0, req)).toBeNull();
  for (let i = 0; i < ROLES.length; i++) {
    const r = ROLES[i];
    expect(spanRoles(body, scan, r, withCalls)).toBe(neutralRoles(req, r, withCalls));
  }
}

function show(v: string[]): string { return v.join(" || "); }

class Sample {
  constructor(public name: string, public body: string, public reader: i32, public withCalls: bool, public guard: string) {}
}

const CHAT = 0, ANTHROPIC = 1, OTHER = 2;

const SAMPLES: Sample[] = [
  new Sample("OpenAI chat",
    '{"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"developer","content":[{"type":"text","text":"Answer in English."}]},' +
    '{"role":"user","content":[{"type":"text","text":"Weather in Paris?"},{"type":"image_url","image_url":{"url":"https://x.test/p.png","detail":"low"}}]},' +
    '{"role":"assistant","content":"Let me look.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},' +
    '{"role":"tool","tool_call_id":"call_1","content":"Sunny, 21 C"}],' +
    '"tools":[{"type":"function","function":{"name":"weather","description":"Current weather for a city","parameters":{"type":"object","properties":{"city":{"type":"string","description":"City name"}}}}}],' +
    '"user":"u-42","temperature":0.2}', CHAT, true,
    'system:Be brief. || developer:Answer in English. || user:Weather in Paris? || assistant:Let me look. || ' +
    'assistant:{"city":"Paris"} || tool:Sunny, 21 C || developer:Current weather for a city || developer:City name'),
  new Sample("OpenAI completions", '{"model":"gpt-3.5-turbo-instruct","prompt":["Say hi to Ann","and Bob"],"max_tokens":5,"suffix":"end."}', OTHER, true,
    "user:Say hi to Ann || user:and Bob || user:end."),
  new Sample("OpenAI embeddings", '{"model":"text-embedding-3-small","input":["first text","second text"],"encoding_format":"float"}', OTHER, true,
    "user:first text || user:second text"),
  new Sample("OpenAI Responses",
    '{"model":"gpt-4.1","instructions":"You are a travel agent.","input":[{"role":"user","content":[{"type":"input_text","text":"Book Rome"}]},' +
    '{"type":"function_call","call_id":"fc_1","name":"book","arguments":"{\\"city\\":\\"Rome\\"}"},' +
    '{"type":"function_call_output","call_id":"fc_1","output":"Booked: seat 12A"},' +
    '{"role":"assistant","content":[{"type":"output_text","text":"Done."}]}],' +
    '"tools":[{"type":"function","name":"book","description":"Books a trip","parameters":{"type":"object"}}],"max_output_tokens":200}', OTHER, true,
    'system:You are a travel agent. || user:Book Rome || assistant:{"city":"Rome"} || tool:Booked: seat 12A || assistant:Done. || developer:Books a trip'),
  new Sample("Anthropic messages",
    '{"model":"claude-sonnet-4-5","max_tokens":512,"system":[{"type":"text","text":"You are terse. "},{"type":"text","text":"Cite sources.","cache_control":{"type":"ephemeral"}}],' +
    '"messages":[{"role":"user","content":"Weather in Oslo?"},' +
    '{"role":"assistant","content":[{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Oslo","name":"Kari"}}]},' +
    '{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"Rain, 8 C"}]},{"type":"text","text":"And tomorrow?"}]}],' +
    '"tools":[{"name":"weather","description":"Weather by city","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],' +
    '"metadata":{"user_id":"u-7"}}', ANTHROPIC, false,
    "system:You are terse.  || system:Cite sources. || user:Weather in Oslo? || assistant:Checking. || assistant:Oslo || " +
    "assistant:Kari || tool:Rain, 8 C || user:And tomorrow? || developer:Weather by city || user:u-7"),
];

describe("one reader: requests in every dialect", () => {
  it("prompt-guard, pii-mask, quota and the neutral form (cache keys, llm-route) see the same texts and roles", () => {
    for (let i = 0; i < SAMPLES.length; i++) {
      const smp = SAMPLES[i];
      const body = bytes(smp.body);
      expect(smp.name + ": " + show(guardView(body))).toBe(smp.name + ": " + smp.guard);
      const pii = checkPiiAgainstGuard(body);
      checkQuota(body, pii);
      checkNeutral(body, pii, smp.reader, smp.withCalls);
    }
  });
});

// ---- answers ----------------------------------------------------------------------------------

/** "role:text" of the spans `pick` selects (empty texts left out). */
function answerView(data: Uint8Array, scan: LlmScan, pick: i32): string[] {
  const out = new Array<string>();
  for (let i = 0; i < scan.spans.length; i++) {
    const sp = scan.spans[i];
    const ok = pick == 0 ? isTextKind(sp.kind) : pick == 1 ? true : isAnswerText(sp.kind);
    if (!ok || sp.end == sp.start) continue;
    out.push(roleName(sp.role) + ":" + text(data, sp.start, sp.end));
  }
  return out;
}

/** Every event through each filter's reader of streamed answers: pii-mask and answer moderation
 *  carry their text kinds across events (both read every other string on its own), quota counts
 *  the answer text its DeltaScanner reports. */
function streamViews(sse: string): string[] {
  const p = new SseParser(1 << 20);
  const b = bytes(sse);
  p.feed(b, 0, b.length);
  p.finish();
  const evs = p.takeEvents();
  const pii = new SseShared().scanner;
  const guardScanner = new AnswerScratch().scanner;
  const quota = new DeltaScanner(new LlmScanner());
  const pool = new LlmScan();
  let a = new Array<string>(), g = new Array<string>(), q = new Array<string>();
  for (let i = 0; i < evs.length; i++) {
    const ev: SseEvent = evs[i];
    a = a.concat(answerView(ev.data, scanEventText(ev, pii), 0));
    g = g.concat(answerView(ev.data, scanEventText(ev, guardScanner), 0));
    q = q.concat(answerView(ev.data, quota.scanInto(ev, pool), 2));
  }
  return [show(a), show(g), show(q)];
}

function jsonViews(body: string): string[] {
  const b = bytes(body);
  const pii = piiJson.scanner.scan(b, 0, b.length);
  const guardScan = new AnswerScratch().scanner.scan(b, 0, b.length);
  const quota = new LlmScanner().scan(b, 0, b.length);
  return [show(answerView(b, pii, 0)), show(answerView(b, guardScan, 2)), show(answerView(b, quota, 2))];
}

function expectAll(views: string[], want: string): void {
  expect("pii-mask " + views[0]).toBe("pii-mask " + want);
  expect("prompt-guard " + views[1]).toBe("prompt-guard " + want);
  expect("quota " + views[2]).toBe("quota " + want);
}

const OPENAI_STREAM =
  'data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}\n\n' +
  'data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hel"}}]}\n\n' +
  'data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"lo"}}]}\n\n' +
  'data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]}}]}\n\n' +
  'data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"a\\":"}}]}}]}\n\n' +
  'data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}\n\n' +
  'data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4}}\n\n' +
  "data: [DONE]\n\n";

const ANTHROPIC_STREAM =
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5"}}\n\n' +
  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n' +
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi "}}\n\n' +
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"there"}}\n\n' +
  'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n' +
  'event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"f","input":{}}}\n\n' +
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"q\\":"}}\n\n' +
  'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":5}}\n\n' +
  'event: message_stop\ndata: {"type":"message_stop"}\n\n';

const RESPONSES_STREAM =
  'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Bon"}\n\n' +
  'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"jour"}\n\n' +
  'event: response.function_call_arguments.delta\ndata: {"type":"response.function_call_arguments.delta","item_id":"fc_1","output_index":1,"delta":"{\\"x\\""}\n\n';

const COMPLETIONS_STREAM =
  'data: {"id":"cmpl-1","object":"text_completion","choices":[{"text":"Once","index":0}]}\n\n' +
  'data: {"id":"cmpl-1","object":"text_completion","choices":[{"text":" upon","index":0,"finish_reason":"length"}]}\n\n' +
  "data: [DONE]\n\n";

describe("one reader: answers in every dialect", () => {
  it("streams: pii-mask, answer moderation and quota's output count read the same deltas as the assistant's", () => {
    expectAll(streamViews(OPENAI_STREAM), 'assistant:Hel || assistant:lo || assistant:{"a":');
    expectAll(streamViews(ANTHROPIC_STREAM), 'assistant:Hi  || assistant:there || assistant:{"q":');
    expectAll(streamViews(RESPONSES_STREAM), 'assistant:Bon || assistant:jour || assistant:{"x"');
    expectAll(streamViews(COMPLETIONS_STREAM), "assistant:Once || assistant: upon");
  });
  it("whole answers: OpenAI chat and Anthropic messages", () => {
    expectAll(jsonViews('{"id":"c2","object":"chat.completion","model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"It is sunny.",' +
      '"tool_calls":[{"id":"call_2","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"stop"}],"usage":{"prompt_tokens":3}}'),
      "assistant:It is sunny. || assistant:{}");
    expectAll(jsonViews('{"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Sure."},' +
      '{"type":"tool_use","id":"toolu_2","name":"f","input":{"q":"rome"}}],"stop_reason":"tool_use"}'),
      "assistant:Sure. || assistant:rome");
  });
});
