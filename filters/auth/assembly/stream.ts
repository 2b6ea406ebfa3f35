// One request through the filter: strip forged identity headers, pick the rule, find the
// credential, authenticate (possibly waiting for a first JWKS), authorize, then publish the
// identity (filter state + upstream headers) or refuse.
import {
  HttpContext, HeadersAction, DataAction, HeaderMapType, HeaderPair, getHeaderPairs, removeHeader, setHeader,
  getPropertyString, setFilterState, continueRequest, logInfo, logEnabled, LogLevel,
} from "../../common/sdk";
import { cookieValue, Extracted, Found, stripScheme, takeQueryParam } from "./credentials";
import { AuthOutcome, authenticateApiKey, authenticateJwt } from "./engine";
import { Identity, Method } from "./identity";
import { looksLikeJwt } from "./jwt";
import { Mode, Rule, SourceKind } from "./model";
import { acceptsMethod, authorize, modeOf, selectRule } from "./rules";
import { sendBadRequest, sendForbidden, sendUnauthorized, sendUnavailable } from "./reply";
import { canonicalPath, lastPathError, pathErrorName } from "../../common/assembly/route/path";
import { canonicalHost } from "../../common/assembly/route/host";
import { AuthPlugin, SourcePlan, nowMillis } from "./plugin";

const H = HeaderMapType.RequestHeaders;

class Presented {
  constructor(public plan: SourcePlan, public value: string) {}
}

export class AuthStream extends HttpContext {
  waitingFor: i32 = -1;
  deadlineMs: i64 = 0;
  private rule: Rule | null = null;
  private mode: i32 = Mode.REQUIRED;
  private presented: Presented | null = null;
  private path: string = "";
  private cookies: string | null = null;
  private done: bool = false;

  constructor(id: u32, public plugin: AuthPlugin) { super(id, plugin); }

  onRequestHeaders(headerCount: u32, endOfStream: bool): u32 {
    const cfg = this.plugin.cfg;
    if (cfg === null) return HeadersAction.Continue;
    const pairs = getHeaderPairs(H);
    let host = "";
    for (let i = 0; i < pairs.length; i++) {
      const n = pairs[i].name;
      if (n == ":path") this.path = pairs[i].value;
      else if (n == ":authority") host = pairs[i].value;
    }
    // Identity headers come only from this filter: drop any copy the client sent.
    const strip = this.plugin.strip;
    for (let i = 0; i < strip.length; i++) if (has(pairs, strip[i])) removeHeader(H, strip[i]);
    // ...and any other spelling of a header this filter owns (`x_aigw_consumer`, `X-Aigw-Consumer`):
    // CGI/WSGI-style upstreams read `_` and `-` alike (Envoy's headers_with_underscores_action).
    this.stripVariants(pairs);

    // Rules match canonical forms the filter computes itself; a spelling with no single meaning is
    // refused rather than guessed (filters/common/assembly/route/).
    const canonPath = canonicalPath(this.path);
    if (canonPath === null) return this.refuse400("invalid_path", pathErrorName(lastPathError()));
    const canonHost = canonicalHost(host);
    if (canonHost === null) return this.refuse400("invalid_host", "");

    let route = "";
    if (this.plugin.needRoute) {
      const r = getPropertyString("xds.route_name");
      if (r !== null) route = r;
    }
    this.rule = selectRule(cfg, route, cfg.caseInsensitivePaths ? canonPath!.toLowerCase() : canonPath!, canonHost!);
    this.mode = modeOf(cfg, this.rule);
    if (this.mode == Mode.OFF) {
      this.publish(Identity.anonymous(), "allow");
      return HeadersAction.Continue;
    }

    // The first configured place holding a credential of a kind the rule accepts decides; a
    // place holding two is refused. A credential of a kind the rule does not accept (`methods`)
    // is passed over, so a client sending both an API key and a token still gets in on a route
    // that takes only one of them.
    const plans = this.plugin.plans;
    let unaccepted = false;
    for (let i = 0; i < plans.length; i++) {
      const plan = plans[i];
      const readable = (plan.apiKey && acceptsMethod(this.rule, Method.API_KEY)) ||
        (plan.providers.length > 0 && acceptsMethod(this.rule, Method.JWT));
      const e = this.extract(plan, pairs);
      if (e.status == Found.NONE) continue;
      if (!readable) { unaccepted = true; continue; }
      if (e.status == Found.DUPLICATE) return this.refuse401("duplicate_credential");
      if (e.status == Found.MALFORMED) return this.refuse401("malformed_credential");
      if (!acceptsMethod(this.rule, methodOf(plan, e.value))) { unaccepted = true; continue; }
      this.presented = new Presented(plan, e.value);
      break;
    }
    this.removeCredentials(pairs);
    const p = this.presented;
    if (p === null) {
      // RFC 6750 section 3.1: a credential was sent but cannot authenticate here, so this is 401
      // invalid_token (the client may retry with another credential), not 403, which is kept for
      // an identity that was established and then refused by a rule.
      if (unaccepted) return this.refuse401("method_not_allowed");
      if (this.mode == Mode.OPTIONAL) return this.allow(Identity.anonymous());
      return this.refuse401("missing_credential");
    }
    return this.decide();
  }

  /** Refuses or lets the request through once a credential was found; may hold it. */
  private decide(): u32 {
    const p = this.presented!;
    const cfg = this.plugin.cfg!;
    let out: AuthOutcome;
    const plan = p.plan;
    if (methodOf(plan, p.value) == Method.JWT) {
      const now = nowMillis() / 1000;
      out = authenticateJwt(cfg, plan.providers, this.plugin.keys, this.plugin.cache, p.value, now);
      if (out.waitFor >= 0) {
        const r = this.plugin.remotes[out.waitFor];
        this.plugin.ensureKeys(out.waitFor);
        if (this.plugin.keys[out.waitFor] !== null) {
          out = authenticateJwt(cfg, plan.providers, this.plugin.keys, this.plugin.cache, p.value, now);
        } else if (r !== null && r.remote.holdTimeoutMs > 0) {
          this.waitingFor = out.waitFor;
          this.deadlineMs = nowMillis() + <i64>r.remote.holdTimeoutMs;
          this.plugin.hold(this);
          return HeadersAction.StopIteration;
        }
      }
    } else {
      out = authenticateApiKey(this.plugin.store, p.value);
    }
    if (out.waitFor >= 0) return this.refuse503(out.reason);
    const id = out.identity;
    if (id === null) return this.refuse401(out.reason);
    return this.allow(id);
  }

  private allow(id: Identity): u32 {
    const denied = id.method == Method.NONE ? "" : authorize(this.rule, id);
    if (denied.length > 0) {
      this.done = true;
      this.plugin.metrics.denied(denied, id.label);
      this.log("denied (403): " + denied, id.name);
      this.publish(id, "deny:" + denied);
      sendForbidden(this.plugin.cfg!.realm, denied);
      return HeadersAction.StopIteration;
    }
    this.done = true;
    this.plugin.metrics.allowed(id.label, id.method);
    this.publish(id, "allow");
    const cfg = this.plugin.cfg!;
    if (id.method != Method.NONE) setHeader(H, cfg.consumerHeader, id.name);
    for (let i = 0; i < id.headerNames.length; i++) setHeader(H, id.headerNames[i], id.headerValues[i]);
    return HeadersAction.Continue;
  }

  private publish(id: Identity, decision: string): void {
    setFilterState("aigw.consumer", id.name);
    setFilterState("aigw.consumer.groups", id.groupsCsv());
    setFilterState("aigw.consumer.tenant", id.tenant);
    setFilterState("aigw.consumer.attributes", id.attributesJson);
    setFilterState("aigw.auth.method", id.method);
    setFilterState("aigw.auth.decision", decision);
  }

  private refuse401(reason: string): u32 {
    this.done = true;
    this.plugin.metrics.denied(reason, null);
    this.log("denied (401): " + reason, null);
    setFilterState("aigw.auth.decision", "deny:" + reason);
    sendUnauthorized(this.plugin.cfg!.realm, reason);
    return HeadersAction.StopIteration;
  }

  private refuse400(reason: string, why: string): u32 {
    this.done = true;
    this.plugin.metrics.denied(reason, null);
    this.log("refused (400): " + reason + (why.length > 0 ? " (" + why + ")" : ""), null);
    setFilterState("aigw.auth.decision", "deny:" + reason);
    sendBadRequest(reason);
    return HeadersAction.StopIteration;
  }

  /** Removes headers whose name is another spelling (case, `_` for `-`) of one this filter owns:
   *  the identity headers always, the credential headers (a configured credential header itself,
   *  even one spelled with `_`, is left to removeCredentials and forward_credential). Envoy names
   *  are lowercase, so unless an owned name has `_`, only names with `_` or upper case can be one. */
  private stripVariants(pairs: Array<HeaderPair>): void {
    const owned = this.plugin.ownedNormalized;
    if (owned.length == 0) return;
    let removed: Array<string> | null = null;
    for (let i = 0; i < pairs.length; i++) {
      const n = pairs[i].name;
      if (!(this.plugin.ownsUnderscoreName || maybeVariant(n)) || this.plugin.credentialHeaders.includes(n)) continue;
      const norm = normalizeHeaderName(n);
      if (!owned.includes(norm)) continue;
      if (removed === null) removed = new Array<string>(0);
      if (!removed!.includes(n)) { removed!.push(n); removeHeader(H, n); }
    }
  }

  private refuse503(reason: string): u32 {
    this.done = true;
    this.plugin.metrics.denied(reason, null);
    this.log("refused (503): " + reason, null);
    setFilterState("aigw.auth.decision", "deny:" + reason);
    sendUnavailable(reason);
    return HeadersAction.StopIteration;
  }

  private log(what: string, consumer: string | null): void {
    if (!logEnabled(LogLevel.Info)) return;
    let route = "";
    const r = getPropertyString("xds.route_name");
    if (r !== null) route = r;
    logInfo("auth: " + what + (consumer !== null ? " consumer=" + consumer : "") + " route=" + route);
  }

  /** Called by the plugin (effective context set to this stream) when the keys arrived. */
  resume(): void {
    this.waitingFor = -1;
    if (this.done) return;
    const action = this.decide();
    if (action == HeadersAction.Continue) continueRequest();
  }

  /** Called by the plugin when the keys could not be obtained in time. */
  failUnavailable(): void {
    this.waitingFor = -1;
    if (this.done) return;
    this.refuse503("jwks_unavailable");
  }

  onRequestBody(bodySize: u32, endOfStream: bool): u32 {
    // While held for keys, keep the body too (with allow_on_headers_stop_iteration Envoy would
    // otherwise pass body data, and with it the headers, on).
    if (this.waitingFor >= 0) return DataAction.StopIterationAndBuffer;
    return DataAction.Continue;
  }

  onDelete(): void {
    if (this.waitingFor >= 0) this.plugin.release(this);
  }

  private extract(plan: SourcePlan, pairs: Array<HeaderPair>): Extracted {
    const s = plan.source;
    if (s.kind == SourceKind.QUERY) {
      return takeQueryParam(this.path, s.name).found;
    }
    if (s.kind == SourceKind.COOKIE) {
      const c = this.cookieHeader(pairs);
      if (c === null) return new Extracted(Found.NONE);
      return cookieValue(c, s.name);
    }
    let value: string | null = null;
    for (let i = 0; i < pairs.length; i++) {
      if (pairs[i].name != s.name) continue;
      // Envoy's get_header_map_value returns only the first copy; a second one is ambiguous.
      if (value !== null) return new Extracted(Found.DUPLICATE);
      value = pairs[i].value;
    }
    if (value === null) return new Extracted(Found.NONE);
    const v = value!;
    // A header that holds several comma-joined values (a repeated header merged) is ambiguous too.
    if (s.prefix.length > 0 && v.indexOf(",") >= 0) return new Extracted(Found.DUPLICATE);
    return stripScheme(v, s.prefix);
  }

  private cookieHeader(pairs: Array<HeaderPair>): string | null {
    if (this.cookies !== null) return this.cookies;
    let joined: string | null = null;
    for (let i = 0; i < pairs.length; i++) {
      if (pairs[i].name != "cookie") continue;
      joined = joined === null ? pairs[i].value : joined! + "; " + pairs[i].value;
    }
    this.cookies = joined;
    return joined;
  }

  /** Removes every configured credential place from the upstream request (unless forwarding). */
  private removeCredentials(pairs: Array<HeaderPair>): void {
    const cfg = this.plugin.cfg!;
    const plans = this.plugin.plans;
    let cookies = this.cookieHeader(pairs);
    let path = this.path;
    let cookiesChanged = false;
    for (let i = 0; i < plans.length; i++) {
      const s = plans[i].source;
      if (s.kind == SourceKind.HEADER) {
        if (!cfg.forwardCredential && has(pairs, s.name)) removeHeader(H, s.name);
      } else if (s.kind == SourceKind.QUERY) {
        const t = takeQueryParam(path, s.name);
        if (t.found.status != Found.NONE && !cfg.forwardCredential) path = t.path;
      } else if (cookies !== null && !cfg.forwardCredential) {
        const c = cookieValue(cookies!, s.name);
        if (c.status != Found.NONE) {
          cookies = removeCookie(cookies!, s.name);
          cookiesChanged = true;
        }
      }
    }
    if (path != this.path) setHeader(H, ":path", path);
    if (cookiesChanged) {
      if (cookies === null || cookies!.length == 0) removeHeader(H, "cookie");
      else setHeader(H, "cookie", cookies!);
    }
  }
}

/** How a credential read at `plan`'s place is checked: a JWT when a provider reads that place and
 *  (if API keys are read there too) the value has a token's shape, otherwise an API key. */
function methodOf(plan: SourcePlan, value: string): string {
  return plan.providers.length > 0 && (!plan.apiKey || looksLikeJwt(value)) ? Method.JWT : Method.API_KEY;
}

/** Whether a header name could be a non-canonical spelling: it holds `_` or an upper-case letter. */
function maybeVariant(n: string): bool {
  for (let i = 0; i < n.length; i++) {
    const c = n.charCodeAt(i);
    if (c == 0x5f || (c >= 65 && c <= 90)) return true;
  }
  return false;
}

/** Lower case with `_` read as `-`: the name as an upstream that folds them would read it. */
export function normalizeHeaderName(n: string): string {
  return n.toLowerCase().replaceAll("_", "-");
}

function has(pairs: Array<HeaderPair>, name: string): bool {
  for (let i = 0; i < pairs.length; i++) if (pairs[i].name == name) return true;
  return false;
}

function removeCookie(header: string, name: string): string {
  const parts = header.split(";");
  const kept = new Array<string>(0);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i].trim();
    if (p.length == 0) continue;
    const eq = p.indexOf("=");
    const n = (eq < 0 ? p : p.substring(0, eq)).trim();
    if (n == name) continue;
    kept.push(p);
  }
  return kept.join("; ");
}
