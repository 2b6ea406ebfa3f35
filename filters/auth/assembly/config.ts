// Configuration: JSON in, a validated AuthConfig out, or the first error naming the field.
// Pure (no host calls) so it is unit-tested directly (__tests__/config.spec.ts). Empty
// configuration means defaults, which authenticate nothing and therefore reject every request
// whose route requires authentication: an operator must say what is accepted.
import { parseJson, JsonKind, JsonValue } from "../../common/assembly/json/value";
import { ObjectReader, ArrayReader, FieldError, FieldErrorCode, openConfigRoot } from "../../common/assembly/json/reader";
import { sha256 } from "./crypto";
import {
  ApiKeyConfig, ApiKeyEntry, AuthConfig, ClaimHeader, ClaimMatch, Consumer, CredentialSource, JwtProvider, Matcher,
  Mode, RemoteJwks, Rule, SourceKind,
} from "./model";
import { ApiKeyStore, parseHexDigest } from "./apikey";
import { algFromName, KeySet, parseJwks } from "./jwk";
import { appendJsonString } from "../../common/assembly/json/escape";
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { canonicalPath, lastPathError, PathError, pathErrorName } from "../../common/assembly/route/path";
import { canonicalHost } from "../../common/assembly/route/host";
import { isSafeHeaderValue } from "../../common/assembly/http/header";
import { metricLabel } from "../../common/assembly/metric-label";
import { isLowercaseHeaderName } from "../../common/assembly/http/header";

export class ParsedConfig {
  config: AuthConfig | null = null;
  /** "field `x.y`: reason" when the configuration is rejected. */
  error: string = "";
  keyStore: ApiKeyStore = new ApiKeyStore();
  /** Inline key sets, parallel to config.providers (null for fetched ones). */
  inlineKeys: Array<KeySet | null> = new Array<KeySet | null>(0);
}

const TOP = ["realm", "default_mode", "forward_credential", "case_insensitive_paths", "consumer_header", "strip_headers", "consumers", "api_keys", "jwt_providers", "rules"];
const CONSUMER = ["name", "groups", "attributes"];
const API_KEYS = ["from", "keys"];
const KEY = ["consumer", "sha256", "key"];
const SOURCE = ["header", "scheme", "query", "cookie"];
const PROVIDER = ["name", "issuer", "audiences", "from", "algorithms", "jwks", "remote_jwks", "clock_skew_seconds", "require_exp",
  "max_lifetime_seconds", "required_claims", "consumer_claim", "consumer_prefix", "groups_claim", "tenant_claim", "claim_headers", "max_token_bytes", "cache_entries"];
const REMOTE = ["cluster", "path", "authority", "refresh_seconds", "retry_seconds", "timeout_ms", "hold_timeout_ms"];
const CLAIM_HEADER = ["claim", "header"];
const RULE = ["route", "prefix", "host", "mode", "methods", "allow", "deny"];
const MATCHER = ["consumers", "groups", "claims"];

function parseMode(r: ObjectReader, key: string, def: i32): i32 {
  if (!r.has(key)) return def;
  const s = r.getString(key);
  if (s == "required") return Mode.REQUIRED;
  if (s == "optional") return Mode.OPTIONAL;
  if (s == "off") return Mode.OFF;
  if (r.ok) r.invalid(key, "must be one of required, optional, off (got `" + s + "`)");
  return def;
}

function parseSources(arr: ArrayReader | null, def: bool): Array<CredentialSource> {
  const out = new Array<CredentialSource>(0);
  if (arr === null) {
    if (def) out.push(new CredentialSource(SourceKind.HEADER, "authorization", "Bearer "));
    return out;
  }
  for (let i = 0; i < arr.length; i++) {
    const o = arr.objectAt(i);
    if (o === null) continue;
    o.rejectUnknown(SOURCE);
    const n = (o.has("header") ? 1 : 0) + (o.has("query") ? 1 : 0) + (o.has("cookie") ? 1 : 0);
    if (n != 1) { o.invalid("header", "exactly one of header, query, cookie is required"); continue; }
    if (o.has("header")) {
      const h = o.getString("header").toLowerCase();
      if (!isLowercaseHeaderName(h)) { o.invalid("header", "not a valid header name"); continue; }
      let scheme = o.getString("scheme", h == "authorization" ? "Bearer" : "");
      if (scheme.length > 0) scheme += " ";
      out.push(new CredentialSource(SourceKind.HEADER, h, scheme));
    } else if (o.has("query")) {
      const q = o.getString("query");
      if (q.length == 0) { o.invalid("query", "must not be empty"); continue; }
      if (o.has("scheme")) o.invalid("scheme", "only applies to a header");
      out.push(new CredentialSource(SourceKind.QUERY, q, ""));
    } else {
      const c = o.getString("cookie");
      if (c.length == 0) { o.invalid("cookie", "must not be empty"); continue; }
      if (o.has("scheme")) o.invalid("scheme", "only applies to a header");
      out.push(new CredentialSource(SourceKind.COOKIE, c, ""));
    }
  }
  if (out.length == 0 && arr.errors.ok) arr.errors.add(new FieldError(arr.path, FieldErrorCode.INVALID, "must list at least one place", ""));
  return out;
}

function parseConsumer(o: ObjectReader): Consumer {
  o.rejectUnknown(CONSUMER);
  const c = new Consumer();
  c.name = o.requireString("name");
  if (o.has("name") && c.name.length == 0) o.invalid("name", "must not be empty");
  const g = o.getArray("groups");
  if (g !== null) c.groups = g.strings();
  c.groupsCsv = c.groups.join(",");
  const a = o.getObject("attributes");
  const out = new ByteBuilder(32);
  out.appendString("{");
  if (a !== null) {
    const v = a.value;
    for (let i = 0; i < v.keys.length; i++) {
      const item = v.items[i];
      if (item.kind != JsonKind.STRING) { a.invalid(v.keys[i], "attribute values must be strings"); continue; }
      c.attrKeys.push(v.keys[i]);
      c.attrValues.push(item.str);
      if (c.attrKeys.length > 1) out.appendString(",");
      appendJsonString(out, v.keys[i]);
      out.appendString(":");
      appendJsonString(out, item.str);
    }
  }
  out.appendString("}");
  c.attributesJson = out.toString();
  const t = c.attribute("tenant");
  c.tenant = t === null ? "" : t;
  // Unicode lowercase first, as auth always did (a name's non-ASCII letters that lowercase to
  // ASCII keep their letter); the rest as every filter's labels.
  c.label = metricLabel(c.name.toLowerCase());
  return c;
}

function parseMatcher(o: ObjectReader | null): Matcher | null {
  if (o === null) return null;
  o.rejectUnknown(MATCHER);
  const m = new Matcher();
  const cs = o.getArray("consumers");
  if (cs !== null) m.consumers = cs.strings();
  const gs = o.getArray("groups");
  if (gs !== null) m.groups = gs.strings();
  const cl = o.getObject("claims");
  if (cl !== null) {
    const v = cl.value;
    for (let i = 0; i < v.keys.length; i++) {
      const item = v.items[i];
      const values = new Array<string>(0);
      if (item.kind == JsonKind.STRING) values.push(item.str);
      else if (item.kind == JsonKind.ARRAY) {
        for (let j = 0; j < item.items.length; j++) {
          if (item.items[j].kind == JsonKind.STRING) values.push(item.items[j].str);
          else cl.invalid(v.keys[i], "expected a string or an array of strings");
        }
      } else cl.invalid(v.keys[i], "expected a string or an array of strings");
      m.claims.push(new ClaimMatch(v.keys[i], values));
    }
  }
  if (m.isEmpty() && o.ok) o.invalid("consumers", "an allow/deny block needs consumers, groups or claims");
  return m;
}

function parseRemote(o: ObjectReader): RemoteJwks {
  o.rejectUnknown(REMOTE);
  const r = new RemoteJwks();
  r.cluster = o.requireString("cluster");
  r.path = o.requireString("path");
  if (o.has("path") && !r.path.startsWith("/")) o.invalid("path", "must start with /");
  r.authority = o.getString("authority", r.cluster);
  r.refreshSeconds = <u32>o.getInteger("refresh_seconds", 300, 1, 86400);
  r.retrySeconds = <u32>o.getInteger("retry_seconds", 10, 1, 3600);
  r.timeoutMs = <u32>o.getInteger("timeout_ms", 5000, 1, 60000);
  r.holdTimeoutMs = <u32>o.getInteger("hold_timeout_ms", 5000, 0, 60000);
  return r;
}

function parseProvider(o: ObjectReader, index: i32, out: ParsedConfig): JwtProvider {
  o.rejectUnknown(PROVIDER);
  const p = new JwtProvider();
  p.name = o.getString("name", "provider" + index.toString());
  p.issuer = o.getString("issuer");
  const aud = o.value.get("audiences");
  if (aud !== null && aud.kind == JsonKind.STRING) p.audiences.push(aud.str);
  else {
    const a = o.getArray("audiences");
    if (a !== null) p.audiences = a.strings();
  }
  p.sources = parseSources(o.getArray("from"), true);
  const algs = o.getArray("algorithms");
  if (algs !== null) {
    const names = algs.strings();
    for (let i = 0; i < names.length; i++) {
      const a = algFromName(names[i]);
      if (a < 0) { o.invalid("algorithms", "unknown algorithm `" + names[i] + "`"); continue; }
      p.algorithms |= <u32>1 << a;
    }
  }
  const hasInline = o.has("jwks");
  const hasRemote = o.has("remote_jwks");
  if (hasInline == hasRemote) o.invalid("jwks", "exactly one of jwks, remote_jwks is required");
  let keys: KeySet | null = null;
  if (hasInline) {
    let doc = o.value.get("jwks")!;
    let ok = true;
    if (doc.kind == JsonKind.STRING) {
      const parsed = parseJson(Uint8Array.wrap(String.UTF8.encode(doc.str)));
      if (parsed.value === null) { o.invalid("jwks", "unparseable JWKS: " + parsed.status.message()); ok = false; }
      else doc = parsed.value!;
    }
    if (ok) {
      const r = parseJwks(doc);
      if (r.set === null) o.invalid("jwks", r.error);
      else keys = r.set;
    }
  } else if (hasRemote) {
    const ro = o.getObject("remote_jwks");
    if (ro !== null) p.remote = parseRemote(ro);
  }
  out.inlineKeys.push(keys);
  p.clockSkewSeconds = o.getInteger("clock_skew_seconds", 60, 0, 3600);
  p.requireExp = o.getBool("require_exp", true);
  p.maxLifetimeSeconds = o.getInteger("max_lifetime_seconds", 0, 0, 31536000);
  const rc = o.getArray("required_claims");
  if (rc !== null) p.requiredClaims = rc.strings();
  p.consumerClaim = o.getString("consumer_claim", "sub");
  // A subject is unique only within its issuer (OpenID Connect Core 1.0 section 2, `sub`): the
  // prefix keeps one provider's subjects apart from another's and from configured consumers.
  p.consumerPrefix = o.getString("consumer_prefix", "");
  if (p.consumerPrefix.length > 64 || !isSafeHeaderValue(p.consumerPrefix)) o.invalid("consumer_prefix", "at most 64 characters, no control characters");
  p.groupsClaim = o.getString("groups_claim", "");
  p.tenantClaim = o.getString("tenant_claim", "");
  const ch = o.getArray("claim_headers");
  if (ch !== null) {
    for (let i = 0; i < ch.length; i++) {
      const h = ch.objectAt(i);
      if (h === null) continue;
      h.rejectUnknown(CLAIM_HEADER);
      const claim = h.requireString("claim");
      const name = h.requireString("header").toLowerCase();
      if (h.has("header") && !isLowercaseHeaderName(name)) h.invalid("header", "not a valid header name");
      p.claimHeaders.push(new ClaimHeader(claim, name));
    }
  }
  p.maxTokenBytes = <i32>o.getInteger("max_token_bytes", 8192, 64, 65536);
  p.cacheEntries = <i32>o.getInteger("cache_entries", 1024, 0, 100000);
  return p;
}

function parseRule(o: ObjectReader): Rule {
  o.rejectUnknown(RULE);
  const r = new Rule();
  r.route = o.getString("route");
  const prefix = o.getString("prefix");
  if (prefix.length > 0) {
    // Rules compare canonical paths (filters/common/assembly/route/path.ts), so the prefix is
    // written in the same form: `/v1//x/` and `/v1/%78/` mean `/v1/x/`.
    const canon = canonicalPath(prefix);
    if (canon === null) {
      const e = lastPathError();
      o.invalid("prefix", e == PathError.NOT_ABSOLUTE ? "must start with /" : "cannot be canonicalised: " + pathErrorName(e));
    }
    else r.prefix = canon!;
  }
  const host = o.getString("host");
  if (host.length > 0) {
    const wildcard = host.startsWith("*.");
    const canon = canonicalHost(wildcard ? host.substring(2) : host);
    const hasPort = host.startsWith("[") ? !host.endsWith("]") : host.indexOf(":") >= 0;
    if (canon === null || hasPort) o.invalid("host", "must be a host name without port (or *.domain): `" + host + "`");
    else r.host = wildcard ? "*." + canon : canon;
  }
  r.mode = parseMode(o, "mode", Mode.REQUIRED);
  const m = o.getArray("methods");
  if (m !== null) {
    r.methods = m.strings();
    for (let i = 0; i < r.methods.length; i++) {
      if (r.methods[i] != "api_key" && r.methods[i] != "jwt") o.invalid("methods", "unknown method `" + r.methods[i] + "` (api_key, jwt)");
    }
  }
  r.allow = parseMatcher(o.getObject("allow"));
  r.deny = parseMatcher(o.getObject("deny"));
  return r;
}

/** Parses and validates the plugin configuration. */
export function parseConfig(bytes: Uint8Array): ParsedConfig {
  const out = new ParsedConfig();
  // Envoy passes an empty buffer when the configuration is absent: that reads as {}.
  const root = openConfigRoot(bytes);
  if (!root.ok) { out.error = root.errors.first(); return out; }
  root.rejectUnknown(TOP);
  const cfg = new AuthConfig();
  cfg.realm = root.getString("realm", "aigw");
  for (let i = 0; i < cfg.realm.length; i++) {
    const c = cfg.realm.charCodeAt(i);
    if (c < 0x20 || c == 0x22 || c == 0x5c || c > 0x7e) { root.invalid("realm", "must be printable ASCII without quotes or backslashes"); break; }
  }
  cfg.defaultMode = parseMode(root, "default_mode", Mode.REQUIRED);
  cfg.forwardCredential = root.getBool("forward_credential", false);
  cfg.caseInsensitivePaths = root.getBool("case_insensitive_paths", false);
  cfg.consumerHeader = root.getString("consumer_header", "x-aigw-consumer").toLowerCase();
  if (!isLowercaseHeaderName(cfg.consumerHeader)) root.invalid("consumer_header", "not a valid header name");
  const sh = root.getArray("strip_headers");
  if (sh !== null) {
    const names = sh.strings();
    for (let i = 0; i < names.length; i++) {
      const n = names[i].toLowerCase();
      if (!isLowercaseHeaderName(n)) root.invalid("strip_headers", "`" + names[i] + "` is not a valid header name");
      else cfg.stripHeaders.push(n);
    }
  }

  const cs = root.getArray("consumers");
  if (cs !== null) {
    for (let i = 0; i < cs.length; i++) {
      const o = cs.objectAt(i);
      if (o === null) continue;
      const c = parseConsumer(o);
      if (c.name.length > 0 && cfg.findConsumer(c.name) !== null) o.invalid("name", "duplicate consumer `" + c.name + "`");
      cfg.consumers.push(c);
    }
  }

  const ak = root.getObject("api_keys");
  if (ak !== null) {
    ak.rejectUnknown(API_KEYS);
    const conf = new ApiKeyConfig();
    conf.sources = parseSources(ak.getArray("from"), true);
    const keys = ak.requireArray("keys");
    if (keys !== null) {
      for (let i = 0; i < keys.length; i++) {
        const o = keys.objectAt(i);
        if (o === null) continue;
        o.rejectUnknown(KEY);
        const name = o.requireString("consumer");
        const consumer = cfg.findConsumer(name);
        if (o.has("consumer") && consumer === null) { o.invalid("consumer", "unknown consumer `" + name + "` (declare it under consumers)"); continue; }
        let digest: Uint8Array | null = null;
        if (o.has("sha256") && o.has("key")) o.invalid("sha256", "give either sha256 or key, not both");
        else if (o.has("sha256")) {
          digest = parseHexDigest(o.getString("sha256"));
          if (digest === null && o.ok) o.invalid("sha256", "must be 64 hexadecimal digits (the SHA-256 digest of the key)");
        } else if (o.has("key")) {
          const k = o.getSecret("key");
          if (k.length == 0) o.invalid("key", "must not be empty");
          else digest = sha256(Uint8Array.wrap(String.UTF8.encode(k)));
        } else o.invalid("sha256", "a key needs its sha256 digest (or a plain key)");
        if (digest !== null && consumer !== null) {
          conf.keys.push(new ApiKeyEntry(digest, consumer));
          if (!out.keyStore.add(new ApiKeyEntry(digest, consumer))) o.invalid("sha256", "the same key is listed twice");
        }
      }
    }
    cfg.apiKeys = conf;
  }

  const ps = root.getArray("jwt_providers");
  if (ps !== null) {
    for (let i = 0; i < ps.length; i++) {
      const o = ps.objectAt(i);
      if (o === null) { out.inlineKeys.push(null); continue; }
      const p = parseProvider(o, i, out);
      for (let j = 0; j < cfg.providers.length; j++) {
        if (cfg.providers[j].name == p.name) o.invalid("name", "duplicate provider name `" + p.name + "`");
      }
      cfg.providers.push(p);
    }
    if (cfg.providers.length > 1) {
      for (let i = 0; i < cfg.providers.length; i++) {
        if (cfg.providers[i].issuer.length == 0) {
          root.invalid("jwt_providers[" + i.toString() + "].issuer", "required when there are several providers (it selects the provider)");
        }
      }
    }
  }

  const rs = root.getArray("rules");
  if (rs !== null) {
    for (let i = 0; i < rs.length; i++) {
      const o = rs.objectAt(i);
      if (o !== null) cfg.rules.push(parseRule(o));
    }
  }
  // Upstreams that serve /V1/Embeddings as /v1/embeddings: rules compare lower-cased paths.
  if (cfg.caseInsensitivePaths) for (let i = 0; i < cfg.rules.length; i++) cfg.rules[i].prefix = cfg.rules[i].prefix.toLowerCase();

  if (!root.ok) {
    out.error = root.errors.first();
    return out;
  }
  out.config = cfg;
  return out;
}
