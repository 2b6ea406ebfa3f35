// The filter's metrics (docs/contract.md naming: aigw.llm_route.<metric>.<label>.<value>). Label
// values come from the configuration (provider names, configured model names, in [a-z0-9_]) or
// the fixed lists below; a model reached through a wildcard target counts as `other`.
import { CounterFamily } from "../../common/sdk";

/** Reasons a request is refused by the filter itself. */
export const REJECT_REASONS: StaticArray<string> = [
  "invalid_json", "missing_model", "unknown_model", "not_allowed", "no_capable_provider", "context_too_long",
  "too_large", "unsupported_endpoint", "untranslatable", "missing_body",
];

/** Why a provider was marked down. */
export const DOWN_REASONS: StaticArray<string> = ["rate_limited", "server_error", "timeout"];

export class RouteMetrics {
  /** aigw.llm_route.requests.provider.<p>.model.<m> */
  requests: CounterFamily = new CounterFamily("aigw.llm_route.requests.provider.");
  /** aigw.llm_route.tokens.provider.<p>.model.<m>.direction.<input|output|cached> */
  tokens: CounterFamily = new CounterFamily("aigw.llm_route.tokens.provider.");
  /** aigw.llm_route.cost_micro_usd.provider.<p>.model.<m> */
  cost: CounterFamily = new CounterFamily("aigw.llm_route.cost_micro_usd.provider.");
  /** aigw.llm_route.provider_errors.provider.<p>.reason.<reason> */
  providerErrors: CounterFamily = new CounterFamily("aigw.llm_route.provider_errors.provider.");
  /** aigw.llm_route.failover.provider.<p> (a request went elsewhere because <p> was down) */
  failover: CounterFamily = new CounterFamily("aigw.llm_route.failover.provider.");
  /** aigw.llm_route.rejected.reason.<reason> */
  rejected: CounterFamily = new CounterFamily("aigw.llm_route.rejected.reason.");
  /** aigw.llm_route.stream_errors.provider.<p> (a stream that ended without its end event) */
  streamErrors: CounterFamily = new CounterFamily("aigw.llm_route.stream_errors.provider.");

  request(p: string, m: string): void { this.requests.inc(p + ".model." + m); }

  usage(p: string, m: string, input: i64, output: i64, cached: i64, costMicros: i64): void {
    const base = p + ".model." + m + ".direction.";
    if (input > 0) this.tokens.inc(base + "input", input);
    if (output > 0) this.tokens.inc(base + "output", output);
    if (cached > 0) this.tokens.inc(base + "cached", cached);
    if (costMicros > 0) this.cost.inc(p + ".model." + m, costMicros);
  }
}
