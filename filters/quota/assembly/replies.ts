// What the client sees when a budget is spent: a 429 before the request, or the last events of a
// stream cut short. OpenAI's shape on OpenAI paths (type `requests`/`tokens`, code
// `rate_limit_exceeded`; a spent money budget is `insufficient_quota`, as OpenAI reports it);
// Anthropic's on /v1/messages (`rate_limit_error`).
import { HeaderPair, sendLocalResponse } from "../../common/sdk";
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { appendOpenAIError } from "../../common/assembly/errors/openai";
import { appendAnthropicError, appendAnthropicStreamError, appendOpenAIStreamError } from "../../common/assembly/sse/error-event";
import { COUNTS_NAMES, Counts, Limit } from "./model";
import { HeaderFigures, goDuration } from "./headers";

function openAIType(l: Limit): string {
  if (l.counts == Counts.REQUESTS) return "requests";
  if (l.counts == Counts.COST) return "insufficient_quota";
  return "tokens";
}

function openAICode(l: Limit): string { return l.counts == Counts.COST ? "insufficient_quota" : "rate_limit_exceeded"; }

/** OpenAI's wording: "Rate limit reached for … on tokens: Limit 1000, Used 990, Requested 200. Please try again in 6s." */
export function limitMessage(l: Limit, limit: i64, used: i64, requested: i64, resetMs: i64): string {
  return "Rate limit reached for `" + l.name + "` on " + COUNTS_NAMES[l.counts] + " per " + goDuration(l.windowMs) +
    ": Limit " + limit.toString() + ", Used " + used.toString() + ", Requested " + requested.toString() +
    ". Please try again in " + goDuration(resetMs) + ".";
}

export function refuse429(anthropic: bool, l: Limit, message: string, headers: Array<HeaderPair>): void {
  const out = new ByteBuilder(256);
  if (anthropic) appendAnthropicError(out, message, "rate_limit_error");
  else appendOpenAIError(out, message, openAIType(l), null, openAICode(l));
  headers.push(new HeaderPair("content-type", "application/json"));
  sendLocalResponse(429, "quota_limited", out.toBytes().buffer, headers);
}

export function appendCutEvents(anthropic: bool, l: Limit, out: ByteBuilder): void {
  const message = "The budget `" + l.name + "` (" + COUNTS_NAMES[l.counts] + " per " + goDuration(l.windowMs) + ") ran out during this answer; the rest was not delivered.";
  if (anthropic) appendAnthropicStreamError(out, message, "rate_limit_error");
  else appendOpenAIStreamError(out, message, openAIType(l), openAICode(l));
}

/** OpenAI's x-ratelimit-* headers from the tightest request and token limits. */
export function rateLimitHeaders(req: HeaderFigures, tok: HeaderFigures, out: Array<HeaderPair>): void {
  if (req.has) {
    out.push(new HeaderPair("x-ratelimit-limit-requests", req.limit.toString()));
    out.push(new HeaderPair("x-ratelimit-remaining-requests", req.remaining.toString()));
    out.push(new HeaderPair("x-ratelimit-reset-requests", goDuration(req.resetMs)));
  }
  if (tok.has) {
    out.push(new HeaderPair("x-ratelimit-limit-tokens", tok.limit.toString()));
    out.push(new HeaderPair("x-ratelimit-remaining-tokens", tok.remaining.toString()));
    out.push(new HeaderPair("x-ratelimit-reset-tokens", goDuration(tok.resetMs)));
  }
}
