// Shared parts of the sample providers (sample-anthropic.ts, sample-gemini.ts, sample-bedrock.ts):
// the fault switch (answer 429 / 500 / slowly, for failover demos), body reading, deterministic
// answers and tool calls. Each sample speaks its provider's real wire format on 127.0.0.1.
import type { IncomingMessage, Server, ServerResponse } from "node:http";

/** What a sample does instead of answering: `429` and `500` fail (with retry-after on 429),
 *  `slow` waits `delayMs` before answering, `reset` starts a 200 answer and cuts the connection
 *  after its first bytes (what Envoy reports as upstream_reset_after_response_started).
 *  `count` requests are affected (-1 = until reset). */
export interface Fault { mode: "none" | "429" | "500" | "slow" | "reset"; count: number; delayMs: number; retryAfterS: number }

/** The `reset` fault: 200 headers and `first` (part of an answer), then the TCP connection is
 *  destroyed without ending the body. */
export function cutAnswer(res: ServerResponse, contentType: string, first: string | Uint8Array): void {
  res.writeHead(200, { "content-type": contentType });
  res.write(first, () => setTimeout(() => res.socket?.destroy(), 20));
}

export interface SampleProvider {
  url: string;
  server: Server;
  /** Requests the sample received (path and headers), for tests and demos. */
  seen: Array<{ path: string; headers: IncomingMessage["headers"]; body: string }>;
  setFault(f: Partial<Fault>): void;
  close(): Promise<void>;
}

export class FaultSwitch {
  fault: Fault = { mode: "none", count: 0, delayMs: 3000, retryAfterS: 10 };
  set(f: Partial<Fault>): void { this.fault = { ...this.fault, count: -1, ...f }; }
  /** The fault for this request (consuming one of `count`), or null. */
  take(): Fault | null {
    const f = this.fault;
    if (f.mode === "none" || f.count === 0) return null;
    if (f.count > 0) f.count--;
    return { ...f };
  }
}

/** `POST /_sample/fault {"mode":"429","count":3}`: switches faults over HTTP (see npm start's notes). */
export async function handleFaultControl(req: IncomingMessage, res: ServerResponse, path: string, faults: FaultSwitch): Promise<boolean> {
  if (path !== "/_sample/fault") return false;
  const raw = await readBody(req, 4096).catch(() => "");
  let f: Partial<Fault> = {};
  try { f = raw ? JSON.parse(raw) : {}; } catch { /* below */ }
  if (!["none", "429", "500", "slow", "reset"].includes(String(f.mode))) {
    sendJson(res, 400, { error: "mode must be none, 429, 500, slow or reset" });
    return true;
  }
  faults.set({ mode: f.mode, count: typeof f.count === "number" ? f.count : -1, ...(typeof f.delayMs === "number" ? { delayMs: f.delayMs } : {}) });
  sendJson(res, 200, { fault: faults.fault });
  return true;
}

export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) { reject(new Error("too large")); req.destroy(); return; }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Rough token count (about 4 characters per token). */
export function tokens(text: string): number { return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4)); }

/** Words with their following space, so the pieces join back exactly. */
export function words(text: string): string[] { return text.match(/\S+\s*|\s+/g) ?? []; }

/** A deterministic answer quoting what the user said (so translations are visible end to end). */
export function answerText(provider: string, model: string, said: string, toolResult: string | null): string {
  if (toolResult !== null) return `Sample answer from ${provider} ${model}. The tool said: ${toolResult}`;
  return said ? `Sample answer from ${provider} ${model}. You said: ${said}` : `Sample answer from ${provider} ${model}.`;
}

/** Arguments for a call of a tool with this JSON Schema: every string property gets `said`. */
export function toolArguments(schema: unknown, said: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = (schema as { properties?: Record<string, { type?: string }> } | null)?.properties ?? {};
  for (const [k, v] of Object.entries(props)) {
    if (v?.type === "string") out[k] = said || "sample";
    else if (v?.type === "number" || v?.type === "integer") out[k] = 1;
    else if (v?.type === "boolean") out[k] = true;
  }
  return out;
}

export function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const a = server.address() as { port: number };
      resolve(`http://127.0.0.1:${a.port}`);
    });
  });
}

export function closer(server: Server): () => Promise<void> {
  return () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
}
