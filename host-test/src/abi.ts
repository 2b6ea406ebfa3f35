// Numeric constants of the proxy-wasm ABI 0.2.x and the pair serialization Envoy uses.
// Sources: proxy-wasm/spec abi-versions/v0.2.1/README.md, proxy-wasm-cpp-host
// include/proxy-wasm/wasm_api_impl.h + context_interface.h (enum values), src/pairs_util.cc.

export const WasmResult = {
  Ok: 0, NotFound: 1, BadArgument: 2, SerializationFailure: 3, ParseFailure: 4, BadExpression: 5,
  InvalidMemoryAccess: 6, Empty: 7, CasMismatch: 8, ResultMismatch: 9, InternalFailure: 10,
  BrokenConnection: 11, Unimplemented: 12,
} as const;

export const HeaderMapType = {
  RequestHeaders: 0, RequestTrailers: 1, ResponseHeaders: 2, ResponseTrailers: 3,
  GrpcReceiveInitialMetadata: 4, GrpcReceiveTrailingMetadata: 5, HttpCallResponseHeaders: 6,
  HttpCallResponseTrailers: 7,
} as const;
export const HEADER_MAP_MAX = 7;

export const BufferType = {
  HttpRequestBody: 0, HttpResponseBody: 1, NetworkDownstreamData: 2, NetworkUpstreamData: 3,
  HttpCallResponseBody: 4, GrpcReceiveBuffer: 5, VmConfiguration: 6, PluginConfiguration: 7, CallData: 8,
} as const;
export const BUFFER_TYPE_MAX = 8;

export const StreamType = { Request: 0, Response: 1, Downstream: 2, Upstream: 3 } as const;
export const STREAM_TYPE_MAX = 3;

/** Envoy's Http::FilterHeadersStatus values (as proxy-wasm returns them). */
export const HeadersStatus = {
  Continue: 0, StopIteration: 1, ContinueAndEndStream: 2, StopAllIterationAndBuffer: 3, StopAllIterationAndWatermark: 4,
} as const;
/** Envoy's Http::FilterDataStatus values. */
export const DataStatus = { Continue: 0, StopIterationAndBuffer: 1, StopIterationAndWatermark: 2, StopIterationNoBuffer: 3 } as const;
export const TrailersStatus = { Continue: 0, StopIteration: 1 } as const;

export type HeadersAction = keyof typeof HeadersStatus;
export type DataAction = keyof typeof DataStatus;
export type TrailersAction = keyof typeof TrailersStatus;

export const headersActionName = (n: number): HeadersAction =>
  (Object.keys(HeadersStatus) as HeadersAction[]).find((k) => HeadersStatus[k] === n)!;
export const dataActionName = (n: number): DataAction =>
  (Object.keys(DataStatus) as DataAction[]).find((k) => DataStatus[k] === n)!;
export const trailersActionName = (n: number): TrailersAction => (n === 0 ? "Continue" : "StopIteration");

export const MetricType = { Counter: 0, Gauge: 1, Histogram: 2 } as const;

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "critical"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const logLevelNumber = (l: LogLevel): number => LOG_LEVELS.indexOf(l);

export type Pairs = Array<[string, string]>;

const enc = new TextEncoder();
const dec = new TextDecoder();
export const utf8 = (s: string): Uint8Array => enc.encode(s);
export const fromUtf8 = (b: Uint8Array): string => dec.decode(b);

/** Envoy's pair serialization: u32 count, then (u32 key size, u32 value size) per pair, then
 * each key and value followed by a NUL byte (proxy-wasm-cpp-host src/pairs_util.cc). */
export function marshalPairs(pairs: Pairs): Uint8Array {
  // Byte lengths first, then each string written in place: ASCII (nearly every header) by a
  // plain loop, anything else with encodeInto. No encoded copy per string.
  let size = 4 + pairs.length * 8;
  for (const [k, v] of pairs) size += utf8Length(k) + utf8Length(v) + 2;
  const out = new Uint8Array(size); // zero-filled: the NUL after each string
  const dv = new DataView(out.buffer);
  dv.setUint32(0, pairs.length, true);
  let off = 4 + pairs.length * 8;
  let h = 4;
  for (const [k, v] of pairs) {
    const ks = writeUtf8(out, off, k); off += ks + 1;
    const vs = writeUtf8(out, off, v); off += vs + 1;
    dv.setUint32(h, ks, true); dv.setUint32(h + 4, vs, true); h += 8;
  }
  return out;
}

function utf8Length(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s);
  return s.length;
}

function writeUtf8(out: Uint8Array, off: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return enc.encodeInto(s, out.subarray(off, off + utf8Length(s))).written;
    out[off + i] = c;
  }
  return n;
}

/** Inverse of marshalPairs; malformed input yields an empty list as in PairsUtil::toPairs. */
export function unmarshalPairs(b: Uint8Array): Pairs {
  if (b.length < 4) return [];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = dv.getUint32(0, true);
  if (4 + n * 8 > b.length) return [];
  const out: Pairs = [];
  let off = 4 + n * 8;
  for (let i = 0; i < n; i++) {
    const ks = dv.getUint32(4 + i * 8, true), vs = dv.getUint32(8 + i * 8, true);
    if (off + ks + vs + 2 > b.length) return [];
    const k = fromUtf8(b.subarray(off, off + ks)); off += ks + 1;
    const v = fromUtf8(b.subarray(off, off + vs)); off += vs + 1;
    out.push([k, v]);
  }
  return out;
}
