// Fleet-wide limits through Envoy's rate limit service (envoyproxy/ratelimit with Redis).
//
// Why the filter calls the service itself (grpc_call) instead of leaving it to Envoy's own rate
// limit filter with `apply_on_stream_done` and `hits_addend` formats (Envoy's
// source/extensions/filters/http/ratelimit/ratelimit.cc): that filter decides in decodeHeaders,
// before the body, so it cannot reserve a prompt estimate or max_tokens; its stream-done charge
// (onDestroy) is fire-and-forget with one hits_addend for all descriptors; it writes the IETF
// draft's rate-limit headers, not OpenAI's; and a refusal there cannot become a downgrade or
// join quota's local budgets, shadow mode and metrics. Calling from the filter keeps one decision
// per request and the same answers for local and fleet limits.
//
// Each fleet limit is one descriptor, so the service's descriptors config mirrors quota's:
//   [("aigw_limit", <limit name>), (<source>, <value>)...]
// sources: consumer, tenant, route, provider, model, attribute_<name>, header_<name>; `global`
// adds no entry. The service adds max(1, hits_addend) per call and cannot subtract: at request
// time a limit is charged what the request certainly uses (1 request; the prompt estimate and
// one output token; their cost), at the end the rest of its real usage.
import { Limit, QuotaConfig, Source } from "./model";
import { ABSENT, RequestInfo } from "./engine";
import { encodeRequest } from "./rls";

export const LIMIT_KEY = "aigw_limit";

/** The `grpc_service` argument of proxy_grpc_call: a serialized envoy.config.core.v3.GrpcService
 *  { envoy_grpc (1) { cluster_name (1) } }, which every Envoy version parses (newer ones also take
 *  a bare cluster name). Names are ASCII and shorter than 128 bytes (config.ts), so each length is
 *  one varint byte and the message is valid UTF-8. */
export function grpcServiceOf(cluster: string): string {
  const inner = String.fromCharCode(0x0a, cluster.length) + cluster;
  return String.fromCharCode(0x0a, inner.length) + inner;
}

function sourceKey(src: i32, arg: string): string {
  switch (src) {
    case Source.CONSUMER: return "consumer";
    case Source.TENANT: return "tenant";
    case Source.ROUTE: return "route";
    case Source.PROVIDER: return "provider";
    case Source.MODEL: return "model";
    case Source.ATTRIBUTE: return "attribute_" + arg;
    case Source.HEADER: return "header_" + arg;
  }
  return "";
}

/** One fleet limit's share of one request. */
export class FleetCharge {
  keys: Array<string> = new Array<string>();
  values: Array<string> = new Array<string>();
  /** Hits sent so far. */
  charged: i64 = 0;
  token: u32 = 0;
  done: bool = false;
  constructor(public limit: Limit) {}

  /** The RateLimitRequest adding `hits` (uint32: larger charges are capped, the service's limit). */
  message(cfg: QuotaConfig, hits: i64): ArrayBuffer {
    const h: u32 = hits <= 0 ? 1 : hits > <i64>u32.MAX_VALUE ? u32.MAX_VALUE : <u32>hits;
    return encodeRequest(cfg.fleet!.domain, this.keys, this.values, h).buffer;
  }
}

export function fleetCharge(l: Limit, values: Array<string>): FleetCharge {
  const c = new FleetCharge(l);
  c.keys.push(LIMIT_KEY);
  c.values.push(l.name);
  for (let i = 0; i < l.parts.length; i++) {
    const p = l.parts[i];
    if (p.source == Source.GLOBAL) continue;
    c.keys.push(sourceKey(p.source, p.arg));
    const v = values[i];
    c.values.push(v.length ? v : ABSENT);
  }
  return c;
}
