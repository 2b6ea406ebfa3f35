// The rate-limit headers OpenAI's API sends (platform.openai.com/docs/guides/rate-limits):
//   x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests,
//   x-ratelimit-limit-tokens, x-ratelimit-remaining-tokens, x-ratelimit-reset-tokens
// with resets as Go durations ("1s", "6m0s", "20ms"), and retry-after in seconds on a 429
// (RFC 9110 section 10.2.3). Envoy's own ratelimit filter sends the IETF draft's x-ratelimit-*
// instead; clients of an OpenAI-compatible API read OpenAI's names.

/** A duration as Go's time.Duration prints it, to the millisecond: 20ms, 1s, 1.5s, 6m0s, 1h0m0s. */
export function goDuration(ms: i64): string {
  if (ms <= 0) return "0s";
  if (ms < 1000) return ms.toString() + "ms";
  const h = ms / 3600000;
  const m = (ms / 60000) % 60;
  const sMs = ms % 60000;
  let s = (sMs / 1000).toString();
  const frac = sMs % 1000;
  if (frac != 0) {
    let f = frac.toString();
    while (f.length < 3) f = "0" + f;
    while (f.endsWith("0")) f = f.substring(0, f.length - 1);
    s += "." + f;
  }
  if (h > 0) return h.toString() + "h" + m.toString() + "m" + s + "s";
  if (m > 0) return m.toString() + "m" + s + "s";
  return s + "s";
}

/** The tightest applicable limit of one kind (requests or tokens), or none. */
export class HeaderFigures {
  has: bool = false;
  limit: i64 = 0;
  remaining: i64 = 0;
  resetMs: i64 = 0;

  /** Keeps the limit with the least remaining (ties: the later reset). */
  offer(limit: i64, used: i64, resetMs: i64): void {
    let rem = limit - used;
    if (rem < 0) rem = 0;
    if (!this.has || rem < this.remaining || (rem == this.remaining && resetMs > this.resetMs)) {
      this.has = true;
      this.limit = limit;
      this.remaining = rem;
      this.resetMs = resetMs;
    }
  }
}

/** retry-after in whole seconds, rounded up (at least 1). */
export function retryAfterSeconds(resetMs: i64): string {
  let s = (resetMs + 999) / 1000;
  if (s < 1) s = 1;
  return s.toString();
}
