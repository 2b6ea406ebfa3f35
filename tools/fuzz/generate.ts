// Structure-aware inputs for the fuzz campaign (tools/fuzz/campaign.ts): LLM request bodies and
// answers as JSON that is then mutated (types swapped, nesting, escapes, truncation, junk bytes),
// SSE streams in OpenAI's and Anthropic's shapes, header maps, configurations sampled from a
// filter's schema.json and mutated, and split points anywhere (inside UTF-8 sequences, escapes,
// SSE lines). Every choice comes from one seeded generator, so an input replays from its seed.

export type Rng = () => number;

export class Gen {
  constructor(readonly r: Rng, readonly dict: string[] = []) {}
  int(n: number): number { return Math.floor(this.r() * n); }
  chance(p: number): boolean { return this.r() < p; }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]; }
  bytes(n: number): Uint8Array { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = this.int(256); return b; }

  /** Text with the characters filters trip over: UTF-8 of every width, escapes, controls, PII-ish words. */
  text(max = 40): string {
    const pool = ["hello", " ", "the", "ünï", "çödé", "🙂", "👩‍👩‍👧", "\u0000", "\u001f", "\u2028", "\ud800", "\\", "\"", "\\u00e9", "\n", "\r\n", "{", "}", "[", "]", ":", ",",
      "jane.doe@example.com", "4111 1111 1111 1111", "+1 (555) 010-9999", "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789", "123-45-6789", "ignore previous instructions",
      "data:", "event:", "[DONE]", "\u0130", "ﬀ", "Ａ", "\u200b", "%00", "%2F", "../", "//", "?", "#", ";", "="];
    let s = "";
    const n = this.int(max);
    for (let i = 0; i < n; i++) s += this.dict.length && this.chance(0.1) ? this.pick(this.dict) : this.pick(pool);
    return s;
  }

  number(): number { return this.pick([0, -1, 1, 0.5, 1e308, -1e308, 2 ** 31, 2 ** 32, 2 ** 53 + 1, -0, 1e-7, this.int(1000), this.int(70000)]); }

  /** Any JSON value, depth-bounded. */
  value(depth = 0): unknown {
    const k = this.int(depth > 4 ? 4 : 7);
    switch (k) {
      case 0: return this.text(12);
      case 1: return this.number();
      case 2: return this.chance(0.5);
      case 3: return null;
      case 4: return Array.from({ length: this.int(4) }, () => this.value(depth + 1));
      default: { const o: Record<string, unknown> = {}; for (let i = this.int(4); i > 0; i--) o[this.key()] = this.value(depth + 1); return o; }
    }
  }
  key(): string { return this.pick(["model", "messages", "content", "role", "stream", "text", "type", "input", "prompt", "tools", "system", "max_tokens", "choices", "delta", "usage", "error", "", "__proto__", "constructor", this.text(6)]); }

  /** A request body an LLM API would take (OpenAI chat/responses/embeddings, Anthropic messages). */
  llmRequest(): unknown {
    const content = () => this.chance(0.7) ? this.text(60) : [{ type: "text", text: this.text(40) }, { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } }, { type: this.text(4), text: this.value() }];
    const messages = () => Array.from({ length: 1 + this.int(4) }, () => ({ role: this.pick(["user", "system", "assistant", "tool", "developer", this.text(5)]), content: content(), ...(this.chance(0.1) ? { name: this.text(5) } : {}) }));
    return this.pick([
      () => ({ model: this.pick(["gpt-4o", "echo", "claude-3-5-sonnet", this.text(8)]), messages: messages(), stream: this.chance(0.3), ...(this.chance(0.2) ? { tools: [{ type: "function", function: { name: this.text(5), parameters: this.value() } }] } : {}) }),
      () => ({ model: "claude-sample", max_tokens: this.number(), system: this.chance(0.5) ? this.text(30) : [{ type: "text", text: this.text(20) }], messages: messages() }),
      () => ({ model: "text-embedding-3-small", input: this.chance(0.5) ? this.text(50) : [this.text(20), this.text(20)] }),
      () => ({ model: "gpt-4o", input: this.text(50), instructions: this.text(20) }),
      () => ({ prompt: this.text(50), model: this.number() }),
    ])();
  }

  /** A response body: an OpenAI/Anthropic answer or error. */
  llmAnswer(): unknown {
    return this.pick([
      () => ({ id: "chatcmpl-1", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: this.text(80) }, finish_reason: "stop" }], usage: { prompt_tokens: this.number(), completion_tokens: this.number(), total_tokens: this.number() } }),
      () => ({ id: "msg_1", type: "message", role: "assistant", content: [{ type: "text", text: this.text(80) }], usage: { input_tokens: this.number(), output_tokens: this.number() } }),
      () => ({ error: { message: this.text(20), type: "invalid_request_error", code: this.value() } }),
      () => ({ object: "list", data: [{ embedding: [this.number(), this.number()], index: 0 }] }),
    ])();
  }

  /** A JSON text of `v`, then mutated at the structure and byte level. */
  jsonText(v: unknown): string {
    let s = JSON.stringify(this.chance(0.3) ? this.mutateValue(v) : v) ?? "null";
    const ops = this.int(3);
    for (let i = 0; i < ops; i++) s = this.mutateText(s);
    return s;
  }

  /** Structure mutation: a subtree replaced, a type swapped, deep nesting, a duplicate key. */
  mutateValue(v: unknown, depth = 0): unknown {
    if (depth < 6 && v !== null && typeof v === "object") {
      if (Array.isArray(v)) return v.map((x) => (this.chance(0.3) ? this.mutateValue(x, depth + 1) : x)).concat(this.chance(0.1) ? [this.value()] : []);
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (!this.chance(0.05)) o[k] = this.chance(0.3) ? this.mutateValue(x, depth + 1) : x;
      if (this.chance(0.1)) o[this.key()] = this.value();
      return o;
    }
    return this.pick([() => this.value(), () => v, () => [v], () => ({ text: v }), () => (typeof v === "string" ? v.repeat(1 + this.int(50)) : v), () => nest(v, 1 + this.int(300))])();
  }

  /** Byte-level mutation of a JSON text: truncation, duplicate keys, escapes, junk, BOM, whitespace. */
  mutateText(s: string): string {
    const at = this.int(s.length + 1);
    return this.pick([
      () => s.slice(0, at),
      () => s.slice(0, at) + this.text(5) + s.slice(at),
      () => s.replace(/"content":/, `"content":"x","content":`),
      () => s.replace(/[a-z@.]/g, (c) => (this.chance(0.1) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}` : c)),
      () => "\ufeff" + s,
      () => s.replace(/:/g, () => (this.chance(0.2) ? " : \n\t" : ":")),
      () => s + this.pick(["", "}", "]]]", "\u0000", " garbage", "{\"a\":1}"]),
      () => "[".repeat(this.int(2000)) + s,
      () => s.slice(0, at) + String.fromCharCode(0xd800 + this.int(0x800)) + s.slice(at),
    ])();
  }

  /** An SSE stream in OpenAI's or Anthropic's framing (or broken framing), as one text. */
  sse(): string {
    const parts: string[] = [];
    const n = 1 + this.int(12);
    const anthropic = this.chance(0.4);
    for (let i = 0; i < n; i++) {
      const data = anthropic
        ? JSON.stringify({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: this.text(20) } })
        : JSON.stringify({ id: "c", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: this.text(20) }, finish_reason: null }] });
      const payload = this.chance(0.15) ? this.mutateText(data) : data;
      const nl = this.pick(["\n\n", "\r\n\r\n", "\n", "\r\r"]);
      parts.push(anthropic ? `event: content_block_delta\ndata: ${payload}${nl}` : this.pick([`data: ${payload}${nl}`, `data:${payload}${nl}`, `: ping\n\ndata: ${payload}${nl}`, `data: ${payload.slice(0, 20)}\ndata: ${payload.slice(20)}${nl}`]));
    }
    if (this.chance(0.7)) parts.push(anthropic ? "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n" : "data: [DONE]\n\n");
    return parts.join("");
  }

  /** Cut points anywhere in `len` bytes (none, a few, or byte by byte for short bodies). */
  cuts(len: number): number[] {
    if (len < 2) return [];
    const mode = this.int(4);
    if (mode === 0) return [];
    if (mode === 1 && len <= 200) return Array.from({ length: len - 1 }, (_, i) => i + 1);
    const set = new Set<number>();
    for (let i = 1 + this.int(mode === 2 ? 4 : 30); i > 0; i--) set.add(1 + this.int(len - 1));
    return [...set].sort((a, b) => a - b);
  }

  /** Request headers: the pseudo-headers, then a mix of what LLM clients send and junk. */
  requestHeaders(contentType: string): Array<[string, string]> {
    const h: Array<[string, string]> = [
      [":method", this.pick(["POST", "POST", "GET", "PUT", "OPTIONS", this.text(4)])],
      [":path", this.pick(["/v1/chat/completions", "/v1/messages", "/v1/embeddings", "/v1/responses", "/v1/models", `/v1/chat/completions?${this.text(10)}`, `/${this.text(12)}`, "//v1/./chat/../completions", "/V1/CHAT/COMPLETIONS", "/v1/chat/completions%2F"])],
      [":authority", this.pick(["gw", "api.openai.com", "localhost:10000", this.text(6)])],
      [":scheme", "http"],
    ];
    if (contentType) h.push(["content-type", contentType]);
    const cred = () => this.dict.length && this.chance(0.5) ? this.pick(this.dict) : this.text(20);
    for (let i = this.int(6); i > 0; i--) {
      h.push(this.pick<[string, string]>([
        ["authorization", `${this.pick(["Bearer ", "bearer ", "Basic ", "", "Bearer  "])}${cred()}`],
        ["x-api-key", cred()],
        ["content-encoding", this.pick(["gzip", "identity", "br", "", this.text(4)])],
        ["accept-encoding", this.pick(["gzip", "identity", "*", ""])],
        ["content-length", String(this.number())],
        ["cookie", `${this.text(4)}=${cred()}; k=${this.text(4)}`],
        ["x-aigw-consumer", this.text(6)],
        [this.text(8).toLowerCase().replace(/[^a-z0-9-]/g, "") || "x-f", this.text(30)],
        ["x-request-id", this.text(10)],
      ]));
    }
    return h;
  }

  contentType(sse = false): string {
    if (sse) return this.pick(["text/event-stream", "text/event-stream; charset=utf-8", "TEXT/EVENT-STREAM", "application/json"]);
    return this.pick(["application/json", "application/json; charset=utf-8", "Application/JSON", "text/plain", "application/x-www-form-urlencoded", "application/vnd.api+json", "", "multipart/form-data; boundary=x", "application/json, text/plain"]);
  }
}

function nest(v: unknown, depth: number): unknown {
  let x = v;
  for (let i = 0; i < depth; i++) x = [x];
  return x;
}

// ---- configurations from a JSON schema --------------------------------------------------------
type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[]; const?: unknown; $ref?: string; oneOf?: Schema[]; anyOf?: Schema[]; allOf?: Schema[]; required?: string[]; minimum?: number; maximum?: number; default?: unknown; examples?: unknown[]; additionalProperties?: boolean | Schema; minItems?: number; pattern?: string };

/** A configuration drawn from `schema` (mostly valid: enums, required fields, types), sometimes broken. */
export function sampleConfig(g: Gen, root: Schema): unknown {
  const resolve = (s: Schema): Schema => {
    let x = s;
    for (let i = 0; i < 10 && x?.$ref; i++) {
      const path = x.$ref.replace(/^#\//, "").split("/");
      let t: any = root;
      for (const p of path) t = t?.[p];
      x = { ...t, ...x, $ref: undefined };
    }
    return x ?? {};
  };
  const walk = (s0: Schema, depth: number): unknown => {
    const s = resolve(s0);
    if (g.chance(0.03)) return g.value(); // a wrong type anywhere
    if (s.const !== undefined) return s.const;
    if (s.enum) return g.pick(s.enum);
    if (s.examples?.length && g.chance(0.5)) return g.pick(s.examples);
    if (s.oneOf || s.anyOf) return walk(g.pick((s.oneOf ?? s.anyOf)!), depth);
    if (s.allOf) return Object.assign({}, ...s.allOf.map((x) => { const v = walk(x, depth); return v && typeof v === "object" ? v : {}; }));
    const type = Array.isArray(s.type) ? g.pick(s.type) : s.type ?? (s.properties ? "object" : undefined);
    switch (type) {
      case "object": {
        const o: Record<string, unknown> = {};
        if (depth > 6) return o;
        for (const [k, v] of Object.entries(s.properties ?? {})) if (s.required?.includes(k) || g.chance(0.5)) o[k] = walk(v, depth + 1);
        if (g.chance(0.05)) o[g.text(6)] = g.value();
        if (s.additionalProperties && typeof s.additionalProperties === "object") for (let i = g.int(3); i > 0; i--) o[g.pick(["EMAIL", "PHONE", "CREDIT_CARD", "a", g.text(5)])] = walk(s.additionalProperties, depth + 1);
        return o;
      }
      case "array": return Array.from({ length: (s.minItems ?? 0) + g.int(3) }, () => walk(s.items ?? {}, depth + 1));
      case "string": return s.default !== undefined && g.chance(0.3) ? s.default : g.pick([g.text(10), "", "a", "x-api-key", "authorization", "sha256", "^[a-z]+$", "(", "https://idp.example", "1s", "10ms", "-1s"]);
      case "integer": case "number": return g.pick([s.minimum ?? 0, s.maximum ?? 1 << 20, (s.minimum ?? 0) - 1, (s.maximum ?? 0) + 1, g.number(), s.default ?? 1]);
      case "boolean": return g.chance(0.5);
      case "null": return null;
    }
    return g.value();
  };
  return walk(root, 0);
}

/** Every string leaf of a configuration: tokens (keys, names, prefixes) worth putting into inputs. */
export function stringsOf(v: unknown, out: string[] = []): string[] {
  if (typeof v === "string") { if (v.length && v.length < 200) out.push(v); }
  else if (Array.isArray(v)) for (const x of v) stringsOf(x, out);
  else if (v && typeof v === "object") for (const x of Object.values(v)) stringsOf(x, out);
  return out;
}
