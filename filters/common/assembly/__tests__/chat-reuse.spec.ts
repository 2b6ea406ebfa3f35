// A ChatRequest read, reset and read again (llm-route reuses one per VM) must hold exactly what a
// fresh one holds for the second body: nothing of the first request may survive in a reused
// message or part (a tool call's id, an image, a role, the options).
import { FlatJson } from "../llm/flat";
import { ChatRequest, ResponseFormat } from "../llm/chat";
import { readOpenAIChat } from "../llm/openai";
import { readAnthropicMessages } from "../llm/anthropic";

function bytes(s: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(s)); }

/** Everything a writer reads from the request, as one string. */
function view(r: ChatRequest): string {
  let s = "model=" + r.model + " system=" + r.system.join("|") + " stream=" + (r.stream ? "1" : "0") + " usage=" + (r.includeUsage ? "1" : "0");
  s += " max=" + r.maxTokens.toString() + " t=" + r.temperature.toString() + " p=" + r.topP.toString() + " k=" + r.topK.toString() + " n=" + r.n.toString();
  s += " stop=" + r.stop.join("|") + " user=" + r.user + " fmt=" + r.responseFormat.toString() + " schema=" + r.schemaName + ":" + r.schema;
  s += " choice=" + r.toolChoice.toString() + ":" + r.toolChoiceName + " par=" + (r.parallelToolCalls ? "1" : "0");
  s += " untranslatable=" + (r.untranslatable === null ? "-" : r.untranslatable!.message);
  for (let i = 0; i < r.tools.length; i++) s += " tool=" + r.tools[i].name + ":" + r.tools[i].description + ":" + r.tools[i].parameters;
  for (let i = 0; i < r.messages.length; i++) {
    const m = r.messages[i];
    s += "\n" + m.role + ":";
    for (let j = 0; j < m.parts.length; j++) {
      const p = m.parts[j];
      s += " [" + p.kind.toString() + " text=" + p.str() + " url=" + p.url + " mt=" + p.mediaType + " data=" + p.data;
      s += " id=" + p.id + " name=" + p.name + " args=" + p.arguments + " err=" + (p.isError ? "1" : "0") + "]";
    }
  }
  return s;
}

function readOpenAI(body: string, req: ChatRequest): void {
  const d = new FlatJson();
  const b = bytes(body);
  expect(d.parse(b, 0, b.length, 64, true)).toBe(true);
  expect(readOpenAIChat(d, 0, req, false)).toBeNull();
}

const FIRST = '{"model":"m1","stream":true,"stream_options":{"include_usage":true},"max_tokens":9,"temperature":0.5,"top_p":0.3,"stop":["X"],"user":"u1","n":2,'
  + '"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":"object"}}},"tool_choice":{"type":"function","function":{"name":"f"}},"parallel_tool_calls":false,'
  + '"tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object"}}}],'
  + '"messages":[{"role":"system","content":"sys one"},{"role":"user","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},'
  + '{"role":"assistant","content":"calling","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\\"a\\":1}"}}]},'
  + '{"role":"tool","tool_call_id":"call_1","content":"result"},{"role":"user","content":"first \\"quoted\\" ü"},{"role":"assistant","content":"ok"},{"role":"user","content":"more"}]}';
const SECOND = '{"model":"m2","messages":[{"role":"user","content":"hello"},{"role":"assistant","content":"hi"},{"role":"user","content":"again"},{"role":"assistant","content":"and"},{"role":"user","content":"last"},{"role":"user","content":"extra"},{"role":"assistant","content":"over the first count"},{"role":"user","content":"end"}]}';

describe("a reused ChatRequest", () => {
  it("reads a second request exactly as a fresh one does", () => {
    const fresh = new ChatRequest();
    readOpenAI(SECOND, fresh);
    const reused = new ChatRequest();
    readOpenAI(FIRST, reused);
    expect(reused.responseFormat).toBe(ResponseFormat.JSON_SCHEMA);
    const firstView = view(reused);
    reused.reset();
    readOpenAI(SECOND, reused);
    expect(view(reused)).toBe(view(fresh));
    // And back: the first request read into the reused object, its parts now all reused ones.
    reused.reset();
    readOpenAI(FIRST, reused);
    expect(view(reused)).toBe(firstView);
  });

  it("is a fresh request after reset even for another dialect's reader", () => {
    const reused = new ChatRequest();
    readOpenAI(FIRST, reused);
    reused.reset();
    const body = bytes('{"model":"c","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}');
    const d = new FlatJson();
    expect(d.parse(body, 0, body.length, 64, true)).toBe(true);
    expect(readAnthropicMessages(d, 0, reused, false)).toBeNull();
    const fresh = new ChatRequest();
    expect(readAnthropicMessages(d, 0, fresh, false)).toBeNull();
    expect(view(reused)).toBe(view(fresh));
  });
});
