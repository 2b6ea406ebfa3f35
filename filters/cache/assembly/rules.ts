// Which policy applies to a request: the first rule whose `route` (xds.route_name) and `prefix`
// both match, in configuration order; else the top-level defaults.
import { CacheConfig, Policy } from "./model";

export class Selected {
  /** The rule's position, or -1 for the defaults (part of the cache key). */
  constructor(public policy: Policy, public index: i32) {}
}

export function selectPolicy(cfg: CacheConfig, route: string, path: string): Selected {
  for (let i = 0; i < cfg.routes.length; i++) {
    const r = cfg.routes[i];
    if (r.route.length > 0 && r.route != route) continue;
    if (r.prefix.length > 0 && !path.startsWith(r.prefix)) continue;
    return new Selected(r.policy, r.index);
  }
  return new Selected(cfg.defaults, -1);
}
