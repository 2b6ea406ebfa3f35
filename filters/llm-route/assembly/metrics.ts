// The filter's metrics (docs/contract.md naming: aigw.llm_route.<metric>.<label>.<value>). Label
// values come from the configuration (provider names, configured model names, in [a-z0-9_]) or
// the fixed lists below; a model reached through a wildcard target counts as `other`.
import { Counter, CounterFamily } from "../../common/sdk";

/** Reasons a request is refused by the filter itself. */
export const REJECT_REASONS: StaticArray<string> = [
  "invalid_json", "missing_model", "unknown_model", "not_allowed", "no_capable_provider", "context_too_long",
  "too_large", "unsupported_endpoint", "untranslatable", "missing_body",
];

/** Why a provider was marked down. */
export const DOWN_REASONS: StaticArray<string> = ["rate_limited", "server_error", "timeout", "reset"];

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

  /** Counters of the models requests went to (ModelSpec.counters indexes them). */
  specs: Array<SpecCounters> = new Array<SpecCounters>();

  /** The counters of one provider's model (label `m`): made on its first request, then its index
   *  is kept on the model. */
  spec(p: string, m: string): i32 {
    this.specs.push(new SpecCounters(this, p + ".model." + m));
    return this.specs.length - 1;
  }
}

/** A model's counters: each defined on its first increment, as through the families, and then
 *  kept, so a request names none of them again. */
export class SpecCounters {
  requests: Counter;
  private input: Counter | null = null;
  private output: Counter | null = null;
  private cached: Counter | null = null;
  private cost: Counter | null = null;

  constructor(private m: RouteMetrics, private base: string) { this.requests = m.requests.counter(base); }

  usage(input: i64, output: i64, cached: i64, costMicros: i64): void {
    if (input > 0) { if (this.input === null) this.input = this.m.tokens.counter(this.base + ".direction.input"); this.input!.inc(input); }
    if (output > 0) { if (this.output === null) this.output = this.m.tokens.counter(this.base + ".direction.output"); this.output!.inc(output); }
    if (cached > 0) { if (this.cached === null) this.cached = this.m.tokens.counter(this.base + ".direction.cached"); this.cached!.inc(cached); }
    if (costMicros > 0) { if (this.cost === null) this.cost = this.m.cost.counter(this.base); this.cost!.inc(costMicros); }
  }
}
