// A sample Gemini API provider on 127.0.0.1: POST /v1beta/models/{model}:generateContent and
// :streamGenerateContent?alt=sse, offline. Calls the first declared function when tools are given
// and no functionResponse came back yet; otherwise answers with text. Faults as sample-common.ts.
// With `apiKey`, requests need it in x-goog-api-key (403 otherwise, as Google answers).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { FaultSwitch, answerText, closer, cutAnswer, handleFaultControl, listen, readBody, sendJson, sleep, tokens, toolArguments, words, type SampleProvider } from "./sample-common.ts";

type GPart = { text?: string; functionResponse?: { response?: unknown } };

function error(res: ServerResponse, code: number, status: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, code, { error: { code, message, status } }, headers);
}

async function handle(req: IncomingMessage, res: ServerResponse, faults: FaultSwitch, apiKey: string | null, seen: SampleProvider["seen"]): Promise<void> {
  const url = new URL(req.url ?? "/", "http://sample");
  if (await handleFaultControl(req, res, url.pathname, faults)) return;
  const raw = await readBody(req, 8 << 20).catch(() => null);
  seen.push({ path: req.url ?? "/", headers: req.headers, body: raw ?? "" });
  const m = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(url.pathname);
  if (req.method !== "POST" || !m) return error(res, 404, "NOT_FOUND", `no route for ${req.method} ${url.pathname}`);
  if (apiKey !== null && req.headers["x-goog-api-key"] !== apiKey) return error(res, 403, "PERMISSION_DENIED", "API key not valid");
  const f = faults.take();
  if (f?.mode === "429") return error(res, 429, "RESOURCE_EXHAUSTED", "sample: resource exhausted", { "retry-after": String(f.retryAfterS) });
  if (f?.mode === "500") return error(res, 500, "INTERNAL", "sample: internal error");
  if (f?.mode === "slow") await sleep(f.delayMs);
  if (f?.mode === "reset") return cutAnswer(res, "text/event-stream", "data: {\"candidates\": [");
  let body: { contents?: Array<{ role?: string; parts?: GPart[] }>; tools?: Array<{ functionDeclarations?: Array<{ name: string; parametersJsonSchema?: unknown; parameters?: unknown }> }> };
  try { body = JSON.parse(raw ?? ""); } catch { return error(res, 400, "INVALID_ARGUMENT", "Invalid JSON payload received."); }
  if (!Array.isArray(body.contents)) return error(res, 400, "INVALID_ARGUMENT", "contents is required");
  const model = decodeURIComponent(m[1]);
  const last = body.contents[body.contents.length - 1];
  const parts = last?.parts ?? [];
  const fr = parts.find((p) => p.functionResponse);
  const said = parts.map((p) => p.text ?? "").join("");
  const toolResult = fr ? JSON.stringify(fr.functionResponse!.response ?? {}) : null;
  const decl = toolResult === null ? body.tools?.[0]?.functionDeclarations?.[0] : undefined;
  const text = decl ? "" : answerText("gemini", model, said, toolResult);
  const usage = { promptTokenCount: tokens(JSON.stringify(body.contents)), candidatesTokenCount: tokens(text) + (decl ? 8 : 0) };
  const usageMetadata = { ...usage, totalTokenCount: usage.promptTokenCount + usage.candidatesTokenCount };
  const call = decl ? { functionCall: { name: decl.name, args: toolArguments(decl.parametersJsonSchema ?? decl.parameters, said) } } : null;
  const modelVersion = `${model}-sample`;
  if (m[2] === "generateContent") {
    return sendJson(res, 200, { candidates: [{ content: { role: "model", parts: call ? [call] : [{ text }] }, finishReason: "STOP", index: 0 }], usageMetadata, modelVersion, responseId: "sample" });
  }
  if (url.searchParams.get("alt") !== "sse") return error(res, 400, "INVALID_ARGUMENT", "this sample streams with alt=sse only");
  res.writeHead(200, { "content-type": "text/event-stream" });
  const send = (v: unknown) => res.write(`data: ${JSON.stringify(v)}\r\n\r\n`);
  if (call) send({ candidates: [{ content: { role: "model", parts: [call] }, finishReason: "STOP", index: 0 }], usageMetadata, modelVersion });
  else {
    const ws = words(text);
    ws.forEach((w, i) => send({ candidates: [{ content: { role: "model", parts: [{ text: w }] }, index: 0, ...(i === ws.length - 1 ? { finishReason: "STOP" } : {}) }], ...(i === ws.length - 1 ? { usageMetadata } : {}), modelVersion }));
  }
  res.end();
}

export async function startSampleGemini(port = 0, options: { apiKey?: string } = {}): Promise<SampleProvider> {
  const faults = new FaultSwitch();
  const seen: SampleProvider["seen"] = [];
  const server = createServer((req, res) => {
    handle(req, res, faults, options.apiKey ?? null, seen).catch(() => { if (!res.headersSent) error(res, 500, "INTERNAL", "sample error"); else res.destroy(); });
  });
  const url = await listen(server, port);
  return { url, server, seen, setFault: (f) => faults.set(f), close: closer(server) };
}
