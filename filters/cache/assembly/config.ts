// Configuration: JSON in, one immutable CacheConfig out, or the first error naming the field.
// Pure (no host calls): unit-tested with as-pect. Field reference: ../README.md.
import { ObjectReader, openConfigRoot } from "../../common/assembly/json/reader";
import { CacheConfig, Policy, RouteRule, SCOPE_NAMES, SemanticConfig } from "./model";
import { isSafeHeaderValue } from "../../common/assembly/http/header";

export class ConfigResult {
  constructor(public config: CacheConfig | null, public error: string) {}
}

const POLICY = ["enabled", "ttl_seconds", "scope", "tenant_attribute", "skip_nondeterministic", "semantic"];
const TOP = POLICY.concat(["max_body_bytes", "max_entry_bytes", "budget_bytes", "slots", "max_vectors", "routes"]);
const ROUTE = POLICY.concat(["route", "prefix"]);
const SEMANTIC = ["cluster", "authority", "path", "model", "api_key", "timeout_ms", "threshold", "window", "encoding_format"];

/** An Envoy cluster name. */
function validCluster(s: string): bool {
  if (s.length == 0 || s.length > 255) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

function readSemantic(o: ObjectReader): SemanticConfig {
  o.rejectUnknown(SEMANTIC);
  const s = new SemanticConfig();
  s.cluster = o.requireString("cluster");
  if (o.has("cluster") && !validCluster(s.cluster)) o.invalid("cluster", "must be an Envoy cluster name (no spaces or control characters)");
  s.authority = o.getString("authority", s.cluster);
  if (!isSafeHeaderValue(s.authority) || s.authority.length == 0 || s.authority.indexOf("/") >= 0) o.invalid("authority", "must be a host[:port]");
  s.path = o.getString("path", s.path);
  if (!s.path.startsWith("/") || !isSafeHeaderValue(s.path) || s.path.indexOf(" ") >= 0) o.invalid("path", "must start with `/` and hold no spaces or control characters");
  s.model = o.requireString("model");
  if (!isSafeHeaderValue(s.model)) o.invalid("model", "must not contain control characters");
  s.apiKey = o.getSecret("api_key", "");
  if (!isSafeHeaderValue(s.apiKey)) o.invalid("api_key", "must not contain control characters");
  s.timeoutMs = <u32>o.getInteger("timeout_ms", s.timeoutMs, 10, 60000);
  const t = o.getNumber("threshold", s.threshold);
  if (!(t > 0 && t <= 1)) o.invalid("threshold", "must be a cosine similarity in (0, 1]");
  else s.threshold = t;
  s.window = <i32>o.getInteger("window", s.window, 1, 64);
  const f = o.getString("encoding_format", "base64");
  if (f != "base64" && f != "float") o.invalid("encoding_format", "must be base64 or float");
  s.base64 = f == "base64";
  return s;
}

/** Reads the policy fields of `o` over a copy of `base`. */
function readPolicy(o: ObjectReader, base: Policy): Policy {
  const p = base.copy();
  p.enabled = o.getBool("enabled", p.enabled);
  p.ttlSeconds = o.getInteger("ttl_seconds", p.ttlSeconds, 1, 2592000);
  if (o.has("scope")) {
    const s = o.getString("scope", "");
    const k = SCOPE_NAMES.indexOf(s);
    if (k < 0) o.invalid("scope", "unknown scope `" + s + "` (one of consumer, tenant, global)");
    else p.scope = k;
  }
  p.tenantAttribute = o.getString("tenant_attribute", p.tenantAttribute);
  if (p.tenantAttribute.length > 128 || !isSafeHeaderValue(p.tenantAttribute)) o.invalid("tenant_attribute", "must be an attribute name of at most 128 characters");
  p.skipNondeterministic = o.getBool("skip_nondeterministic", p.skipNondeterministic);
  if (o.has("semantic")) {
    const so = o.getObject("semantic");
    if (so !== null) p.semantic = readSemantic(so);
    else if (o.value.get("semantic") !== null && o.value.get("semantic")!.isNull) p.semantic = null;
  }
  return p;
}

export function parseConfig(bytes: Uint8Array): ConfigResult {
  const r = openConfigRoot(bytes);
  const errors = r.errors;
  if (!errors.ok) return new ConfigResult(null, errors.first());
  r.rejectUnknown(TOP);
  const cfg = new CacheConfig();
  cfg.maxBodyBytes = <i32>r.getInteger("max_body_bytes", cfg.maxBodyBytes, 1024, 16 << 20);
  cfg.maxEntryBytes = <i32>r.getInteger("max_entry_bytes", cfg.maxEntryBytes, 1024, 16 << 20);
  cfg.budgetBytes = r.getInteger("budget_bytes", cfg.budgetBytes, 65536, <i64>1 << 34);
  cfg.slots = <i32>r.getInteger("slots", cfg.slots, 16, 1 << 20);
  cfg.maxVectors = <i32>r.getInteger("max_vectors", cfg.maxVectors, 1, 1000000);
  if (errors.ok && <i64>cfg.maxEntryBytes > cfg.budgetBytes) r.invalid("max_entry_bytes", "must not exceed budget_bytes");
  cfg.defaults = readPolicy(r, cfg.defaults);
  const rs = r.getArray("routes");
  if (rs !== null) {
    for (let i = 0; i < rs.length; i++) {
      const o = rs.objectAt(i);
      if (o === null) continue;
      o.rejectUnknown(ROUTE);
      const rule = new RouteRule(i, readPolicy(o, cfg.defaults));
      rule.route = o.getString("route", "");
      rule.prefix = o.getString("prefix", "");
      if (rule.prefix.length && !rule.prefix.startsWith("/")) o.invalid("prefix", "must start with `/`");
      if (rule.route.length == 0 && rule.prefix.length == 0) o.invalid("route", "a rule needs `route` (xds.route_name) or `prefix`");
      cfg.routes.push(rule);
    }
  }
  if (!errors.ok) return new ConfigResult(null, errors.first());
  return new ConfigResult(cfg, "");
}
