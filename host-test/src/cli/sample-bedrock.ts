// A sample Amazon Bedrock runtime on 127.0.0.1: POST /model/{id}/converse (JSON) and
// /model/{id}/converse-stream (binary AWS event stream, CRC32-framed), offline. With credentials
// it checks each request's SigV4 signature (computed here independently with node:crypto) and
// answers 403 on a mismatch, as AWS does. Tool use and faults as the other samples.
import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { FaultSwitch, answerText, closer, cutAnswer, handleFaultControl, listen, readBody, sendJson, sleep, tokens, toolArguments, words, type SampleProvider } from "./sample-common.ts";

/** CRC-32 (ISO-HDLC, the zlib one) as the event-stream framing uses. */
export function crc32(b: Uint8Array): number {
  let c = ~0;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/** One event-stream message: string headers, payload. */
export function eventMessage(headers: Record<string, string>, payload: Uint8Array | string): Buffer {
  const hs: Buffer[] = [];
  for (const [k, v] of Object.entries(headers)) {
    const name = Buffer.from(k), value = Buffer.from(v);
    const h = Buffer.alloc(1 + name.length + 1 + 2 + value.length);
    h[0] = name.length; name.copy(h, 1); h[1 + name.length] = 7; h.writeUInt16BE(value.length, 2 + name.length); value.copy(h, 4 + name.length);
    hs.push(h);
  }
  const hbuf = Buffer.concat(hs);
  const p = typeof payload === "string" ? Buffer.from(payload) : Buffer.from(payload);
  const total = 12 + hbuf.length + p.length + 4;
  const out = Buffer.alloc(total);
  out.writeUInt32BE(total, 0); out.writeUInt32BE(hbuf.length, 4); out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  hbuf.copy(out, 12); p.copy(out, 12 + hbuf.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

export function converseEvent(type: string, value: unknown): Buffer {
  return eventMessage({ ":event-type": type, ":content-type": "application/json", ":message-type": "event" }, JSON.stringify(value));
}

export interface AwsCredentials { accessKeyId: string; secretAccessKey: string; region: string }

const hmac = (k: Buffer | string, s: string) => createHmac("sha256", k).update(s).digest();
const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

/** Recomputes a request's SigV4 Authorization (non-S3 rules: the path's segments encoded twice). */
export function expectedAuthorization(method: string, rawPath: string, headers: IncomingMessage["headers"], body: string, creds: AwsCredentials): string | null {
  const auth = String(headers.authorization ?? "");
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(auth);
  if (!m) return null;
  const [, , day, region, service, signed] = m;
  const [path, query = ""] = rawPath.split("?");
  const canonUri = path.split("/").map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())).join("/");
  const canonQuery = query ? query.split("&").sort().join("&") : "";
  const names = signed.split(";");
  const canonHeaders = names.map((n) => `${n}:${String(headers[n] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
  const creq = [method, canonUri, canonQuery, canonHeaders, signed, sha(body)].join("\n");
  const date = String(headers["x-amz-date"] ?? "");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const sts = ["AWS4-HMAC-SHA256", date, scope, sha(creq)].join("\n");
  const key = hmac(hmac(hmac(hmac("AWS4" + creds.secretAccessKey, day), region), service), "aws4_request");
  return `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${createHmac("sha256", key).update(sts).digest("hex")}`;
}

type Block = { text?: string; toolResult?: { content?: Array<{ text?: string; json?: unknown }> } };

function error(res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { message }, { "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, ...headers });
}

async function handle(req: IncomingMessage, res: ServerResponse, faults: FaultSwitch, creds: AwsCredentials | null, seen: SampleProvider["seen"]): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  if (await handleFaultControl(req, res, path, faults)) return;
  const raw = await readBody(req, 8 << 20).catch(() => null) ?? "";
  seen.push({ path: req.url ?? path, headers: req.headers, body: raw });
  const m = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec(path);
  if (req.method !== "POST" || !m) return error(res, 404, "UnknownOperationException", `no route for ${req.method} ${path}`);
  if (creds) {
    const want = expectedAuthorization("POST", req.url ?? path, req.headers, raw, creds);
    if (!want || want !== req.headers.authorization) return error(res, 403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
  }
  const f = faults.take();
  if (f?.mode === "429") return error(res, 429, "ThrottlingException", "sample: too many requests", { "retry-after": String(f.retryAfterS) });
  if (f?.mode === "500") return error(res, 500, "InternalServerException", "sample: internal error");
  if (f?.mode === "slow") await sleep(f.delayMs);
  if (f?.mode === "reset") return cutAnswer(res, "application/json", "{\"output\": {");
  let body: { messages?: Array<{ role?: string; content?: Block[] }>; toolConfig?: { tools?: Array<{ toolSpec?: { name: string; inputSchema?: { json?: unknown } } }> } };
  try { body = JSON.parse(raw); } catch { return error(res, 400, "ValidationException", "Malformed input request"); }
  if (!Array.isArray(body.messages)) return error(res, 400, "ValidationException", "messages is required");
  const model = decodeURIComponent(m[1]);
  const last = body.messages[body.messages.length - 1]?.content ?? [];
  const said = last.map((b) => b.text ?? "").join("");
  const tr = last.find((b) => b.toolResult);
  const toolResult = tr ? (tr.toolResult!.content ?? []).map((c) => c.text ?? JSON.stringify(c.json)).join("") : null;
  const spec = toolResult === null ? body.toolConfig?.tools?.[0]?.toolSpec : undefined;
  const text = spec ? "" : answerText("bedrock", model, said, toolResult);
  const usage = { inputTokens: tokens(JSON.stringify(body.messages)), outputTokens: tokens(text) + (spec ? 9 : 0) };
  const args = spec ? toolArguments(spec.inputSchema?.json, said) : {};
  const toolUseId = "tooluse_sample1";
  if (m[2] === "converse") {
    const content = spec ? [{ toolUse: { toolUseId, name: spec.name, input: args } }] : [{ text }];
    return sendJson(res, 200, { output: { message: { role: "assistant", content } }, stopReason: spec ? "tool_use" : "end_turn", usage: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens }, metrics: { latencyMs: 5 } });
  }
  res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
  res.write(converseEvent("messageStart", { role: "assistant", p: "abc" }));
  if (spec) {
    res.write(converseEvent("contentBlockStart", { contentBlockIndex: 0, start: { toolUse: { toolUseId, name: spec.name } } }));
    const json = JSON.stringify(args);
    res.write(converseEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { toolUse: { input: json.slice(0, 5) } } }));
    res.write(converseEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { toolUse: { input: json.slice(5) } } }));
  } else {
    for (const w of words(text)) res.write(converseEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: w }, p: "ab" }));
  }
  res.write(converseEvent("contentBlockStop", { contentBlockIndex: 0 }));
  res.write(converseEvent("messageStop", { stopReason: spec ? "tool_use" : "end_turn" }));
  res.end(converseEvent("metadata", { usage: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens }, metrics: { latencyMs: 5 } }));
}

export async function startSampleBedrock(port = 0, options: { credentials?: AwsCredentials } = {}): Promise<SampleProvider> {
  const faults = new FaultSwitch();
  const seen: SampleProvider["seen"] = [];
  const server = createServer((req, res) => {
    handle(req, res, faults, options.credentials ?? null, seen).catch(() => { if (!res.headersSent) error(res, 500, "InternalServerException", "sample error"); else res.destroy(); });
  });
  const url = await listen(server, port);
  return { url, server, seen, setFault: (f) => faults.set(f), close: closer(server) };
}
