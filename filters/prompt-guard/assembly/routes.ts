// Which route policy applies to a request: the first `routes` entry whose match holds (xds route
// name, path prefix, host; empty = any), else the top-level defaults (named "default").
import { GuardConfig, Route } from "./config";
import { asciiLowerCase } from "../../common/assembly/http/header";

/** Lowercase host without port (IPv6 literals keep their brackets). */
export function hostOnly(authority: string): string {
  let h = authority;
  if (h.startsWith("[")) {
    const close = h.indexOf("]");
    if (close > 0) h = h.substring(0, close + 1);
  } else {
    const colon = h.lastIndexOf(":");
    if (colon >= 0) h = h.substring(0, colon);
  }
  return asciiLowerCase(h);
}

export function selectRoute(cfg: GuardConfig, routeName: string, path: string, authority: string): Route {
  let p = path;
  const q = p.indexOf("?");
  if (q >= 0) p = p.substring(0, q);
  const host = hostOnly(authority);
  for (let i = 0; i < cfg.routes.length; i++) {
    const r = cfg.routes[i];
    if (r.route.length > 0 && r.route != routeName) continue;
    if (r.prefix.length > 0 && !p.startsWith(r.prefix)) continue;
    if (r.host.length > 0 && r.host != host) continue;
    return r;
  }
  return cfg.defaults;
}
