// Envoy's rate limit service protocol (api/envoy/service/ratelimit/v3/rls.proto), as
// envoyproxy/ratelimit serves it: ShouldRateLimit(RateLimitRequest) -> RateLimitResponse.
//   RateLimitRequest   { string domain = 1; repeated RateLimitDescriptor descriptors = 2; uint32 hits_addend = 3; }
//   RateLimitDescriptor{ repeated Entry entries = 1; }   Entry { string key = 1; string value = 2; }
//   RateLimitResponse  { Code overall_code = 1; repeated DescriptorStatus statuses = 2; ... }
//   DescriptorStatus   { Code code = 1; RateLimit current_limit = 2; uint32 limit_remaining = 3;
//                        google.protobuf.Duration duration_until_reset = 4; }
//   RateLimit          { uint32 requests_per_unit = 1; Unit unit = 2; string name = 3; }
//   Code: UNKNOWN 0, OK 1, OVER_LIMIT 2.
// The service counts integer hits (uint32) per fixed window; it adds max(1, hits_addend).
import { ProtoReader, ProtoWriter, WireType } from "../../common/assembly/proto/wire";

export const SERVICE = "envoy.service.ratelimit.v3.RateLimitService";
export const METHOD = "ShouldRateLimit";

export namespace Code {
  export const UNKNOWN = 0;
  export const OK = 1;
  export const OVER_LIMIT = 2;
}

export function encodeRequest(domain: string, keys: Array<string>, values: Array<string>, hits: u32): Uint8Array {
  const d = new ProtoWriter(64);
  for (let i = 0; i < keys.length; i++) {
    const e = new ProtoWriter(32);
    e.string(1, keys[i]).string(2, values[i]);
    d.bytes(1, e.toBytes());
  }
  const w = new ProtoWriter(96);
  w.string(1, domain);
  w.bytes(2, d.toBytes());
  w.uint(3, <u64>hits);
  return w.toBytes();
}

export class DescriptorStatus {
  code: i32 = Code.UNKNOWN;
  hasLimit: bool = false;
  requestsPerUnit: i64 = 0;
  remaining: i64 = 0;
  resetMs: i64 = 0;
}

export class RlsResponse {
  ok: bool = false;
  overall: i32 = Code.UNKNOWN;
  statuses: Array<DescriptorStatus> = new Array<DescriptorStatus>();
}

function readStatus(r: ProtoReader): DescriptorStatus {
  const s = new DescriptorStatus();
  while (r.next()) {
    if (r.field == 1 && r.wire == WireType.VARINT) s.code = <i32>r.value;
    else if (r.field == 2 && r.wire == WireType.LEN) {
      const l = r.nested();
      s.hasLimit = true;
      while (l.next()) if (l.field == 1 && l.wire == WireType.VARINT) s.requestsPerUnit = <i64>(l.value & 0xffffffff);
      if (!l.ok) r.ok = false;
    } else if (r.field == 3 && r.wire == WireType.VARINT) s.remaining = <i64>(r.value & 0xffffffff);
    else if (r.field == 4 && r.wire == WireType.LEN) {
      const d = r.nested();
      let seconds: i64 = 0, nanos: i64 = 0;
      while (d.next()) {
        if (d.field == 1 && d.wire == WireType.VARINT) seconds = <i64>d.value;
        else if (d.field == 2 && d.wire == WireType.VARINT) nanos = <i64>(d.value & 0xffffffff);
      }
      if (!d.ok || seconds < 0 || seconds > 400 * 86400) r.ok = false;
      else s.resetMs = seconds * 1000 + nanos / 1000000;
    }
  }
  return s;
}

export function decodeResponse(buf: Uint8Array): RlsResponse {
  const out = new RlsResponse();
  const r = new ProtoReader(buf);
  while (r.next()) {
    if (r.field == 1 && r.wire == WireType.VARINT) out.overall = <i32>r.value;
    else if (r.field == 2 && r.wire == WireType.LEN) {
      const n = r.nested();
      const s = readStatus(n);
      if (!n.ok) r.ok = false;
      out.statuses.push(s);
    }
  }
  out.ok = r.ok && (out.overall == Code.OK || out.overall == Code.OVER_LIMIT);
  return out;
}
