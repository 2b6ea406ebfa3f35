// Configuration: JSON in, one immutable RouteConfig out, or the first error naming the field.
// Pure (no host calls): unit-tested with as-pect. Field reference: ../README.md.
import { JsonKind, JsonValue } from "../../common/assembly/json/value";
import { ObjectReader, FieldErrors, FieldError, FieldErrorCode, openConfigRoot } from "../../common/assembly/json/reader";
import {
  Alias, CAP_NAMES, Cap, KINDS, Kind, ModelSpec, Provider, RouteConfig, STRATEGY_NAMES, Strategy, Target, dialectOfKind,
} from "./model";
import { isLowercaseHeaderName, isSafeHeaderValue } from "../../common/assembly/http/header";

export class ConfigResult {
  constructor(public config: RouteConfig | null, public error: string) {}
}

const TOP = ["cluster_header", "model_header", "max_body_bytes", "default_max_tokens", "health", "providers", "aliases"];
const HEALTH = ["cooldown_ms", "max_cooldown_ms", "probe_timeout_ms"];
const PROVIDER = [
  "name", "kind", "cluster", "host", "base_path", "models", "api_key", "api_version", "anthropic_version",
  "region", "access_key_id", "secret_access_key", "session_token",
  "input_price", "output_price", "cached_input_price", "context_length", "capabilities",
];
const MODEL = ["model", "input_price", "output_price", "cached_input_price", "context_length", "capabilities"];
const ALIAS = ["strategy", "targets", "sticky", "consumers", "groups", "tenants"];
const TARGET = ["provider", "model", "weight"];

/** Provider and cluster names: metric labels and Envoy cluster names. */
function validName(s: string): bool {
  if (s.length == 0 || s.length > 63) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x5f || c == 0x2d || (i > 0 && c == 0x2e))) return false;
  }
  return true;
}

function readPrices(r: ObjectReader, m: ModelSpec, def: ModelSpec): void {
  m.inputPrice = readPrice(r, "input_price", def.inputPrice);
  m.outputPrice = readPrice(r, "output_price", def.outputPrice);
  m.cachedInputPrice = readPrice(r, "cached_input_price", r.has("input_price") && !r.has("cached_input_price") ? m.inputPrice : def.cachedInputPrice);
  m.contextLength = r.getInteger("context_length", def.contextLength, 0, 100000000);
  m.caps = readCaps(r, def.caps);
}

function readPrice(r: ObjectReader, key: string, def: f64): f64 {
  const v = r.getNumber(key, def);
  if (!(v >= 0 && v <= 1000000)) { r.invalid(key, "must be a price in USD per million tokens in [0, 1000000]"); return def; }
  return v;
}

function readCaps(r: ObjectReader, def: i32): i32 {
  const a = r.getArray("capabilities");
  if (a === null) return def;
  let bits = 0;
  const names = a.strings();
  for (let i = 0; i < names.length; i++) {
    const k = CAP_NAMES.indexOf(names[i]);
    if (k < 0) r.invalid("capabilities", "unknown capability `" + names[i] + "` (one of tools, vision, json, streaming)");
    else bits |= 1 << k;
  }
  return bits;
}

function defaultBasePath(kind: string): string {
  if (kind == Kind.AZURE) return "/openai";
  if (kind == Kind.GEMINI) return "/v1beta";
  if (kind == Kind.BEDROCK) return "";
  if (kind == Kind.VERTEX) return "";
  return "/v1";
}

function readProvider(o: ObjectReader, errors: FieldErrors): Provider {
  o.rejectUnknown(PROVIDER);
  const name = o.requireString("name");
  if (o.has("name") && !validName(name)) o.invalid("name", "must be 1-63 characters of a-z, 0-9, _ and - (it is a metric label and the default cluster name)");
  const p = new Provider(name);
  p.kind = o.requireString("kind");
  if (o.has("kind") && !KINDS.includes(p.kind)) o.invalid("kind", "unknown kind `" + p.kind + "` (one of " + KINDS.join(", ") + ")");
  p.dialect = dialectOfKind(p.kind);
  p.cluster = o.getString("cluster", name);
  if (!validName(p.cluster)) o.invalid("cluster", "must be an Envoy cluster name of a-z, 0-9, _, - and .");
  p.host = o.getString("host", "");
  if (!isSafeHeaderValue(p.host) || p.host.indexOf("/") >= 0 || p.host.indexOf(" ") >= 0) o.invalid("host", "must be a host[:port] without scheme or path");
  p.basePath = o.getString("base_path", defaultBasePath(p.kind));
  if (p.basePath.length && (!p.basePath.startsWith("/") || p.basePath.endsWith("/") || !isSafeHeaderValue(p.basePath) || p.basePath.indexOf("?") >= 0 || p.basePath.indexOf(" ") >= 0)) {
    o.invalid("base_path", "must start with `/`, not end with `/`, and hold no query or spaces");
  }
  if (p.kind == Kind.VERTEX && p.basePath.length == 0) o.invalid("base_path", "is required for vertex (e.g. /v1/projects/PROJECT/locations/us-central1/publishers/google)");
  p.apiKey = o.getSecret("api_key", "");
  p.apiVersion = o.getString("api_version", p.kind == Kind.AZURE ? "2024-10-21" : "");
  p.anthropicVersion = o.getString("anthropic_version", "2023-06-01");
  p.region = o.getString("region", "");
  p.accessKeyId = o.getSecret("access_key_id", "");
  p.secretAccessKey = o.getSecret("secret_access_key", "");
  p.sessionToken = o.getSecret("session_token", "");
  const creds: StaticArray<string> = [p.apiKey, p.secretAccessKey, p.sessionToken];
  for (let i = 0; i < creds.length; i++) {
    const c = creds[i];
    if (c.length == 0) continue;
    p.secrets.push(c);
    if (c.indexOf("/") >= 0) p.secrets.push(c.replaceAll("/", "\\/"));
  }
  if (!isSafeHeaderValue(p.apiKey)) o.invalid("api_key", "must not contain control characters");
  if (!isSafeHeaderValue(p.apiVersion) || p.apiVersion.indexOf("&") >= 0 || p.apiVersion.indexOf(" ") >= 0) o.invalid("api_version", "must be a plain version string");
  if (!isSafeHeaderValue(p.anthropicVersion)) o.invalid("anthropic_version", "must not contain control characters");
  if (p.kind == Kind.BEDROCK) {
    if (p.region.length == 0) o.invalid("region", "is required for bedrock (e.g. us-east-1)");
    if ((p.accessKeyId.length == 0) != (p.secretAccessKey.length == 0)) o.invalid("secret_access_key", "access_key_id and secret_access_key go together");
    if (p.host.length == 0 && p.region.length) p.host = "bedrock-runtime." + p.region + ".amazonaws.com";
  }
  readPrices(o, p.defaults, new ModelSpec("*"));
  const models = o.value.get("models");
  if (models !== null && models.kind != JsonKind.NULL) {
    if (models.kind != JsonKind.OBJECT) errors.add(new FieldError(o.path + ".models", FieldErrorCode.WRONG_TYPE, "object", "other"));
    else for (let i = 0; i < models.keys.length; i++) {
      const key = models.keys[i];
      const path = o.path + ".models." + key;
      if (key.length == 0 || key.indexOf("*") >= 0 || !isSafeHeaderValue(key)) { errors.add(new FieldError(path, FieldErrorCode.INVALID, "model names are non-empty, without `*` or control characters", "")); continue; }
      const m = new ModelSpec(key);
      m.inputPrice = p.defaults.inputPrice; m.outputPrice = p.defaults.outputPrice; m.cachedInputPrice = p.defaults.cachedInputPrice;
      m.contextLength = p.defaults.contextLength; m.caps = p.defaults.caps;
      const v = models.items[i];
      if (v.kind == JsonKind.STRING) m.upstream = v.str;
      else if (v.kind == JsonKind.OBJECT) {
        const mr = new ObjectReader(v, path, errors);
        mr.rejectUnknown(MODEL);
        m.upstream = mr.getString("model", key);
        readPrices(mr, m, p.defaults);
      } else errors.add(new FieldError(path, FieldErrorCode.WRONG_TYPE, "string (the provider's model name) or object", "other"));
      if (m.upstream.length == 0 || !isSafeHeaderValue(m.upstream)) errors.add(new FieldError(path, FieldErrorCode.INVALID, "the provider's model name must be non-empty, without control characters", ""));
      p.models.push(m);
    }
  }
  return p;
}

function readTarget(v: JsonValue, path: string, cfg: RouteConfig, errors: FieldErrors): Target | null {
  let provider = "", model = "", weight: i64 = 1;
  if (v.kind == JsonKind.STRING) {
    const slash = v.str.indexOf("/");
    if (slash <= 0) { errors.add(new FieldError(path, FieldErrorCode.INVALID, "a target is `provider/model` or an object", "")); return null; }
    provider = v.str.substring(0, slash);
    model = v.str.substring(slash + 1);
  } else if (v.kind == JsonKind.OBJECT) {
    const r = new ObjectReader(v, path, errors);
    r.rejectUnknown(TARGET);
    provider = r.requireString("provider");
    model = r.requireString("model");
    weight = r.getInteger("weight", 1, 0, 1000000);
  } else {
    errors.add(new FieldError(path, FieldErrorCode.WRONG_TYPE, "string or object", "other"));
    return null;
  }
  const p = cfg.provider(provider);
  if (p === null) { errors.add(new FieldError(path, FieldErrorCode.INVALID, "unknown provider `" + provider + "`", "")); return null; }
  if (model != "*" && p.model(model) === null) {
    errors.add(new FieldError(path, FieldErrorCode.INVALID, "provider `" + provider + "` has no model `" + model + "` under `models` (or use `*` for the requested name)", ""));
    return null;
  }
  const t = new Target(p, model);
  t.weight = <i32>weight;
  return t;
}

export function parseConfig(bytes: Uint8Array): ConfigResult {
  const r = openConfigRoot(bytes);
  const errors = r.errors;
  if (!errors.ok) return new ConfigResult(null, errors.first());
  r.rejectUnknown(TOP);
  const cfg = new RouteConfig();
  cfg.clusterHeader = r.getString("cluster_header", cfg.clusterHeader);
  if (!isLowercaseHeaderName(cfg.clusterHeader) || cfg.clusterHeader.startsWith(":")) r.invalid("cluster_header", "must be a lowercase header name");
  cfg.modelHeader = r.getString("model_header", "");
  if (cfg.modelHeader.length && !isLowercaseHeaderName(cfg.modelHeader)) r.invalid("model_header", "must be a lowercase header name");
  cfg.maxBodyBytes = <i32>r.getInteger("max_body_bytes", cfg.maxBodyBytes, 1024, 64 << 20);
  cfg.defaultMaxTokens = r.getInteger("default_max_tokens", cfg.defaultMaxTokens, 1, 10000000);
  const h = r.getObject("health");
  if (h !== null) {
    h.rejectUnknown(HEALTH);
    cfg.cooldownMs = h.getInteger("cooldown_ms", cfg.cooldownMs, 0, 86400000);
    cfg.maxCooldownMs = h.getInteger("max_cooldown_ms", cfg.maxCooldownMs, 0, 86400000);
    cfg.probeTimeoutMs = h.getInteger("probe_timeout_ms", cfg.probeTimeoutMs, 100, 3600000);
    if (cfg.maxCooldownMs < cfg.cooldownMs) h.invalid("max_cooldown_ms", "must be at least cooldown_ms");
  }
  // No providers (an empty configuration, as Envoy passes when none is set) is valid and routes
  // nothing: every request is refused as an unknown model, as with the other filters' defaults.
  const ps = r.getArray("providers");
  if (ps !== null) {
    for (let i = 0; i < ps.length; i++) {
      const o = ps.objectAt(i);
      if (o === null) continue;
      const p = readProvider(o, errors);
      if (p.name.length && cfg.provider(p.name) !== null) o.invalid("name", "duplicate provider name `" + p.name + "`");
      cfg.providers.push(p);
    }
  }
  if (!errors.ok) return new ConfigResult(null, errors.first());
  const as = r.getObject("aliases");
  if (as !== null) {
    for (let i = 0; i < as.value.keys.length; i++) {
      const name = as.value.keys[i];
      const path = "aliases." + name;
      if (name.length == 0 || !isSafeHeaderValue(name)) { errors.add(new FieldError(path, FieldErrorCode.INVALID, "alias names are non-empty, without control characters", "")); continue; }
      const v = as.value.items[i];
      const a = new Alias(name);
      let targets: JsonValue | null = null;
      if (v.kind == JsonKind.ARRAY) targets = v;
      else if (v.kind == JsonKind.OBJECT) {
        const ar = new ObjectReader(v, path, errors);
        ar.rejectUnknown(ALIAS);
        const s = ar.getString("strategy", "priority");
        a.strategy = STRATEGY_NAMES.indexOf(s);
        if (a.strategy < 0) { ar.invalid("strategy", "unknown strategy `" + s + "` (one of " + STRATEGY_NAMES.join(", ") + ")"); a.strategy = Strategy.PRIORITY; }
        a.sticky = ar.getBool("sticky", false);
        if (a.sticky && a.strategy != Strategy.WEIGHTED) ar.invalid("sticky", "applies to the weighted strategy only");
        const c = ar.getArray("consumers");
        if (c !== null) a.consumers = c.strings();
        const g = ar.getArray("groups");
        if (g !== null) a.groups = g.strings();
        const tn = ar.getArray("tenants");
        if (tn !== null) a.tenants = tn.strings();
        const t = ar.requireArray("targets");
        if (t !== null) targets = t.value;
      } else {
        errors.add(new FieldError(path, FieldErrorCode.WRONG_TYPE, "array of targets or object", "other"));
        continue;
      }
      if (targets === null) continue;
      if (targets.items.length == 0) errors.add(new FieldError(path + ".targets", FieldErrorCode.INVALID, "must name at least one target", ""));
      let weights: i64 = 0;
      for (let j = 0; j < targets.items.length; j++) {
        const t = readTarget(targets.items[j], path + ".targets[" + j.toString() + "]", cfg, errors);
        if (t !== null) { a.targets.push(t); weights += t.weight; }
      }
      if (a.strategy == Strategy.WEIGHTED && weights == 0 && a.targets.length) errors.add(new FieldError(path + ".targets", FieldErrorCode.INVALID, "weights must not all be 0", ""));
      cfg.aliases.push(a);
    }
  }
  if (!errors.ok) return new ConfigResult(null, errors.first());
  // Wildcards are tried longest pattern first (the most specific wins), after exact names.
  const sorted = new Array<Alias>();
  for (let i = 0; i < cfg.aliases.length; i++) if (!cfg.aliases[i].wildcard) sorted.push(cfg.aliases[i]);
  const wild = new Array<Alias>();
  for (let i = 0; i < cfg.aliases.length; i++) if (cfg.aliases[i].wildcard) wild.push(cfg.aliases[i]);
  wild.sort((x: Alias, y: Alias): i32 => y.name.length - x.name.length);
  for (let i = 0; i < wild.length; i++) sorted.push(wild[i]);
  cfg.aliases = sorted;
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i];
    if (a.strategy == Strategy.LEAST_LATENCY) cfg.anyLeastLatency = true;
    if (a.sticky || a.consumers.length || a.groups.length || a.tenants.length) cfg.needsConsumer = true;
  }
  return new ConfigResult(cfg, "");
}

export { Cap };
