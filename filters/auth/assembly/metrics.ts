// The filter's metrics, declared in one place (docs/contract.md naming:
// aigw.auth.<metric>.<label>.<value>; label values are bounded: reasons are the fixed set below,
// consumers come from the configuration, anything else is "other").
import { CounterFamily } from "../../common/sdk";

/** Every reason a request can be refused (metric label values, `aigw.auth.decision` suffixes). */
export const REASONS: StaticArray<string> = [
  "missing_credential", "duplicate_credential", "malformed_credential", "unknown_api_key",
  "malformed_token", "token_too_large", "alg_none", "unsupported_alg", "unsupported_crit", "alg_not_allowed",
  "unknown_kid", "no_matching_key", "bad_signature", "missing_exp", "expired", "not_yet_valid", "iat_in_future",
  "lifetime_too_long", "wrong_issuer", "wrong_audience", "missing_claim", "unknown_issuer", "jwks_unavailable",
  "denied_by_rule", "not_allowed", "method_not_allowed", "invalid_path", "invalid_host", "invalid_claim",
];

export class AuthMetrics {
  /** aigw.auth.allowed.consumer.<label> */
  allowedByConsumer: CounterFamily = new CounterFamily("aigw.auth.allowed.consumer.");
  /** aigw.auth.allowed.method.<api_key|jwt|none> */
  allowedByMethod: CounterFamily = new CounterFamily("aigw.auth.allowed.method.");
  /** aigw.auth.denied.reason.<reason> */
  deniedByReason: CounterFamily = new CounterFamily("aigw.auth.denied.reason.");
  /** aigw.auth.denied.consumer.<label> (403s: the identity is known) */
  deniedByConsumer: CounterFamily = new CounterFamily("aigw.auth.denied.consumer.");
  /** aigw.auth.jwks_fetch.result.<ok|failed> */
  jwksFetch: CounterFamily = new CounterFamily("aigw.auth.jwks_fetch.result.");
  /** aigw.auth.jwks_key_skipped.reason.<reason>: keys of a fetched set left out (jwk.ts SKIP_REASONS) */
  jwksKeySkipped: CounterFamily = new CounterFamily("aigw.auth.jwks_key_skipped.reason.");

  allowed(label: string, method: string): void {
    this.allowedByConsumer.inc(label);
    this.allowedByMethod.inc(method);
  }

  denied(reason: string, label: string | null): void {
    this.deniedByReason.inc(reason);
    if (label !== null) this.deniedByConsumer.inc(label);
  }
}
