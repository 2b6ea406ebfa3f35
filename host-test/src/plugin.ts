// A loaded plugin: Envoy's PluginConfig + Wasm VM + root context, and the proxy-wasm host
// functions. Stream contexts live in stream.ts (FilterContext) and are created per stream.
import { readFileSync } from "node:fs";
import {
  BUFFER_TYPE_MAX, BufferType, HEADER_MAP_MAX, HeaderMapType, LOG_LEVELS, type LogLevel, MetricType,
  STREAM_TYPE_MAX, WasmResult, fromUtf8, logLevelNumber, marshalPairs, unmarshalPairs, utf8, type Pairs,
} from "./abi.ts";
import { HeaderMap } from "./headers.ts";
import { type PropertyValue, getProperty } from "./properties.ts";
import { sharedData, sharedQueues, type QueueOwner } from "./shared.ts";
import { ProcExit, Vm, detectAbi, type AbiVersion, type VmContextLike } from "./vm.ts";
import { createStreamTester, FilterContext, type StreamTester } from "./stream.ts";
import { grpcUpstream } from "./grpc.ts";

export type FailurePolicy = "FAIL_CLOSED" | "FAIL_OPEN" | "FAIL_IGNORE" | "FAIL_RELOAD";

export interface ClusterRequest { method: string; path: string; authority: string; headers: Record<string, string>; headerPairs: Pairs; body: string; bodyBytes: Uint8Array; trailers: Pairs }
export interface ClusterResponse { status?: number; headers?: Record<string, string> | Pairs; body?: string | Uint8Array; trailers?: Record<string, string> | Pairs }
export type ClusterHandler = (req: ClusterRequest) => Promise<ClusterResponse> | ClusterResponse;

export interface GrpcRequest { cluster: string; service: string; method: string; metadata: Pairs; message: Uint8Array }
export interface GrpcResponse { status?: number; message?: string; initialMetadata?: Pairs; response?: Uint8Array | string; trailingMetadata?: Pairs }
export type GrpcHandler = (req: GrpcRequest) => Promise<GrpcResponse> | GrpcResponse;

export interface PluginOptions {
  /** Plugin configuration: objects are JSON-encoded, strings/bytes passed as-is. */
  config?: unknown;
  vmConfig?: unknown;
  name?: string;
  rootId?: string;
  vmId?: string;
  allowOnHeadersStopIteration?: boolean;
  failurePolicy?: FailurePolicy;
  /** http_call targets: a handler, or a base URL (http://127.0.0.1:PORT) reached with real HTTP. */
  clusters?: Record<string, ClusterHandler | string>;
  /** grpc_call targets: a handler, or "host:port" of a real gRPC server (grpc.ts). */
  grpcClusters?: Record<string, GrpcHandler | string>;
  properties?: Record<string, PropertyValue>;
  logLevel?: LogLevel;
  bufferLimitBytes?: number;
  /** Injectable clock in nanoseconds since the epoch; default: a manual clock advanced by tick(). */
  clock?: () => bigint;
  nodeId?: string;
  foreignFunctions?: Record<string, (args: Uint8Array) => Uint8Array | null>;
  /** Print plugin logs to stderr as Envoy would ("wasm log <name> <root_id> <vm_id>: msg"). */
  printLogs?: boolean;
}

export interface LogEntry { level: LogLevel; message: string }

export interface HttpCallRecord {
  token: number; cluster: string; headers: HeaderMap; body: Uint8Array; trailers: Pairs; timeoutMs: number;
  done: Promise<void>; settled: boolean; response?: { headers: HeaderMap; body: Uint8Array; trailers: HeaderMap } | null;
}

interface Metric { type: number; name: string; value: bigint; records: bigint[] }

const METRIC_TYPE_MASK = 0x3;
const METRIC_ID_INCREMENT = 0x4;

export class RootContext implements VmContextLike {
  rootId: number;
  httpCallResponse: { headers: HeaderMap; body: Uint8Array; trailers: HeaderMap } | null = null;
  grpcInitial: HeaderMap | null = null; grpcTrailing: HeaderMap | null = null; grpcReceive: Uint8Array | null = null;
  status: { code: number; message: string } = { code: 0, message: "" };
  configBuffer: Uint8Array | null = null;
  constructor(public id: number) { this.rootId = id; }
}

export class Plugin implements QueueOwner {
  readonly name: string; readonly rootId: string; readonly vmId: string;
  readonly abi: AbiVersion;
  readonly options: PluginOptions;
  readonly logEntries: LogEntry[] = [];
  vm!: Vm;
  root!: RootContext;
  /** Every http_call the plugin made, in order (the request as the cluster saw it). */
  readonly httpCalls: HttpCallRecord[] = [];
  readonly grpcCalls: Array<{ token: number; request: GrpcRequest; cancelled: boolean }> = [];
  private metricsById = new Map<number, Metric>();
  private metricsByName = new Map<string, Metric>();
  private nextMetricId = [0, 1, 2];
  private nextContextId = 1;
  private nextHttpToken = 1;
  private nextGrpcToken = 1;
  private inflight = new Set<Promise<void>>();
  tickPeriodMs = 0;
  private sinceTickMs = 0;
  private realTimer: ReturnType<typeof setInterval> | null = null;
  private manualNowNs: bigint;
  readonly pluginConfig: Uint8Array; readonly vmConfig: Uint8Array;
  /** Set when the VM failed; FAIL_RELOAD replaces the VM on the next stream. */
  failed = false;

  constructor(private module: WebAssembly.Module, options: PluginOptions) {
    this.options = options;
    this.name = options.name ?? options.vmId ?? "plugin";
    this.rootId = options.rootId ?? "";
    this.vmId = options.vmId ?? "";
    this.abi = detectAbi(module);
    this.pluginConfig = toBytes(options.config);
    this.vmConfig = toBytes(options.vmConfig);
    this.manualNowNs = BigInt(Date.now()) * 1_000_000n;
  }

  get failurePolicy(): FailurePolicy { return this.options.failurePolicy ?? "FAIL_CLOSED"; }
  get failOpen(): boolean { return this.failurePolicy === "FAIL_OPEN" || this.failurePolicy === "FAIL_IGNORE"; }
  get bufferLimit(): number { return this.options.bufferLimitBytes ?? 1 << 20; }
  get logLevel(): LogLevel { return this.options.logLevel ?? "info"; }
  nowNs(): bigint { return this.options.clock ? this.options.clock() : this.manualNowNs; }
  newContextId(): number { return this.nextContextId++; }

  // ---- lifecycle ---------------------------------------------------------------------------
  /** Instantiates the VM, creates the root context, calls vm_start and configure. */
  start(): void {
    this.vm = new Vm(this.abi, (_fn, msg) => { this.failed = true; this.log("critical", msg); });
    this.failed = false;
    this.vm.instantiate(this.module, this.imports());
    const init = this.vm.has("_initialize") ? "_initialize" : this.vm.has("_start") ? "_start" : null;
    if (init) this.vm.call(null, init);
    if (this.vm.failed) throw new Error(`${this.name}: Wasm VM failed during ${init}: ${this.vm.failure}`);
    this.contexts.clear();
    this.root = new RootContext(this.newContextId());
    this.contexts.set(this.root.id, this.root);
    // cpp-host ContextBase::onStart: the plugin (and its configuration) is visible during the
    // root context's on_context_create, not during on_vm_start.
    this.root.configBuffer = this.pluginConfig;
    this.vm.call(this.root, "proxy_on_context_create", this.root.id, 0);
    this.root.configBuffer = null;
    const okStart = this.vm.call(this.root, "proxy_on_vm_start", this.root.id, this.vmConfig.length);
    this.root.configBuffer = null;
    if (this.vm.failed || okStart === 0) throw new Error(`${this.name}: Failed to start base Wasm VM (proxy_on_vm_start returned false)${this.logTail()}`);
    this.root.configBuffer = this.pluginConfig;
    const okConf = this.vm.call(this.root, "proxy_on_configure", this.root.id, this.pluginConfig.length);
    this.root.configBuffer = null;
    if (this.vm.failed || okConf === 0) throw new Error(`${this.name}: Unable to configure Wasm plugin (proxy_on_configure returned false)${this.logTail()}`);
  }

  private logTail(): string {
    const l = this.logEntries.slice(-20).map((e) => `  [${e.level}] ${e.message}`).join("\n");
    return l ? `\nplugin logs:\n${l}` : "";
  }

  /** Called before each stream: FAIL_RELOAD replaces a failed VM (Envoy reloads with backoff;
   * host-test reloads at once). */
  prepareForStream(): void {
    if (this.failed && this.failurePolicy === "FAIL_RELOAD") {
      this.log("warn", "reloading failed Wasm VM (FAIL_RELOAD)");
      this.start();
    }
  }

  // ---- inspection --------------------------------------------------------------------------
  /** Logs at `level` or above (default all that passed the configured log level). */
  logs(level?: LogLevel): string[] {
    const min = level ? logLevelNumber(level) : 0;
    return this.logEntries.filter((e) => logLevelNumber(e.level) >= min && (!level || e.level === level)).map((e) => e.message);
  }
  get metrics() {
    const find = (name: string) => this.metricsByName.get(name) ?? this.metricsByName.get(name.replace(/^wasmcustom\./, ""));
    return {
      counter: (name: string): number | undefined => { const m = find(name); return m && m.type === MetricType.Counter ? Number(m.value) : undefined; },
      gauge: (name: string): number | undefined => { const m = find(name); return m && m.type === MetricType.Gauge ? Number(m.value) : undefined; },
      histogram: (name: string): number[] | undefined => { const m = find(name); return m && m.type === MetricType.Histogram ? m.records.map(Number) : undefined; },
      /** All metrics by Envoy stat name (custom stats are prefixed with `wasmcustom.`). */
      all: (): Record<string, number | number[]> => {
        const o: Record<string, number | number[]> = {};
        for (const m of this.metricsByName.values()) o[`wasmcustom.${m.name}`] = m.type === MetricType.Histogram ? m.records.map(Number) : Number(m.value);
        return o;
      },
    };
  }
  get sharedData(): Record<string, string> { return sharedData.snapshot(this.vmId); }

  /** Low-level, proxytest-like stream on this plugin alone. */
  newStream(opts: { properties?: Record<string, PropertyValue> } = {}): StreamTester { return createStreamTester(this, opts); }

  /** Advances the clock by `ms` and fires proxy_on_tick for every elapsed tick period. */
  tick(ms?: number): void {
    const step = ms ?? this.tickPeriodMs;
    this.manualNowNs += BigInt(Math.round(step)) * 1_000_000n;
    if (this.tickPeriodMs <= 0) return;
    this.sinceTickMs += step;
    let n = 0;
    while (this.sinceTickMs >= this.tickPeriodMs && n++ < 10_000) {
      this.sinceTickMs -= this.tickPeriodMs;
      this.vm.call(this.root, "proxy_on_tick", this.root.id);
    }
  }
  /** Real-time mode for a gateway: fire on_tick from a timer; returns a stop function. */
  startRealTimeTicks(): () => void {
    if (this.realTimer) clearInterval(this.realTimer);
    const every = 10;
    this.realTimer = setInterval(() => this.tick(every), every);
    this.realTimer.unref?.();
    return () => { if (this.realTimer) clearInterval(this.realTimer); this.realTimer = null; };
  }

  /** Resolves when every in-flight callout (http/grpc) has completed and been delivered. */
  async settle(maxRounds = 100): Promise<void> {
    for (let i = 0; i < maxRounds && this.inflight.size; i++) await Promise.all([...this.inflight]);
    await new Promise((r) => setImmediate(r));
  }
  get pendingCallouts(): number { return this.inflight.size; }
  track(p: Promise<void>): void { this.inflight.add(p); p.finally(() => this.inflight.delete(p)); }

  log(level: LogLevel, message: string): void {
    if (logLevelNumber(level) < logLevelNumber(this.logLevel)) return;
    this.logEntries.push({ level, message });
    if (this.options.printLogs) process.stderr.write(`[${level}] wasm log ${this.name} ${this.rootId} ${this.vmId}: ${message}\n`);
  }

  onQueueReady(contextId: number, token: number): void {
    if (this.vm.failed || contextId !== this.root.id) return;
    this.vm.call(this.root, "proxy_on_queue_ready", this.root.id, token);
  }

  // ---- host functions ----------------------------------------------------------------------
  /** The context host calls act on: the effective context if set, else the running one. */
  private ctx(): RootContext | FilterContext {
    const vm = this.vm;
    if (vm.effectiveId !== 0) {
      const c = this.contexts.get(vm.effectiveId);
      if (c) return c;
    }
    return (vm.current as RootContext | FilterContext | null) ?? this.root;
  }
  readonly contexts = new Map<number, RootContext | FilterContext>();

  private imports(): WebAssembly.Imports {
    const vm = () => this.vm;
    const R = WasmResult;
    const str = (p: number, n: number) => vm().readString(p, n);
    const bytes = (p: number, n: number) => vm().read(p, n);
    const mapOf = (type: number, mutable: boolean): HeaderMap | null | undefined => {
      const c = this.ctx();
      if (type === HeaderMapType.HttpCallResponseHeaders || type === HeaderMapType.HttpCallResponseTrailers) {
        // Envoy reads these from the root context's in-flight response (context.cc getConstMap).
        if (mutable) return null;
        const r = this.root.httpCallResponse;
        return r ? (type === HeaderMapType.HttpCallResponseHeaders ? r.headers : r.trailers) : null;
      }
      if (type === HeaderMapType.GrpcReceiveInitialMetadata) return mutable ? null : this.root.grpcInitial;
      if (type === HeaderMapType.GrpcReceiveTrailingMetadata) return mutable ? null : this.root.grpcTrailing;
      if (c instanceof FilterContext) return c.getMap(type, mutable);
      return null;
    };
    const env: Record<string, Function> = {
      proxy_log: (level: number, p: number, n: number) => {
        const m = str(p, n); if (m === null) return R.InvalidMemoryAccess;
        if (level > 5) return R.BadArgument;
        this.log(LOG_LEVELS[level], m); return R.Ok;
      },
      proxy_get_status: (codePtr: number, pp: number, sp: number) => {
        const s = this.root.status;
        if (!vm().setU32(codePtr, s.code)) return R.InvalidMemoryAccess;
        return vm().writeOut(s.message, pp, sp);
      },
      proxy_set_property: (kp: number, ks: number, vp: number, vs: number) => {
        const k = str(kp, ks), v = bytes(vp, vs);
        if (k === null || !v) return R.InvalidMemoryAccess;
        const c = this.ctx();
        if (!(c instanceof FilterContext)) return R.NotFound; // no stream info on the root context
        return c.setProperty(k, v);
      },
      proxy_get_property: (kp: number, ks: number, pp: number, sp: number) => {
        const k = bytes(kp, ks); if (!k) return R.InvalidMemoryAccess;
        const c = this.ctx();
        const r = getProperty(k, c instanceof FilterContext ? c.propertySource() : this.rootPropertySource());
        if (!r.found) return R.NotFound;
        return vm().writeOut(r.value!, pp, sp);
      },
      proxy_send_local_response: (code: number, dp: number, ds: number, bp: number, bs: number, hp: number, hs: number, grpc: number) => {
        const details = str(dp, ds), body = bytes(bp, bs), hdrs = bytes(hp, hs);
        if (details === null || !body || !hdrs) return R.InvalidMemoryAccess;
        const c = this.ctx();
        if (c instanceof FilterContext) c.sendLocalResponse(code, body, unmarshalPairs(hdrs), grpc, details);
        vm().stopNextIteration = true;
        return R.Ok;
      },
      proxy_get_shared_data: (kp: number, ks: number, pp: number, sp: number, casPtr: number) => {
        const k = str(kp, ks); if (k === null) return R.InvalidMemoryAccess;
        const r = sharedData.get(this.vmId, k);
        if (r.result !== R.Ok) return r.result;
        const w = vm().writeOut(r.value!, pp, sp); if (w !== R.Ok) return w;
        return vm().setU32(casPtr, r.cas!) ? R.Ok : R.InvalidMemoryAccess;
      },
      proxy_set_shared_data: (kp: number, ks: number, vp: number, vs: number, cas: number) => {
        const k = str(kp, ks), v = bytes(vp, vs); if (k === null || !v) return R.InvalidMemoryAccess;
        return sharedData.set(this.vmId, k, v, cas >>> 0);
      },
      proxy_register_shared_queue: (np: number, ns: number, tp: number) => {
        const n = str(np, ns); if (n === null) return R.InvalidMemoryAccess;
        // cpp-host context.cc: onQueueReady goes to the root context (parent for a stream context).
        const t = sharedQueues.register(this.vmId, n, this, this.root.id);
        return vm().setU32(tp, t) ? R.Ok : R.InvalidMemoryAccess;
      },
      proxy_resolve_shared_queue: (vp: number, vs: number, np: number, ns: number, tp: number) => {
        const v = str(vp, vs), n = str(np, ns); if (v === null || n === null) return R.InvalidMemoryAccess;
        const t = sharedQueues.resolve(v === "" ? this.vmId : v, n);
        if (t === 0 || vm().failed) return R.NotFound;
        return vm().setU32(tp, t) ? R.Ok : R.InvalidMemoryAccess;
      },
      proxy_dequeue_shared_queue: (t: number, pp: number, sp: number) => {
        const r = sharedQueues.dequeue(t >>> 0); if (r.result !== R.Ok) return r.result;
        return vm().writeOut(r.value!, pp, sp);
      },
      proxy_enqueue_shared_queue: (t: number, p: number, n: number) => {
        const d = bytes(p, n); if (!d) return R.InvalidMemoryAccess;
        return sharedQueues.enqueue(t >>> 0, d);
      },
      proxy_get_header_map_value: (type: number, kp: number, ks: number, pp: number, sp: number) => {
        if (type > HEADER_MAP_MAX) return R.BadArgument;
        const k = str(kp, ks); if (k === null) return R.InvalidMemoryAccess;
        const m = mapOf(type, false);
        if (!m) {
          // Context::getHeaderMapValue: in the access-log phase a missing map is NotFound (0.2.x).
          const c = this.ctx();
          return c instanceof FilterContext && c.inLog ? R.NotFound : R.BadArgument;
        }
        const v = m.get(k); // first value only (Envoy TODO: security issue for repeated headers)
        if (v === undefined) return R.NotFound;
        return vm().writeOut(v, pp, sp);
      },
      proxy_add_header_map_value: (type: number, kp: number, ks: number, vp: number, vs: number) => {
        if (type > HEADER_MAP_MAX) return R.BadArgument;
        const k = str(kp, ks), v = str(vp, vs); if (k === null || v === null) return R.InvalidMemoryAccess;
        const m = mapOf(type, true); if (!m) return R.BadArgument;
        m.add(k, v); this.touched(type); return R.Ok;
      },
      proxy_replace_header_map_value: (type: number, kp: number, ks: number, vp: number, vs: number) => {
        if (type > HEADER_MAP_MAX) return R.BadArgument;
        const k = str(kp, ks), v = str(vp, vs); if (k === null || v === null) return R.InvalidMemoryAccess;
        const m = mapOf(type, true); if (!m) return R.BadArgument;
        m.setCopy(k, v); this.touched(type); return R.Ok;
      },
      proxy_remove_header_map_value: (type: number, kp: number, ks: number) => {
        if (type > HEADER_MAP_MAX) return R.BadArgument;
        const k = str(kp, ks); if (k === null) return R.InvalidMemoryAccess;
        const m = mapOf(type, true); if (!m) return R.BadArgument;
        m.remove(k); this.touched(type); return R.Ok;
      },
      proxy_get_header_map_pairs: (type: number, pp: number, sp: number) => {
        if (type > HEADER_MAP_MAX) return R.BadArgument;
        const m = mapOf(type, false);
        const pairs = m ? m.entries : []; // marshalled at once: no copy of the entries first
        return vm().writeOut(pairs.length ? marshalPairs(pairs) : new Uint8Array(0), pp, sp);
      },
      proxy_set_header_map_pairs: (type: number, p: number, n: number) => {
        if (type > HEADER_MAP_MAX) return R.BadArgument;
        const d = bytes(p, n); if (!d) return R.InvalidMemoryAccess;
        const m = mapOf(type, true); if (!m) return R.BadArgument;
        m.replaceAll(unmarshalPairs(d)); this.touched(type); return R.Ok;
      },
      proxy_get_header_map_size: (type: number, out: number) => {
        if (type > HEADER_MAP_MAX) return R.BadArgument;
        const m = mapOf(type, true); if (!m) return R.BadArgument;
        return vm().setU32(out, m.byteSize()) ? R.Ok : R.InvalidMemoryAccess;
      },
      proxy_get_buffer_status: (type: number, lp: number, fp: number) => {
        if (type > BUFFER_TYPE_MAX) return R.BadArgument;
        const data = this.bufferData(type); if (!data) return R.NotFound;
        if (!vm().setU32(lp, data.length) || !vm().setU32(fp, 0)) return R.InvalidMemoryAccess;
        return R.Ok;
      },
      proxy_get_buffer_bytes: (type: number, start: number, length: number, pp: number, sp: number) => {
        if (type > BUFFER_TYPE_MAX) return R.BadArgument;
        const data = this.bufferData(type); if (!data) return R.NotFound;
        start >>>= 0; length >>>= 0;
        if (start > data.length) length = 0; else if (start + length > data.length) length = data.length - start;
        if (length === 0) return vm().setU32(pp, 0) && vm().setU32(sp, 0) ? R.Ok : R.InvalidMemoryAccess;
        return vm().writeOut(data.subarray(start, start + length), pp, sp);
      },
      proxy_set_buffer_bytes: (type: number, start: number, length: number, p: number, n: number) => {
        if (type > BUFFER_TYPE_MAX) return R.BadArgument;
        if (!this.bufferData(type)) return R.NotFound;
        const d = bytes(p, n); if (!d) return R.InvalidMemoryAccess;
        const c = this.ctx();
        // Only the HTTP bodies are writable (Context::setBuffer); the others are BadArgument.
        if ((type !== BufferType.HttpRequestBody && type !== BufferType.HttpResponseBody) || !(c instanceof FilterContext)) return R.BadArgument;
        return c.setBody(type, start >>> 0, length >>> 0, d);
      },
      proxy_http_call: (up: number, us: number, hp: number, hs: number, bp: number, bs: number, tp: number, ts: number, timeout: number, tokPtr: number) => {
        const cluster = str(up, us), h = bytes(hp, hs), body = bytes(bp, bs), t = bytes(tp, ts);
        if (cluster === null || !h || !body || !t) return R.InvalidMemoryAccess;
        if (!vm().setU32(tokPtr, 0)) return R.InvalidMemoryAccess;
        const r = this.httpCall(cluster, unmarshalPairs(h), body, unmarshalPairs(t), timeout | 0);
        if (r.result === R.Ok) vm().setU32(tokPtr, r.token!);
        return r.result;
      },
      proxy_grpc_call: (sp: number, ss: number, snp: number, sns: number, mp: number, ms: number, ip: number, is: number, rp: number, rs: number, timeout: number, tokPtr: number) => {
        const svc = bytes(sp, ss), sn = str(snp, sns), m = str(mp, ms), md = bytes(ip, is), req = bytes(rp, rs);
        if (!svc || sn === null || m === null || !md || !req) return R.InvalidMemoryAccess;
        const r = this.grpcCall(svc, sn, m, unmarshalPairs(md), req, timeout >>> 0);
        if (r.result !== R.Ok) return r.result;
        return vm().setU32(tokPtr, r.token!) ? R.Ok : R.InvalidMemoryAccess;
      },
      // gRPC streams are not simulated: Envoy would need a real gRPC cluster.
      proxy_grpc_stream: () => R.Unimplemented,
      proxy_grpc_send: (tok: number) => (tok % 2 === 1 ? R.BadArgument : R.NotFound),
      proxy_grpc_close: (tok: number) => this.grpcCancel(tok >>> 0),
      proxy_grpc_cancel: (tok: number) => this.grpcCancel(tok >>> 0),
      proxy_set_tick_period_milliseconds: (ms: number) => { this.tickPeriodMs = ms >>> 0; this.sinceTickMs = 0; return R.Ok; },
      proxy_get_current_time_nanoseconds: (out: number) => (vm().setU64(out, this.nowNs()) ? R.Ok : R.InvalidMemoryAccess),
      proxy_define_metric: (type: number, np: number, ns: number, out: number) => {
        const n = str(np, ns); if (n === null) return R.InvalidMemoryAccess;
        if (type > MetricType.Histogram) return R.BadArgument;
        let m = this.metricsByName.get(n);
        let id: number;
        // Envoy keeps one stat per name; each define returns a fresh id pointing at it.
        this.nextMetricId[type] += METRIC_ID_INCREMENT;
        id = this.nextMetricId[type];
        if (!m || m.type !== type) { m = { type, name: n, value: 0n, records: [] }; this.metricsByName.set(n, m); }
        this.metricsById.set(id, m);
        return vm().setU32(out, id) ? R.Ok : R.InvalidMemoryAccess;
      },
      proxy_increment_metric: (id: number, delta: bigint) => {
        const type = id & METRIC_TYPE_MASK, m = this.metricsById.get(id >>> 0);
        if (type === MetricType.Counter) {
          if (!m) return R.NotFound;
          if (delta <= 0n) return R.BadArgument; // Envoy: counters only go up
          m.value += delta; return R.Ok;
        }
        if (type === MetricType.Gauge) { if (!m) return R.NotFound; m.value += delta; return R.Ok; }
        return R.BadArgument;
      },
      proxy_record_metric: (id: number, value: bigint) => {
        const m = this.metricsById.get(id >>> 0); if (!m) return R.NotFound;
        const v = BigInt.asUintN(64, value);
        if (m.type === MetricType.Counter) m.value += v;
        else if (m.type === MetricType.Gauge) m.value = v;
        else m.records.push(v);
        return R.Ok;
      },
      proxy_get_metric: (id: number, out: number) => {
        const type = id & METRIC_TYPE_MASK, m = this.metricsById.get(id >>> 0);
        if (type === MetricType.Histogram) return R.BadArgument;
        if (!m) return R.NotFound;
        return vm().setU64(out, m.value) ? R.Ok : R.InvalidMemoryAccess;
      },
      proxy_set_effective_context: (id: number) => {
        if (!this.contexts.has(id >>> 0)) return R.BadArgument;
        vm().effectiveId = id >>> 0; return R.Ok;
      },
      proxy_done: () => R.NotFound, // no context is waiting for proxy_done in host-test
      proxy_call_foreign_function: (np: number, ns: number, ap: number, as: number, rp: number, rs: number) => {
        const n = str(np, ns), a = bytes(ap, as); if (n === null || !a) return R.InvalidMemoryAccess;
        const f = this.options.foreignFunctions?.[n]; if (!f) return R.NotFound;
        const res = f(a) ?? new Uint8Array(0);
        if (rp !== 0) return vm().writeOut(res, rp, rs);
        return R.Ok;
      },
      proxy_continue_stream: (type: number) => {
        if (type > STREAM_TYPE_MAX) return R.BadArgument;
        const c = this.ctx();
        return c instanceof FilterContext ? c.continueStream(type) : R.Ok;
      },
      proxy_close_stream: (type: number) => {
        if (type > STREAM_TYPE_MAX) return R.BadArgument;
        const c = this.ctx();
        return c instanceof FilterContext ? c.closeStream(type) : R.Ok;
      },
    };
    if (this.abi === "0.2.1") {
      env.proxy_get_log_level = (out: number) => (vm().setU32(out, logLevelNumber(this.logLevel)) ? R.Ok : R.InvalidMemoryAccess);
    }
    const wasi: Record<string, Function> = {
      proc_exit: (code: number) => { throw new ProcExit(code); },
      fd_write: (fd: number, iovs: number, n: number, written: number) => {
        if (fd !== 1 && fd !== 2) return 8; // EBADF
        let s = "";
        const dv = new DataView(vm().memory.buffer);
        for (let i = 0; i < n; i++) {
          const p = dv.getUint32(iovs + i * 8, true), l = dv.getUint32(iovs + i * 8 + 4, true);
          const b = vm().read(p, l); if (!b) return 21; // EFAULT
          s += fromUtf8(b);
        }
        // cpp-host writevImpl: stdout logs at info, stderr at error.
        this.log(fd === 1 ? "info" : "error", s);
        vm().setU32(written, Buffer.byteLength(s));
        return 0;
      },
      fd_read: () => 52, fd_seek: () => 29, fd_close: () => 52, fd_fdstat_get: () => 0,
      fd_fdstat_set_flags: () => 52, fd_prestat_get: () => 8, fd_prestat_dir_name: () => 52,
      fd_filestat_get: () => 8, path_open: () => 44, path_filestat_get: () => 44,
      environ_sizes_get: (cp: number, sp: number) => { vm().setU32(cp, 0); vm().setU32(sp, 0); return 0; },
      environ_get: () => 0,
      args_sizes_get: (cp: number, sp: number) => { vm().setU32(cp, 0); vm().setU32(sp, 0); return 0; },
      args_get: () => 0,
      clock_time_get: (_id: number, _prec: bigint, out: number) => (vm().setU64(out, this.nowNs()) ? 0 : 21),
      clock_res_get: (_id: number, out: number) => (vm().setU64(out, 1n) ? 0 : 21),
      random_get: (p: number, n: number) => {
        if (!vm().inBounds(p, n)) return 21;
        crypto.getRandomValues(new Uint8Array(vm().memory.buffer, p, n)); return 0;
      },
      sched_yield: () => 0, poll_oneoff: () => 52,
    };
    return { env: env as any, wasi_snapshot_preview1: wasi as any, wasi_unstable: wasi as any };
  }

  private touched(type: number): void {
    const c = this.ctx();
    if (type === HeaderMapType.RequestHeaders && c instanceof FilterContext) c.requestHeadersChanged();
  }

  /** The bytes of a buffer the running context can see, or null (NotFound). A plain lookup, no
   *  objects made per host call: a streamed body asks for every chunk. */
  private bufferData(type: number): Uint8Array | null {
    switch (type) {
      case BufferType.VmConfiguration: return this.vmConfig;
      case BufferType.PluginConfiguration: return this.root.configBuffer;
      case BufferType.HttpCallResponseBody: return this.root.httpCallResponse?.body ?? null;
      case BufferType.GrpcReceiveBuffer: return this.root.grpcReceive;
      case BufferType.HttpRequestBody: case BufferType.HttpResponseBody: {
        const c = this.ctx();
        return c instanceof FilterContext ? c.bodyData(type) : null;
      }
      default: return null;
    }
  }

  rootPropertySource() {
    const p = this;
    return {
      lookup(d: string): PropertyValue | undefined {
        if (p.options.properties && d in p.options.properties) return p.options.properties[d];
        return p.pluginProperty(d);
      },
    };
  }
  pluginProperty(d: string): PropertyValue | undefined {
    switch (d) {
      case "plugin_name": return this.name;
      case "plugin_root_id": return this.rootId;
      case "plugin_vm_id": return this.vmId;
      case "node.id": return this.options.nodeId ?? "host-test";
      case "listener_direction": return 1; // INBOUND
    }
    return undefined;
  }

  // ---- callouts ----------------------------------------------------------------------------
  private httpCall(cluster: string, headers: Pairs, body: Uint8Array, trailers: Pairs, timeoutMs: number): { result: number; token?: number } {
    // Envoy context.cc httpCall: negative timeout, unknown cluster, or missing :path/:method/
    // :authority are BadArgument. timeout 0 means no timeout.
    if (timeoutMs < 0) return { result: WasmResult.BadArgument };
    const target = this.options.clusters?.[cluster];
    if (target === undefined) return { result: WasmResult.BadArgument };
    const h = new HeaderMap(headers);
    if (!h.get(":path") || !h.get(":method") || !h.get(":authority")) return { result: WasmResult.BadArgument };
    if (body.length) h.set("content-length", String(body.length));
    const token = this.nextHttpToken++;
    const rec: HttpCallRecord = { token, cluster, headers: h, body, trailers, timeoutMs, done: Promise.resolve(), settled: false };
    this.httpCalls.push(rec);
    const req: ClusterRequest = {
      method: h.get(":method")!, path: h.get(":path")!, authority: h.get(":authority")!, headers: h.toObject(), headerPairs: h.pairs(),
      body: fromUtf8(body), bodyBytes: body, trailers,
    };
    const run = async (): Promise<ClusterResponse | "reset" | "timeout"> => {
      const call = typeof target === "string" ? realHttp(target, req, timeoutMs) : Promise.resolve().then(() => target(req));
      const guarded = call.catch(() => "reset" as const);
      if (timeoutMs <= 0) return guarded;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const to = new Promise<"timeout">((r) => { timer = setTimeout(() => r("timeout"), timeoutMs); });
      const r = await Promise.race([guarded, to]);
      clearTimeout(timer);
      return r;
    };
    rec.done = run().then((r) => this.deliverHttpCall(rec, r));
    this.track(rec.done);
    return { result: WasmResult.Ok, token };
  }

  private deliverHttpCall(rec: HttpCallRecord, r: ClusterResponse | "reset" | "timeout"): void {
    rec.settled = true;
    if (this.vm.failed) return;
    if (r === "reset") {
      // Context::onHttpCallFailure: status BrokenConnection "reset", callback with no headers.
      rec.response = null;
      this.root.status = { code: WasmResult.BrokenConnection, message: "reset" };
      this.vm.call(this.root, "proxy_on_http_call_response", this.root.id, rec.token, 0, 0, 0);
      this.root.status = { code: 0, message: "" };
      return;
    }
    // A timeout is answered by Envoy's router inside the async client as a local 504 reply,
    // which reaches the plugin through onSuccess like any response.
    const resp: ClusterResponse = r === "timeout" ? { status: 504, headers: { "content-type": "text/plain" }, body: "upstream request timeout" } : r;
    const headers = new HeaderMap([[":status", String(resp.status ?? 200)]]);
    for (const [k, v] of toPairs(resp.headers)) headers.add(k, v);
    const body = typeof resp.body === "string" ? utf8(resp.body) : resp.body ?? new Uint8Array(0);
    if (!headers.has("content-length") && r !== "timeout") headers.add("content-length", String(body.length));
    const trailers = new HeaderMap(toPairs(resp.trailers));
    rec.response = { headers, body, trailers };
    this.root.httpCallResponse = rec.response;
    this.vm.call(this.root, "proxy_on_http_call_response", this.root.id, rec.token, headers.size, body.length, trailers.size);
    this.root.httpCallResponse = null;
  }

  private grpcCall(service: Uint8Array, serviceName: string, method: string, metadata: Pairs, message: Uint8Array, timeoutMs: number): { result: number; token?: number } {
    const cluster = grpcClusterName(service, this.options.grpcClusters ?? {});
    if (cluster === null) return { result: WasmResult.ParseFailure };
    const target = this.options.grpcClusters?.[cluster];
    if (!target) return { result: WasmResult.ParseFailure };
    const handler = typeof target === "string" ? grpcUpstream(target) : target;
    const token = this.nextGrpcToken; this.nextGrpcToken += 2; // call tokens are odd in Envoy
    const request: GrpcRequest = { cluster, service: serviceName, method, metadata, message };
    const rec = { token, request, cancelled: false };
    this.grpcCalls.push(rec);
    const p = (async () => {
      let res: GrpcResponse;
      try {
        const call = Promise.resolve().then(() => handler(request));
        res = timeoutMs > 0
          ? await Promise.race([call, new Promise<GrpcResponse>((r) => setTimeout(() => r({ status: 4, message: "Deadline Exceeded" }), timeoutMs))])
          : await call;
      } catch (e) { res = { status: 14, message: e instanceof Error ? e.message : String(e) }; }
      if (rec.cancelled || this.vm.failed) return;
      const status = res.status ?? 0;
      if (res.initialMetadata?.length) {
        this.root.grpcInitial = new HeaderMap(res.initialMetadata);
        this.vm.call(this.root, "proxy_on_grpc_receive_initial_metadata", this.root.id, token, this.root.grpcInitial.size);
        this.root.grpcInitial = null;
      }
      if (status === 0 && res.response !== undefined) {
        this.root.grpcReceive = typeof res.response === "string" ? utf8(res.response) : res.response;
        this.vm.call(this.root, "proxy_on_grpc_receive", this.root.id, token, this.root.grpcReceive.length);
        this.root.grpcReceive = null;
      }
      if (res.trailingMetadata?.length) {
        this.root.grpcTrailing = new HeaderMap(res.trailingMetadata);
        this.vm.call(this.root, "proxy_on_grpc_receive_trailing_metadata", this.root.id, token, this.root.grpcTrailing.size);
        this.root.grpcTrailing = null;
      }
      if (status !== 0) {
        this.root.status = { code: status, message: res.message ?? "" };
        this.vm.call(this.root, "proxy_on_grpc_close", this.root.id, token, status);
        this.root.status = { code: 0, message: "" };
      }
    })();
    this.track(p);
    return { result: WasmResult.Ok, token };
  }

  private grpcCancel(token: number): number {
    const rec = this.grpcCalls.find((g) => g.token === token && !g.cancelled);
    if (token % 2 === 0) return WasmResult.NotFound; // streams are not simulated
    if (!rec) return WasmResult.NotFound;
    rec.cancelled = true;
    return WasmResult.Ok;
  }
}

/** Parses Envoy's GrpcService proto (field 1 envoy_grpc { field 1 cluster_name }) or accepts a
 * bare cluster name, as newer Envoy does for proxy_grpc_call. */
function grpcClusterName(service: Uint8Array, clusters: Record<string, unknown>): string | null {
  const asText = fromUtf8(service);
  if (asText in clusters) return asText;
  if (service[0] !== 0x0a) return null;
  const [innerLen, o1] = varint(service, 1);
  const inner = service.subarray(o1, o1 + innerLen);
  if (inner[0] !== 0x0a) return null;
  const [nameLen, o2] = varint(inner, 1);
  return fromUtf8(inner.subarray(o2, o2 + nameLen));
}
function varint(b: Uint8Array, off: number): [number, number] {
  let v = 0, shift = 0;
  while (off < b.length) { const x = b[off++]; v |= (x & 0x7f) << shift; if (!(x & 0x80)) break; shift += 7; }
  return [v, off];
}

export function toPairs(h: Record<string, string | string[]> | Pairs | undefined): Pairs {
  if (!h) return [];
  if (Array.isArray(h)) return h;
  const out: Pairs = [];
  for (const [k, v] of Object.entries(h)) for (const x of Array.isArray(v) ? v : [v]) out.push([k.toLowerCase(), String(x)]);
  return out;
}

function toBytes(v: unknown): Uint8Array {
  if (v === undefined || v === null) return new Uint8Array(0);
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string") return utf8(v);
  return utf8(JSON.stringify(v));
}

/** http_call to a cluster given as a real base URL. */
async function realHttp(base: string, req: ClusterRequest, timeoutMs: number): Promise<ClusterResponse> {
  const headers: Record<string, string> = {};
  for (const [k, v] of req.headerPairs) if (!k.startsWith(":") && k !== "content-length" && k !== "host") headers[k] = v;
  headers.host = req.authority;
  const res = await fetch(new URL(req.path, base), {
    method: req.method, headers, body: req.bodyBytes.length ? Buffer.from(req.bodyBytes) : undefined,
    signal: timeoutMs > 0 ? AbortSignal.timeout(timeoutMs + 1000) : undefined,
  });
  const body = new Uint8Array(await res.arrayBuffer());
  const h: Pairs = [];
  res.headers.forEach((v, k) => h.push([k, v]));
  return { status: res.status, headers: h, body };
}

/** Loads a compiled proxy-wasm module and starts it (vm_start + configure) like Envoy. */
export async function loadPlugin(wasm: string | Uint8Array | WebAssembly.Module, options: PluginOptions = {}): Promise<Plugin> {
  const module = wasm instanceof WebAssembly.Module ? wasm
    : await WebAssembly.compile(typeof wasm === "string" ? readFileSync(wasm) : Buffer.from(wasm));
  const p = new Plugin(module, options);
  p.start();
  return p;
}
