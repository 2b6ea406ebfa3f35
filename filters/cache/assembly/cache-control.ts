// The Cache-Control directives the filter obeys (RFC 9111 section 5.2): `no-cache` on a request
// skips the lookup, `no-store` on a request or an answer skips the store. Directive names are
// case-insensitive; values and other directives are ignored; several headers or comma-separated
// lists are one list (RFC 9110 section 5.3).
export class CacheControl {
  noCache: bool = false;
  noStore: bool = false;
}

export function cacheControl(values: Array<string>): CacheControl {
  const c = new CacheControl();
  for (let i = 0; i < values.length; i++) {
    const parts = values[i].split(",");
    for (let j = 0; j < parts.length; j++) {
      let d = parts[j].trim().toLowerCase();
      const eq = d.indexOf("=");
      if (eq >= 0) d = d.substring(0, eq).trim();
      if (d == "no-cache") c.noCache = true;
      else if (d == "no-store") c.noStore = true;
    }
  }
  return c;
}
