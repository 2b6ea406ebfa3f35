// Configuration: JSON in, one immutable QuotaConfig out, or the first error naming the field.
// Pure (no host calls): unit-tested with as-pect. Field reference: ../README.md.
import { JsonKind } from "../../common/assembly/json/value";
import { ObjectReader, FieldError, FieldErrorCode, openConfigRoot } from "../../common/assembly/json/reader";
import { COUNTS_NAMES, Downgrade, Fleet, KeyPart, Limit, Price, QuotaConfig, Source } from "./model";
import { metricLabel } from "../../common/assembly/metric-label";

export class ConfigResult {
  constructor(public config: QuotaConfig | null, public error: string) {}
}

const TOP = ["limits", "models", "aliases", "default_price", "default_max_tokens", "max_body_bytes", "response_headers", "shadow", "model_header", "downgrade", "fleet", "anomaly"];
const LIMIT = ["name", "key", "window", "counts", "limit", "shadow", "routes", "consumers", "slots", "scope"];
const MODEL = ["input_price", "output_price", "provider"];
const DOWNGRADE = ["header", "models", "routes"];
const FLEET = ["cluster", "domain", "timeout_ms", "failure_mode_deny"];
const ANOMALY = ["z_score", "min_requests", "min_tokens", "alpha", "warmup_minutes", "max_consumers", "tighten_factor", "cooldown_ms"];

/** Limit names: metric labels and shared-data key parts. */
function validName(s: string): bool {
  if (s.length == 0 || s.length > 63) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x5f || c == 0x2d)) return false;
  }
  return true;
}

function validHeaderName(s: string): bool {
  if (s.length == 0 || s.startsWith(":")) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x5f || c == 0x2e)) return false;
  }
  return true;
}

function validCluster(s: string): bool {
  if (s.length == 0 || s.length > 100) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x5f || c == 0x2d || c == 0x2e)) return false;
  }
  return true;
}

function noControl(s: string): bool {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

/** "90s", "1m", "2h", "1d", "500ms", or an integer of seconds; 0 when malformed. */
export function parseWindow(s: string): i64 {
  let unit: i64 = 0;
  let digits = s;
  if (s.endsWith("ms")) { unit = 1; digits = s.substring(0, s.length - 2); }
  else if (s.endsWith("s")) { unit = 1000; digits = s.substring(0, s.length - 1); }
  else if (s.endsWith("m")) { unit = 60000; digits = s.substring(0, s.length - 1); }
  else if (s.endsWith("h")) { unit = 3600000; digits = s.substring(0, s.length - 1); }
  else if (s.endsWith("d")) { unit = 86400000; digits = s.substring(0, s.length - 1); }
  if (unit == 0 || digits.length == 0 || digits.length > 9) return 0;
  let n: i64 = 0;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return 0;
    n = n * 10 + (c - 0x30);
  }
  return n * unit;
}

/** One key source: consumer, tenant, route, provider, model, global, attribute:<name>, header:<name>. */
function readPart(s: string, r: ObjectReader): KeyPart | null {
  if (s == "consumer") return new KeyPart(Source.CONSUMER, "");
  if (s == "tenant") return new KeyPart(Source.TENANT, "");
  if (s == "route") return new KeyPart(Source.ROUTE, "");
  if (s == "provider") return new KeyPart(Source.PROVIDER, "");
  if (s == "model") return new KeyPart(Source.MODEL, "");
  if (s == "global") return new KeyPart(Source.GLOBAL, "");
  if (s.startsWith("attribute:")) {
    const a = s.substring(10);
    if (a.length == 0 || !noControl(a) || a.indexOf("\"") >= 0) { r.invalid("key", "`attribute:` needs an attribute name"); return null; }
    return new KeyPart(Source.ATTRIBUTE, a);
  }
  if (s.startsWith("header:")) {
    const h = s.substring(7);
    if (!validHeaderName(h)) { r.invalid("key", "`header:` needs a lowercase header name"); return null; }
    return new KeyPart(Source.HEADER, h);
  }
  r.invalid("key", "unknown key source `" + s + "` (one of consumer, tenant, attribute:<name>, route, provider, model, header:<name>, global)");
  return null;
}

function readLimit(o: ObjectReader): Limit {
  o.rejectUnknown(LIMIT);
  const l = new Limit();
  l.name = o.requireString("name");
  if (o.has("name") && !validName(l.name)) o.invalid("name", "must be 1-63 characters of a-z, 0-9, _ and - (it is a metric label)");
  l.label = metricLabel(l.name, 63);
  // key: one source or a list of them (a hierarchical key such as ["tenant", "consumer"]).
  const k = o.value.get("key");
  if (k === null || k.kind == JsonKind.NULL) o.errors.add(new FieldError(o.path + ".key", FieldErrorCode.MISSING, "string or array of strings", ""));
  else if (k.kind == JsonKind.STRING) { const p = readPart(k.str, o); if (p !== null) l.parts.push(p); }
  else if (k.kind == JsonKind.ARRAY) {
    if (k.items.length == 0 || k.items.length > 4) o.invalid("key", "a key list has 1 to 4 sources");
    for (let i = 0; i < k.items.length; i++) {
      const v = k.items[i];
      if (v.kind != JsonKind.STRING) { o.invalid("key", "a key list holds strings"); continue; }
      const p = readPart(v.str, o);
      if (p !== null) l.parts.push(p);
    }
  } else o.errors.add(new FieldError(o.path + ".key", FieldErrorCode.WRONG_TYPE, "string or array of strings", "other"));
  // window: "1m" or seconds.
  const w = o.value.get("window");
  if (w === null || w.kind == JsonKind.NULL) o.errors.add(new FieldError(o.path + ".window", FieldErrorCode.MISSING, "duration", ""));
  else if (w.kind == JsonKind.STRING) {
    l.windowMs = parseWindow(w.str);
    if (l.windowMs == 0) o.invalid("window", "must be a positive duration such as 30s, 1m, 1h or 1d (got `" + w.str + "`)");
  } else if (w.kind == JsonKind.NUMBER) {
    l.windowMs = <i64>w.num * 1000;
    if (w.num != Math.floor(w.num) || !(w.num >= 1 && w.num <= 31 * 86400)) { o.invalid("window", "must be a positive whole number of seconds (got " + w.raw + ")"); l.windowMs = 0; }
  } else o.errors.add(new FieldError(o.path + ".window", FieldErrorCode.WRONG_TYPE, "duration string or seconds", "other"));
  if (l.windowMs > 31 * 86400000) o.invalid("window", "must be at most 31d");
  const c = o.getString("counts", "requests");
  l.counts = COUNTS_NAMES.indexOf(c);
  if (l.counts < 0) { o.invalid("counts", "unknown `" + c + "` (one of " + COUNTS_NAMES.join(", ") + ")"); l.counts = 0; }
  const scope = o.getString("scope", "local");
  if (scope != "local" && scope != "fleet") o.invalid("scope", "must be `local` (this proxy) or `fleet` (the rate limit service)");
  l.fleet = scope == "fleet";
  if (l.fleet) {
    // The service's descriptors config holds the value and the unit (one source of truth).
    if (o.has("limit")) o.invalid("limit", "a fleet limit's value is set in the rate limit service's descriptors config, not here");
    if (l.windowMs != 1000 && l.windowMs != 60000 && l.windowMs != 3600000 && l.windowMs != 86400000) {
      o.invalid("window", "a fleet limit counts in the rate limit service's units: 1s, 1m, 1h or 1d");
    }
    l.limit = u32.MAX_VALUE;
  } else {
    if (!o.has("limit")) o.errors.add(new FieldError(o.path + ".limit", FieldErrorCode.MISSING, "integer", ""));
    // uint32 hits at the rate limit service: the same bound everywhere keeps limits portable.
    l.limit = o.getInteger("limit", 1, 1, 4294967295);
  }
  l.shadow = o.getBool("shadow", false);
  const rs = o.getArray("routes");
  if (rs !== null) l.routes = rs.strings();
  const cs = o.getArray("consumers");
  if (cs !== null) l.consumers = cs.strings();
  l.slots = <i32>o.getInteger("slots", 1024, 16, 65536);
  return l;
}

function readPrice(r: ObjectReader, key: string, def: f64): f64 {
  const v = r.getNumber(key, def);
  if (!(v >= 0 && v <= 1000000)) { r.invalid(key, "must be a price in USD per million tokens in [0, 1000000]"); return def; }
  return v;
}

export function parseConfig(bytes: Uint8Array): ConfigResult {
  const r = openConfigRoot(bytes);
  const errors = r.errors;
  if (!errors.ok) return new ConfigResult(null, errors.first());
  r.rejectUnknown(TOP);
  const cfg = new QuotaConfig();
  cfg.defaultMaxTokens = r.getInteger("default_max_tokens", cfg.defaultMaxTokens, 1, 10000000);
  cfg.maxBodyBytes = r.getInteger("max_body_bytes", cfg.maxBodyBytes, 1024, 64 << 20);
  cfg.responseHeaders = r.getBool("response_headers", true);
  cfg.shadow = r.getBool("shadow", false);
  cfg.modelHeader = r.getString("model_header", "");
  if (cfg.modelHeader.length && !validHeaderName(cfg.modelHeader)) r.invalid("model_header", "must be a lowercase header name (llm-route's `model_header`)");
  const dp = r.getObject("default_price");
  if (dp !== null) {
    dp.rejectUnknown(["input_price", "output_price"]);
    cfg.defaultPrice = new Price("*", readPrice(dp, "input_price", 0), readPrice(dp, "output_price", 0), "");
  }
  const ms = r.getObject("models");
  if (ms !== null) {
    for (let i = 0; i < ms.value.keys.length; i++) {
      const name = ms.value.keys[i];
      const mr = new ObjectReader(ms.value.items[i], "models." + name, errors);
      if (name.length == 0 || !noControl(name)) { mr.invalid("", "model names are non-empty, without control characters"); continue; }
      mr.rejectUnknown(MODEL);
      cfg.prices.push(new Price(name, readPrice(mr, "input_price", 0), readPrice(mr, "output_price", 0), mr.getString("provider", "")));
    }
  }
  const as = r.getObject("aliases");
  if (as !== null) {
    for (let i = 0; i < as.value.keys.length; i++) {
      const name = as.value.keys[i];
      const v = as.value.items[i];
      const path = "aliases." + name;
      if (v.kind != JsonKind.ARRAY || v.items.length == 0) { errors.add(new FieldError(path, FieldErrorCode.INVALID, "must be a non-empty array of model names listed under `models`", "")); continue; }
      const list = new Array<string>();
      for (let j = 0; j < v.items.length; j++) {
        const m = v.items[j];
        if (m.kind != JsonKind.STRING) { errors.add(new FieldError(path + "[" + j.toString() + "]", FieldErrorCode.WRONG_TYPE, "string", "other")); continue; }
        let known = false;
        for (let k = 0; k < cfg.prices.length; k++) if (cfg.prices[k].model == m.str) known = true;
        if (!known) errors.add(new FieldError(path + "[" + j.toString() + "]", FieldErrorCode.INVALID, "model `" + m.str + "` is not listed under `models` (its price is needed to reserve)", ""));
        list.push(m.str);
      }
      cfg.aliasNames.push(name);
      cfg.aliasModels.push(list);
    }
  }
  const ls = r.getArray("limits");
  if (ls !== null) {
    for (let i = 0; i < ls.length; i++) {
      const o = ls.objectAt(i);
      if (o === null) continue;
      const l = readLimit(o);
      for (let j = 0; j < cfg.limits.length; j++) if (cfg.limits[j].name == l.name) o.invalid("name", "duplicate limit name `" + l.name + "`");
      if (cfg.shadow) l.shadow = true;
      cfg.limits.push(l);
    }
  }
  const dg = r.getObject("downgrade");
  if (dg !== null) {
    dg.rejectUnknown(DOWNGRADE);
    const d = new Downgrade();
    d.header = dg.requireString("header");
    if (dg.has("header") && !validHeaderName(d.header)) dg.invalid("header", "must be a lowercase header name (llm-route's `model_header`)");
    const m = dg.requireObject("models");
    if (m !== null) {
      if (m.value.keys.length == 0) dg.invalid("models", "must map at least one model (or `*`) to a cheaper one");
      for (let i = 0; i < m.value.keys.length; i++) {
        const v = m.value.items[i];
        if (v.kind != JsonKind.STRING || v.str.length == 0 || !noControl(v.str)) { errors.add(new FieldError("downgrade.models." + m.value.keys[i], FieldErrorCode.INVALID, "must be the cheaper model's name", "")); continue; }
        d.from.push(m.value.keys[i]);
        d.to.push(v.str);
      }
    }
    const rs = dg.getArray("routes");
    if (rs !== null) d.routes = rs.strings();
    if (cfg.modelHeader.length == 0) cfg.modelHeader = d.header;
    else if (d.header.length && d.header != cfg.modelHeader) dg.invalid("header", "must be `model_header` (`" + cfg.modelHeader + "`): both are llm-route's `model_header`");
    cfg.downgrade = d;
  }
  const fl = r.getObject("fleet");
  if (fl !== null) {
    fl.rejectUnknown(FLEET);
    const f = new Fleet();
    f.cluster = fl.requireString("cluster");
    if (fl.has("cluster") && !validCluster(f.cluster)) fl.invalid("cluster", "must name the Envoy cluster of the rate limit service (1-100 characters of a-z, A-Z, 0-9, _, -, .)");
    f.domain = fl.getString("domain", f.domain);
    if (f.domain.length == 0 || !noControl(f.domain)) fl.invalid("domain", "must be the rate limit service's domain");
    f.timeoutMs = fl.getInteger("timeout_ms", f.timeoutMs, 1, 60000);
    f.failureModeDeny = fl.getBool("failure_mode_deny", false);
    cfg.fleet = f;
  }
  for (let i = 0; i < cfg.limits.length; i++) {
    if (cfg.limits[i].fleet && cfg.fleet === null) errors.add(new FieldError("limits[" + i.toString() + "].scope", FieldErrorCode.INVALID, "`fleet` needs the top-level `fleet` section (the rate limit service's cluster)", ""));
  }
  const an = r.getObject("anomaly");
  if (an !== null) {
    an.rejectUnknown(ANOMALY);
    const a = cfg.anomaly;
    a.enabled = true;
    a.zScore = an.getNumber("z_score", a.zScore);
    if (!(a.zScore >= 1 && a.zScore <= 100)) an.invalid("z_score", "must be in [1, 100]");
    a.minRequests = an.getInteger("min_requests", a.minRequests, 1, 100000000);
    a.minTokens = an.getInteger("min_tokens", a.minTokens, 1, 1000000000000);
    a.alpha = an.getNumber("alpha", a.alpha);
    if (!(a.alpha > 0 && a.alpha <= 1)) an.invalid("alpha", "must be in (0, 1]");
    a.warmupMinutes = an.getInteger("warmup_minutes", a.warmupMinutes, 1, 10080);
    a.maxConsumers = <i32>an.getInteger("max_consumers", a.maxConsumers, 1, 65536);
    a.tightenFactor = an.getNumber("tighten_factor", a.tightenFactor);
    if (!(a.tightenFactor > 0 && a.tightenFactor <= 1)) an.invalid("tighten_factor", "must be in (0, 1] (1: report only)");
    a.cooldownMs = an.getInteger("cooldown_ms", a.cooldownMs, 0, 86400000);
  }
  if (!errors.ok) return new ConfigResult(null, errors.first());
  return new ConfigResult(cfg, "");
}
