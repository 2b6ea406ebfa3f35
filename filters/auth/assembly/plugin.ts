// The plugin (root context): the compiled configuration, key sets, the token cache, metrics,
// the JWKS timer, and the streams waiting for a first key set.
import {
  RootContext, HttpContext, proxy_set_effective_context, setTickPeriod, nowNanos, logCritical, logInfo, logWarn,
} from "../../common/sdk";
import { parseConfig } from "./config";
import { ApiKeyStore } from "./apikey";
import { KeySet } from "./jwk";
import { RemoteKeys } from "./jwks";
import { AuthMetrics } from "./metrics";
import { AuthConfig, CredentialSource, SourceKind } from "./model";
import { TokenCache } from "./token-cache";
import { AuthStream, normalizeHeaderName } from "./stream";

/** One place a credential may be read from, with who reads it there. */
export class SourcePlan {
  apiKey: bool = false;
  providers: Array<i32> = new Array<i32>(0);
  constructor(public source: CredentialSource) {}
}

function sameSource(a: CredentialSource, b: CredentialSource): bool {
  return a.kind == b.kind && a.name == b.name && a.prefix.toLowerCase() == b.prefix.toLowerCase();
}

export function nowMillis(): i64 { return <i64>(nowNanos() / 1_000_000); }

/** Base tick period with a remote JWKS: refreshes, retries, adopting sets other VMs fetched. */
const BASE_TICK_MS: i64 = 1000;

export class AuthPlugin extends RootContext {
  cfg: AuthConfig | null = null;
  store: ApiKeyStore = new ApiKeyStore();
  keys: Array<KeySet | null> = new Array<KeySet | null>(0);
  remotes: Array<RemoteKeys | null> = new Array<RemoteKeys | null>(0);
  cache: TokenCache = new TokenCache(0);
  metrics: AuthMetrics = new AuthMetrics();
  plans: Array<SourcePlan> = new Array<SourcePlan>(0);
  /** Incoming headers always removed: the identity headers this filter sets. */
  strip: Array<string> = new Array<string>(0);
  /** Every header this filter owns (identity and credential headers), lower case with `_` as `-`:
   *  other spellings of them are removed from requests (stream.ts stripVariants). */
  ownedNormalized: Array<string> = new Array<string>(0);
  /** An owned header is configured with `_`: its `-` spelling is a variant too. */
  ownsUnderscoreName: bool = false;
  /** Exact names of the configured credential headers. */
  credentialHeaders: Array<string> = new Array<string>(0);
  needRoute: bool = false;
  waiting: Array<AuthStream> = new Array<AuthStream>(0);
  /** Tick period last set (0: no ticks). Shortened while a held request's deadline is nearer. */
  tickMs: i64 = 0;

  onConfigure(configuration: ArrayBuffer): bool {
    const parsed = parseConfig(Uint8Array.wrap(configuration));
    if (parsed.config === null) {
      logCritical("auth: configuration rejected: " + parsed.error);
      return false;
    }
    const cfg = parsed.config!;
    this.cfg = cfg;
    this.store = parsed.keyStore;
    this.keys = parsed.inlineKeys;
    this.plans = new Array<SourcePlan>(0);
    const ak = cfg.apiKeys;
    if (ak !== null) for (let i = 0; i < ak.sources.length; i++) this.plan(ak.sources[i]).apiKey = true;
    let cacheSize = 0;
    let anyRemote = false;
    this.remotes = new Array<RemoteKeys | null>(0);
    for (let i = 0; i < cfg.providers.length; i++) {
      const p = cfg.providers[i];
      for (let j = 0; j < p.sources.length; j++) {
        const plan = this.plan(p.sources[j]);
        if (!plan.providers.includes(i)) plan.providers.push(i);
      }
      cacheSize = max(cacheSize, p.cacheEntries);
      for (let j = 0; j < i; j++) {
        if (cfg.providers[j].consumerPrefix != p.consumerPrefix) continue;
        // Two issuers naming consumers alike: one's subject `alice` is the other's alice (her
        // groups, tenant, quota and cached answers). Legitimate for one user base behind two
        // issuers; otherwise a consumer_prefix keeps them apart.
        logWarn("auth: providers `" + cfg.providers[j].name + "` and `" + p.name + "` share consumer names (same `consumer_prefix`): a subject of one is the same consumer as the other's; set `consumer_prefix` unless both issue for the same users");
        break;
      }
      const r = p.remote;
      if (r !== null) {
        anyRemote = true;
        const rk = new RemoteKeys(p.name, r);
        this.remotes.push(rk);
        if (rk.adoptShared()) this.keys[i] = rk.keys;
      } else this.remotes.push(null);
    }
    this.cache = new TokenCache(cacheSize);
    this.strip = new Array<string>(0);
    this.strip.push(cfg.consumerHeader);
    for (let i = 0; i < cfg.stripHeaders.length; i++) this.addStrip(cfg.stripHeaders[i]);
    for (let i = 0; i < cfg.providers.length; i++) {
      const hs = cfg.providers[i].claimHeaders;
      for (let j = 0; j < hs.length; j++) this.addStrip(hs[j].header);
    }
    this.ownedNormalized = new Array<string>(0);
    this.ownsUnderscoreName = false;
    this.credentialHeaders = new Array<string>(0);
    for (let i = 0; i < this.strip.length; i++) this.own(this.strip[i]);
    for (let i = 0; i < this.plans.length; i++) {
      const s = this.plans[i].source;
      if (s.kind != SourceKind.HEADER) continue;
      this.own(s.name);
      if (!this.credentialHeaders.includes(s.name)) this.credentialHeaders.push(s.name);
    }
    this.needRoute = false;
    for (let i = 0; i < cfg.rules.length; i++) if (cfg.rules[i].route.length > 0) this.needRoute = true;
    if (anyRemote) {
      this.setTick(BASE_TICK_MS);
      this.fetchDue();
    }
    logInfo("auth: configured: " + this.store.size.toString() + " API keys, " + cfg.providers.length.toString() + " JWT providers, " +
      cfg.rules.length.toString() + " rules");
    return true;
  }

  private own(h: string): void {
    if (h.indexOf("_") >= 0) this.ownsUnderscoreName = true;
    const n = normalizeHeaderName(h);
    if (!this.ownedNormalized.includes(n)) this.ownedNormalized.push(n);
  }

  private addStrip(h: string): void { if (!this.strip.includes(h)) this.strip.push(h); }

  private plan(s: CredentialSource): SourcePlan {
    for (let i = 0; i < this.plans.length; i++) if (sameSource(this.plans[i].source, s)) return this.plans[i];
    const p = new SourcePlan(s);
    this.plans.push(p);
    return p;
  }

  newHttpContext(id: u32): HttpContext { return new AuthStream(id, this); }

  private fetchDue(): void {
    const now = nowMillis();
    for (let i = 0; i < this.remotes.length; i++) {
      const r = this.remotes[i];
      if (r !== null) r.maybeFetch(this.id, now);
    }
  }

  /** A stream needs provider `i`'s keys now: adopt a published set or start a fetch. */
  ensureKeys(i: i32): void {
    const r = this.remotes[i];
    if (r === null) return;
    if (r.adoptShared()) { this.keysChanged(i); return; }
    r.maybeFetch(this.id, nowMillis());
  }

  onTick(): void {
    for (let i = 0; i < this.remotes.length; i++) {
      const r = this.remotes[i];
      if (r !== null && r.adoptShared()) this.keysChanged(i);
    }
    this.fetchDue();
    const now = nowMillis();
    this.expireWaiting(now);
    // Envoy re-arms the timer with the current period after each tick; change it only when the
    // nearest deadline of a held request (or the end of holding) asks for another one.
    const want = this.wantedTick(now);
    if (want != this.tickMs) this.setTick(want);
  }

  private setTick(ms: i64): void {
    this.tickMs = ms;
    setTickPeriod(<u32>ms);
  }

  /** The base period, or the time to the nearest held request's deadline when that is sooner,
   *  so a request is failed at its hold_timeout_ms rather than on the next whole-second tick. */
  private wantedTick(now: i64): i64 {
    let want = BASE_TICK_MS;
    for (let i = 0; i < this.waiting.length; i++) {
      const d = this.waiting[i].deadlineMs - now;
      if (d < want) want = d < 1 ? 1 : d;
    }
    return want;
  }

  onHttpCallResponse(token: u32, headerCount: u32, bodySize: u32, trailerCount: u32): void {
    for (let i = 0; i < this.remotes.length; i++) {
      const r = this.remotes[i];
      if (r === null || !r.inflight || r.callToken != token) continue;
      const ok = r.onResponse(nowMillis(), headerCount, bodySize);
      this.metrics.jwksFetch.inc(ok ? "ok" : "failed");
      if (ok) {
        const set = r.keys!;
        for (let j = 0; j < set.skippedReasons.length; j++) this.metrics.jwksKeySkipped.inc(set.skippedReasons[j]);
        this.keysChanged(i);
      }
      else if (this.keys[i] === null) this.resumeWaiting(i, false);
      return;
    }
  }

  private keysChanged(i: i32): void {
    const r = this.remotes[i];
    if (r === null) return;
    this.keys[i] = r.keys;
    // A key removed from the set may have been revoked: re-verify cached tokens.
    this.cache.clear();
    this.resumeWaiting(i, true);
  }

  hold(s: AuthStream): void {
    if (!this.waiting.includes(s)) this.waiting.push(s);
    // proxy_set_tick_period_milliseconds restarts the timer: the next tick comes `want` from now,
    // never later than the one already due (want < the current period).
    const want = this.wantedTick(nowMillis());
    if (want < this.tickMs) this.setTick(want);
  }
  release(s: AuthStream): void {
    const i = this.waiting.indexOf(s);
    if (i >= 0) this.waiting.splice(i, 1);
  }

  private resumeWaiting(provider: i32, keysKnown: bool): void {
    const list = this.waiting;
    this.waiting = new Array<AuthStream>(0);
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (s.waitingFor != provider) { this.waiting.push(s); continue; }
      proxy_set_effective_context(s.id);
      if (keysKnown) s.resume();
      else s.failUnavailable();
    }
  }

  private expireWaiting(nowMs: i64): void {
    const list = this.waiting;
    this.waiting = new Array<AuthStream>(0);
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (nowMs < s.deadlineMs) { this.waiting.push(s); continue; }
      logWarn("auth: a request waited too long for the JWKS of provider `" + this.cfg!.providers[s.waitingFor].name + "`");
      proxy_set_effective_context(s.id);
      s.failUnavailable();
    }
  }
}
