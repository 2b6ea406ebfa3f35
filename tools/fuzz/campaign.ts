// A fuzz campaign against one compiled filter, through host-test (which behaves as Envoy's host):
// every input is either a configuration (sampled from the filter's schema.json or a mutated seed,
// through proxy_on_vm_start / proxy_on_configure) or a whole stream (request headers, a mutated
// JSON / text / binary body split anywhere, sometimes trailers; an http_call answered with junk;
// ticks; response headers and a JSON or SSE answer split anywhere, sometimes trailers; on_log,
// on_done, on_delete). A trap (or proc_exit) fails the VM: it is counted with the input that
// caused it, and the VM is started again. An exception thrown by the host itself is counted
// apart (a host-test bug, not the filter's). Input i of seed s replays alone (`replay`).
import { readFileSync } from "node:fs";
import { Plugin, seededRandom, type ClusterHandler } from "../../host-test/src/index.ts";
import { Gen, sampleConfig, stringsOf } from "./generate.ts";

/** Envoy's response code details of streams reset after the answer started (router.cc, HCM). */
const RESET_DETAILS = ["upstream_reset_after_response_started{connection_termination}", "upstream_response_timeout", "downstream_remote_disconnect", "stream_idle_timeout"];

export interface CampaignOptions {
  name: string;
  wasm: string | Uint8Array;
  /** Configurations that start the filter (the streams run on these and on accepted samples). */
  seedConfigs: Array<string | object>;
  /** The filter's schema.json (configurations are sampled from it); none: seeds are mutated only. */
  schema?: object;
  inputs: number;
  /** Index of the first input (inputs first..first+inputs-1), to narrow down a stateful finding. */
  first?: number;
  seed?: number;
  /** Stop early after this long (the result says how many inputs ran). */
  timeLimitMs?: number;
  /** Called every `progressEvery` inputs. */
  onProgress?(r: CampaignResult): void;
  progressEvery?: number;
}

export interface Finding { input: number; kind: "trap" | "host-error"; where: "configure" | "stream"; message: string; /** the configuration the stream ran on */ config?: string }
export interface CampaignResult {
  name: string; seed: number;
  inputs: number; streams: number; configs: number; configsAccepted: number;
  traps: number; hostErrors: number; findings: Finding[]; ms: number; stoppedEarly: boolean;
}

const CONFIG_SHARE = 0.05;
const POOL = 6;

function rngFor(seed: number, i: number): () => number {
  return seededRandom((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0);
}

function configText(c: string | object): string { return typeof c === "string" ? c : JSON.stringify(c); }

/** http_call answers: whatever cluster a configuration names gets a random answer. */
function anyCluster(r: () => number): Record<string, ClusterHandler> {
  const g = new Gen(r);
  const handler: ClusterHandler = () => g.pick([
    () => ({ status: 200, headers: { "content-type": "application/json" }, body: g.jsonText({ keys: [{ kty: g.pick(["RSA", "EC", "oct", "OKP"]), kid: g.text(4), n: g.text(20), e: "AQAB", crv: "P-256", x: g.text(10), y: g.text(10), alg: g.pick(["RS256", "ES256", "EdDSA"]) }] }) }),
    () => ({ status: g.pick([200, 404, 500, 503, 302]), body: g.text(30) }),
    () => ({ status: 200, headers: { "content-type": "application/json" }, body: g.jsonText(g.value()) }),
    () => { throw new Error("connection reset"); },
  ])();
  return new Proxy({}, { get: (_t, k) => (typeof k === "string" ? handler : undefined), has: () => true }) as Record<string, ClusterHandler>;
}

export class Runner {
  private module: WebAssembly.Module;
  private pool: Plugin[] = [];
  private configOf = new WeakMap<Plugin, string>(); // weak: replaced VMs must be collectable
  private dict: string[] = [];
  readonly result: CampaignResult;

  constructor(private o: CampaignOptions) {
    this.module = new WebAssembly.Module(typeof o.wasm === "string" ? readFileSync(o.wasm) : o.wasm);
    this.result = { name: o.name, seed: o.seed ?? 1, inputs: 0, streams: 0, configs: 0, configsAccepted: 0, traps: 0, hostErrors: 0, findings: [], ms: 0, stoppedEarly: false };
    for (const c of o.seedConfigs) {
      const p = this.start(configText(c), () => 0.5);
      if (!p) throw new Error(`${o.name}: seed configuration does not start the filter: ${configText(c).slice(0, 200)}`);
      this.pool.push(p);
      this.dict.push(...stringsOf(typeof c === "string" ? c : c));
    }
  }

  /** A started plugin, or null when configure refused it. A trap there is a finding. */
  private start(config: string, r: () => number, input = -1): Plugin | null {
    const p = new Plugin(this.module, { name: this.o.name, rootId: this.o.name, vmId: this.o.name, config, logLevel: "critical", clusters: anyCluster(r), failurePolicy: "FAIL_CLOSED" });
    try {
      p.start();
      this.configOf.set(p, config);
      return p;
    } catch (e) {
      if (p.failed) this.find(input, "trap", "configure", p.vm?.failure ?? String(e));
      else if (!/proxy_on_configure returned false|proxy_on_vm_start returned false/.test(String((e as Error).message))) this.find(input, "host-error", "configure", String((e as Error).stack ?? e));
      return null;
    }
  }

  private find(input: number, kind: Finding["kind"], where: Finding["where"], message: string, config?: string): void {
    if (kind === "trap") this.result.traps++; else this.result.hostErrors++;
    if (this.result.findings.length < 50) this.result.findings.push({ input, kind, where, message: message.slice(0, 1500), ...(config !== undefined ? { config } : {}) });
  }

  async input(i: number): Promise<void> {
    const r = rngFor(this.result.seed, i);
    const g = new Gen(r, this.dict);
    this.result.inputs++;
    if (g.chance(CONFIG_SHARE)) return this.configInput(i, g, r);
    return this.streamInput(i, g);
  }

  private configInput(i: number, g: Gen, r: () => number): void {
    this.result.configs++;
    let text: string;
    if (this.o.schema && g.chance(0.7)) text = g.chance(0.8) ? JSON.stringify(sampleConfig(g, this.o.schema)) : g.jsonText(sampleConfig(g, this.o.schema));
    else {
      const seed = g.pick(this.o.seedConfigs);
      text = typeof seed === "string" ? g.mutateText(seed) : g.jsonText(seed);
    }
    const p = this.start(text, r, i);
    if (!p) return;
    this.result.configsAccepted++;
    // Accepted configurations join the pool the streams run on (the seeds stay).
    if (this.pool.length < POOL) this.pool.push(p);
    else this.pool[this.o.seedConfigs.length + g.int(POOL - this.o.seedConfigs.length)] = p;
  }

  private async streamInput(i: number, g: Gen): Promise<void> {
    this.result.streams++;
    const picked = g.pick(this.pool); // drawn even on replay, so that the input's draws stay the same
    const p = this.only ?? picked;
    const bytes = (s: string | Uint8Array) => (typeof s === "string" ? Buffer.from(s, "utf8") : s);
    try {
      const s = p.newStream();
      const held = () => s.localReply !== null || s.resetReason !== null || p.failed;
      const sendBody = async (body: Uint8Array, trailers: boolean, dir: "request" | "response", cutAfter = -1) => {
        let at = 0, sent = 0;
        for (const c of [...g.cuts(body.length), body.length]) {
          if (held()) return;
          // A stream cut half-way (upstream reset, timeout, client gone): no end_of_stream ever
          // comes, the stream is reset, then the access-log phase runs (complete()).
          if (sent++ === cutAfter) { s.stream.reset(g.pick(RESET_DETAILS)); return; }
          const last = c === body.length;
          if (dir === "request") s.requestBody(body.subarray(at, c), last && !trailers); else s.responseBody(body.subarray(at, c), last && !trailers);
          at = c;
          if (g.chance(0.02)) p.tick(g.pick([1, 1000, 60_000]));
          if (p.pendingCallouts > 0) await p.settle();
        }
      };
      // request
      const ct = g.contentType();
      const body = bytes(g.pick([() => g.jsonText(g.llmRequest()), () => g.jsonText(g.llmRequest()), () => g.text(200), () => g.bytes(g.int(300)), () => "", () => g.jsonText(g.value())])());
      const reqTrailers = g.chance(0.1);
      s.requestHeaders(g.requestHeaders(ct), body.length === 0 && !reqTrailers);
      if (p.pendingCallouts > 0) await p.settle();
      if (body.length) await sendBody(body, reqTrailers, "request");
      if (reqTrailers && !held()) s.requestTrailers([["x-t", g.text(8)], ["grpc-status", "0"]]);
      if (p.pendingCallouts > 0) await p.settle();
      // response (also after a hold: Envoy would still encode an upstream answer only if the
      // request went on; a held stream ends here)
      if (!held()) {
        const sse = g.chance(0.4);
        const answer = bytes(sse ? g.sse() : g.pick([() => g.jsonText(g.llmAnswer()), () => g.text(100), () => ""])());
        const resTrailers = g.chance(0.1);
        const rh: Array<[string, string]> = [[":status", String(g.pick([200, 200, 200, 400, 401, 429, 500, 503]))], ["content-type", g.contentType(sse)]];
        if (g.chance(0.2)) rh.push(["content-encoding", g.pick(["gzip", "identity", "br"])]);
        if (g.chance(0.3)) rh.push(["content-length", String(answer.length)]);
        s.responseHeaders(rh, answer.length === 0 && !resTrailers);
        const cutAfter = g.chance(0.15) ? g.int(4) : -1;
        if (answer.length) await sendBody(answer, resTrailers, "response", cutAfter);
        if (resTrailers && !held()) s.responseTrailers([["x-usage", g.text(5)]]);
      }
      s.complete();
    } catch (e) {
      this.find(i, "host-error", "stream", String((e as Error).stack ?? e), this.configOf.get(p));
    }
    if (p.failed) {
      // An abort (a failed assertion, an index out of range in the debug build) logs why just before
      // its proc_exit (common/sdk/abort.ts), which the host logs as the VM's failure.
      const why = p.logs("critical").slice(-2).find((l) => l.startsWith("wasm abort"));
      this.find(i, "trap", "stream", `${p.vm.failure ?? "VM failed"}${why ? ` (${why})` : ""}\n${p.vm.failureStack}`, this.configOf.get(p));
      try { p.start(); } catch { this.pool = this.pool.filter((x) => x !== p); }
    }
  }

  get poolSize(): number { return this.pool.length; }
  /** Replay: streams run on this configuration's plugin only. */
  only: Plugin | null = null;
  useConfig(config: string): void { const p = this.start(config, () => 0.5); if (!p) throw new Error("the finding's configuration no longer starts the filter"); this.only = p; }
}

/** Runs `inputs` inputs (or until the time limit) and returns the counts. */
export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const t0 = Date.now();
  const run = new Runner(o);
  const every = o.progressEvery ?? 10_000;
  const first = o.first ?? 0;
  for (let i = first; i < first + o.inputs; i++) {
    if (run.poolSize === 0) break;
    await run.input(i);
    if (o.timeLimitMs !== undefined && (i & 255) === 0 && Date.now() - t0 > o.timeLimitMs) { run.result.stoppedEarly = i + 1 < o.inputs; break; }
    if (o.onProgress && (i + 1) % every === 0) { run.result.ms = Date.now() - t0; o.onProgress(run.result); }
  }
  run.result.ms = Date.now() - t0;
  return run.result;
}

/** Runs input `index` of `seed` alone (after the same seed configurations), for a reported finding. */
export async function replay(o: Omit<CampaignOptions, "inputs">, index: number, config?: string): Promise<CampaignResult> {
  const run = new Runner({ ...o, inputs: 1 });
  if (config !== undefined) run.useConfig(config);
  await run.input(index);
  return run.result;
}
