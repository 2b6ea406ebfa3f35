// A configured name (consumer, provider, model, limit) as a metric label value. docs/contract.md:
// label values are [a-z0-9_], so that a name can neither start a new `.`-separated segment of the
// metric name nor break Envoy's stats_config tag extraction. ASCII letters are lowercased; every
// other UTF-16 unit becomes `_`. Configure-time only (not on the request path).

/** `s` as a label value, from at most `maxUnits` UTF-16 units of it. */
export function metricLabel(s: string, maxUnits: i32 = i32.MAX_VALUE): string {
  let out = "";
  for (let i = 0; i < s.length && i < maxUnits; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 32;
    out += (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) ? String.fromCharCode(c) : "_";
  }
  return out;
}
