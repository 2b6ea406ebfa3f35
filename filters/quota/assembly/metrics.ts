// The filter's metrics (docs/contract.md naming: aigw.quota.<metric>.<label>.<value>). Limit
// labels are configured limit names in [a-z0-9_]; the set is bounded by the configuration.
import { Counter, CounterFamily } from "../../common/sdk";

export class QuotaMetrics {
  /** aigw.quota.allowed.limit.<limit>: requests a limit let through. */
  allowed: CounterFamily = new CounterFamily("aigw.quota.allowed.limit.");
  /** aigw.quota.limited.limit.<limit>: requests refused with 429 by the limit. */
  limited: CounterFamily = new CounterFamily("aigw.quota.limited.limit.");
  /** aigw.quota.shadow_limited.limit.<limit>: requests a shadow limit would have refused. */
  shadowLimited: CounterFamily = new CounterFamily("aigw.quota.shadow_limited.limit.");
  /** aigw.quota.downgraded.limit.<limit>: requests sent to a cheaper model instead of refused. */
  downgraded: CounterFamily = new CounterFamily("aigw.quota.downgraded.limit.");
  /** aigw.quota.stream_cut.limit.<limit>: streams ended early because the budget ran out. */
  streamCut: CounterFamily = new CounterFamily("aigw.quota.stream_cut.limit.");
  /** aigw.quota.tokens.direction.<input|output>: tokens charged (settled, all limits alike). */
  tokens: CounterFamily = new CounterFamily("aigw.quota.tokens.direction.");
  /** aigw.quota.cost_micro_usd: cost charged. */
  cost: Counter = new Counter("aigw.quota.cost_micro_usd");
  /** aigw.quota.anomalies.kind.<requests|tokens>: minutes far above a consumer's baseline. */
  anomalies: CounterFamily = new CounterFamily("aigw.quota.anomalies.kind.");
  /** aigw.quota.fleet_errors: calls to the rate limit service that failed (timeout, unreachable). */
  fleetErrors: Counter = new Counter("aigw.quota.fleet_errors");
}
