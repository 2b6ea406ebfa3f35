// The tokenize vault of ONE stream: placeholder → original bytes. It lives in the HTTP context and
// dies with it (proxy_on_delete), so a value never outlives the request/answer it belongs to and
// never crosses streams. Equal values get equal placeholders (keyed digest, see digest.ts), so
// the vault needs no counter and a replayed (cached) answer maps back the same way.
export class Vault {
  private map: Map<string, Uint8Array> = new Map();
  /** Longest placeholder stored (bytes), for stream hold-back. */
  maxKeyLength: i32 = 0;

  get size(): i32 { return this.map.size; }

  put(placeholder: string, value: Uint8Array): void {
    if (!this.map.has(placeholder)) {
      this.map.set(placeholder, value);
      if (placeholder.length > this.maxKeyLength) this.maxKeyLength = placeholder.length;
    }
  }

  /** The original for a placeholder, or null. */
  get(placeholder: string): Uint8Array | null {
    if (!this.map.has(placeholder)) return null;
    return this.map.get(placeholder);
  }
}
