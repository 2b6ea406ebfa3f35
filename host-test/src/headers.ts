// An Envoy-like header map: ordered entries, lowercase names, repeated names kept as separate
// entries (Http::HeaderMapImpl). `get` returns the first value only, as Envoy's
// Context::getHeaderMapValue does (source/extensions/common/wasm/context.cc).
import type { Pairs } from "./abi.ts";

export type HeadersInit = Record<string, string | string[]> | Pairs | HeaderMap | undefined;

export class HeaderMap {
  entries: Pairs = [];
  constructor(init?: HeadersInit) {
    if (!init) return;
    if (init instanceof HeaderMap) { this.entries = init.entries.map(([k, v]) => [k, v]); return; }
    if (Array.isArray(init)) { for (const [k, v] of init) this.add(k, v); return; }
    for (const [k, v] of Object.entries(init)) {
      if (Array.isArray(v)) for (const x of v) this.add(k, x); else this.add(k, String(v));
    }
  }
  get size(): number { return this.entries.length; }
  /** Envoy's HeaderMap::byteSize(): sum of key and value lengths. */
  byteSize(): number { let n = 0; for (const [k, v] of this.entries) n += Buffer.byteLength(k) + Buffer.byteLength(v); return n; }
  get(name: string): string | undefined { const k = name.toLowerCase(); return this.entries.find((e) => e[0] === k)?.[1]; }
  getAll(name: string): string[] { const k = name.toLowerCase(); return this.entries.filter((e) => e[0] === k).map((e) => e[1]); }
  has(name: string): boolean { return this.get(name) !== undefined; }
  /** addCopy: appended; a pseudo-header goes after the last pseudo-header (HeaderMapImpl::insertByKey). */
  add(name: string, value: string): void {
    const k = name.toLowerCase();
    if (k.startsWith(":")) {
      let i = 0;
      while (i < this.entries.length && this.entries[i][0].startsWith(":")) i++;
      if (i < this.entries.length) { this.entries.splice(i, 0, [k, value]); return; }
    }
    this.entries.push([k, value]);
  }
  /** HeaderMapImpl::setCopy (what proxy_replace_header_map_value calls): remove every entry of
   *  the name, then addCopy, so the header moves to the end (after the pseudo-headers for a
   *  pseudo-header). */
  setCopy(name: string, value: string): void { this.remove(name); this.add(name, value); }
  /** setInline (setContentLength, setStatus…): the first entry's value is replaced in place and
   *  the other entries of the name removed; added if missing. */
  set(name: string, value: string): void {
    const k = name.toLowerCase();
    const i = this.entries.findIndex((e) => e[0] === k);
    if (i < 0) { this.entries.push([k, value]); return; }
    this.entries[i] = [k, value];
    this.entries = this.entries.filter((e, j) => j <= i || e[0] !== k);
  }
  remove(name: string): void { const k = name.toLowerCase(); this.entries = this.entries.filter((e) => e[0] !== k); }
  replaceAll(pairs: Pairs): void { this.entries = []; for (const [k, v] of pairs) this.add(k, v); }
  pairs(): Pairs { return this.entries.map(([k, v]) => [k, v]); }
  /** Plain object view; repeated names are joined with "," (how a client sees them). */
  toObject(): Record<string, string> {
    const o: Record<string, string> = {};
    for (const [k, v] of this.entries) o[k] = k in o ? `${o[k]},${v}` : v;
    return o;
  }
  clone(): HeaderMap { return new HeaderMap(this); }
}
