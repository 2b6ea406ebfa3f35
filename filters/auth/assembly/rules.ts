// Per-route policy: which rule applies to a request (first match wins, in configuration order)
// and whether an authenticated identity may pass it.
import { AuthConfig, Matcher, Mode, Rule } from "./model";
import { Identity } from "./identity";

/** `pattern` is a canonical host or "*.example.com" (any subdomain, not the apex); `host` is
 *  canonical (filters/common/assembly/route/host.ts). */
export function hostMatches(pattern: string, host: string): bool {
  if (pattern.startsWith("*.")) {
    const suffix = pattern.substring(1);
    return host.length > suffix.length && host.endsWith(suffix);
  }
  return pattern == host;
}

/** Whether canonical `path` is under rule prefix `prefix`. A prefix ending in "/" also matches
 *  the path without that slash (`/admin/` covers `/admin`): servers commonly serve both (or
 *  redirect one to the other), as Envoy's `path_separated_prefix` treats them. */
export function prefixMatches(prefix: string, path: string): bool {
  if (path.startsWith(prefix)) return true;
  const n = prefix.length;
  return n > 1 && prefix.charCodeAt(n - 1) == 0x2f && path.length == n - 1 && prefix.startsWith(path);
}

/** The first rule whose conditions all hold, or null. `route` is xds.route_name ("" if none);
 *  `path` and `host` are the canonical forms (filters/common/assembly/route/), never the raw ones. */
export function selectRule(cfg: AuthConfig, route: string, p: string, h: string): Rule | null {
  for (let i = 0; i < cfg.rules.length; i++) {
    const r = cfg.rules[i];
    if (r.route.length > 0 && r.route != route) continue;
    if (r.prefix.length > 0 && !prefixMatches(r.prefix, p)) continue;
    if (r.host.length > 0 && !hostMatches(r.host, h)) continue;
    return r;
  }
  return null;
}

export function modeOf(cfg: AuthConfig, rule: Rule | null): i32 {
  return rule === null ? cfg.defaultMode : rule.mode;
}

function matches(m: Matcher, id: Identity): bool {
  for (let i = 0; i < m.consumers.length; i++) if (m.consumers[i] == id.name) return true;
  for (let i = 0; i < m.groups.length; i++) if (id.inGroup(m.groups[i])) return true;
  for (let i = 0; i < m.claims.length; i++) {
    const c = m.claims[i];
    const have = id.claimStrings(c.claim);
    if (have === null) continue;
    for (let j = 0; j < have.length; j++) {
      for (let k = 0; k < c.values.length; k++) if (have[j] == c.values[k]) return true;
    }
  }
  return false;
}

/** "" when `id` may pass `rule`, otherwise the denial reason (a metric label). */
export function authorize(rule: Rule | null, id: Identity): string {
  if (rule === null) return "";
  const deny = rule.deny;
  if (deny !== null && matches(deny, id)) return "denied_by_rule";
  const allow = rule.allow;
  if (allow !== null && !matches(allow, id)) return "not_allowed";
  return "";
}

/** Whether `rule` lets a credential of `method` ("api_key", "jwt") authenticate. A credential of
 *  another kind is never checked: the stream answers 401 `method_not_allowed` (stream.ts). */
export function acceptsMethod(rule: Rule | null, method: string): bool {
  return rule === null || rule.methods.length == 0 || rule.methods.includes(method);
}
