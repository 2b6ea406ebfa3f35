// How the local gateway hands an answer to the client, beyond what the filters did to it:
// - echo: the built-in sample provider's `echo` answer is returned exactly as the provider sent it
//   (what it received), not as response-side filters rewrote it. Without this, pii-mask's response
//   masking showed `[EMAIL]` for an e-mail that reached the provider in clear (in a header), and
//   `tokenize` showed the restored original where the provider saw tokens. The filters still run
//   on the answer (their metrics, logs and local replies stand); only their rewrite of the echo
//   body is not shown. The answer says so in `x-aigw-echo: as-received`.
// - Anthropic routes (`/v1/messages…`): an error answer that is not already in Anthropic's shape
//   (a filter's OpenAI-shaped local reply, the gateway's own text/plain 503/504/408/413) is sent as
//   `{"type":"error","error":{"type":…,"message":…}}` (Anthropic's API reference, "Errors"), which
//   Anthropic's SDKs parse into their typed errors. Envoy does the same with local_reply_config.
import type { Pairs } from "../abi.ts";

export interface AnswerWriter { onHeaders(status: number, pairs: Pairs): void; onData(chunk: Uint8Array, end: boolean): void }

/** Anthropic's error types by HTTP status. */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 400: return "invalid_request_error";
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 529: return "overloaded_error";
  }
  return status >= 500 ? "api_error" : "invalid_request_error";
}

export function isAnthropicPath(path: string): boolean {
  const p = path.split("?")[0];
  return p === "/v1/messages" || p.startsWith("/v1/messages/");
}

/** The Anthropic-shaped body for an error answer, or null when it already is one. */
export function toAnthropicError(status: number, body: Uint8Array): Uint8Array | null {
  const text = Buffer.from(body).toString("utf8");
  let message = text.trim() || `HTTP ${status}`;
  try {
    const v = JSON.parse(text) as { type?: unknown; error?: { message?: unknown } };
    if (v?.type === "error" && v.error && typeof v.error === "object") return null;
    if (v?.error && typeof v.error.message === "string") message = v.error.message;
  } catch { /* a text body: its text is the message */ }
  return Buffer.from(JSON.stringify({ type: "error", error: { type: anthropicErrorType(status), message } }));
}

const MAX_ERROR_BODY = 64 * 1024;

function withBody(pairs: Pairs, contentType: string | null, length: number, extra: Pairs = []): Pairs {
  const out = pairs.filter(([k]) => k !== "content-length" && (contentType === null || k !== "content-type"));
  if (contentType !== null) out.push(["content-type", contentType]);
  out.push(["content-length", String(length)], ...extra);
  return out;
}

/** Error answers (status >= 400) in Anthropic's shape; anything else passes as it comes. */
export function anthropicErrors(next: AnswerWriter): AnswerWriter {
  let held: { status: number; pairs: Pairs; parts: Uint8Array[]; size: number } | null = null;
  return {
    onHeaders(status, pairs) {
      if (status >= 400) held = { status, pairs, parts: [], size: 0 };
      else next.onHeaders(status, pairs);
    },
    onData(chunk, end) {
      if (!held) return next.onData(chunk, end);
      held.parts.push(chunk); held.size += chunk.length;
      if (held.size > MAX_ERROR_BODY) {
        // Not an error document: pass it on unchanged.
        const h = held; held = null;
        next.onHeaders(h.status, h.pairs);
        for (const p of h.parts) next.onData(p, false);
        if (end) next.onData(new Uint8Array(0), true);
        return;
      }
      if (!end) return;
      const h = held; held = null;
      const body = Buffer.concat(h.parts);
      const shaped = toAnthropicError(h.status, body);
      if (shaped === null) { next.onHeaders(h.status, h.pairs); next.onData(body, true); return; }
      next.onHeaders(h.status, withBody(h.pairs, "application/json", shaped.length));
      next.onData(shaped, true);
    },
  };
}

/** The echo model's answer as the provider sent it (see the top of this file). */
export function echoAsReceived(next: AnswerWriter, takeEcho: (id: string) => Buffer | undefined): AnswerWriter {
  let original: Buffer | null = null;
  return {
    onHeaders(status, pairs) {
      const id = pairs.find(([k]) => k === "x-sample-echo")?.[1];
      const body = id !== undefined ? takeEcho(id) : undefined;
      const rest = pairs.filter(([k]) => k !== "x-sample-echo");
      if (body === undefined) return next.onHeaders(status, rest);
      original = body;
      next.onHeaders(status, withBody(rest, null, body.length, [["x-aigw-echo", "as-received"]]));
    },
    onData(chunk, end) {
      if (original === null) return next.onData(chunk, end);
      if (end) { next.onData(original, true); original = null; }
    },
  };
}
