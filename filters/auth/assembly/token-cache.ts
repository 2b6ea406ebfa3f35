// Verified-token cache: SHA-256 of the token -> the identity it proved. Bounded (oldest entry
// evicted first) and never serves an entry at or past the token's `exp`, whatever the clock skew
// allowed when it was verified. Emptied when a provider's key set changes (a key may have been
// revoked by its removal).
import { sha256 } from "./crypto";
import { Identity } from "./identity";

export class CachedToken {
  constructor(public identity: Identity, public provider: i32, public expiresAt: i64) {}
}

export class TokenCache {
  private map: Map<string, CachedToken> = new Map();
  private order: Array<string> = new Array<string>(0);
  private head: i32 = 0;

  constructor(public capacity: i32) {}

  get size(): i32 { return this.map.size; }

  static keyOf(token: string): string {
    const d = sha256(Uint8Array.wrap(String.UTF8.encode(token)));
    // 32 raw bytes as a 16-char UTF-16 string: a cheap exact map key.
    return String.UTF16.decodeUnsafe(d.dataStart, 32);
  }

  /** The cached entry for `key` still valid at `now` (seconds), or null (expired ones are dropped). */
  get(key: string, now: i64): CachedToken | null {
    if (!this.map.has(key)) return null;
    const e = this.map.get(key);
    if (now >= e.expiresAt) {
      this.map.delete(key);
      return null;
    }
    return e;
  }

  put(key: string, entry: CachedToken): void {
    if (this.capacity <= 0) return;
    if (this.map.has(key)) {
      this.map.set(key, entry);
      return;
    }
    // Evict the oldest insertions until there is room; `order` is a FIFO with a moving head.
    while (this.map.size >= this.capacity && this.head < this.order.length) {
      const old = this.order[this.head++];
      if (this.map.has(old)) this.map.delete(old);
    }
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
    // Keys dropped on expiry stay in `order`; rebuild it before it outgrows the map.
    if (this.order.length - this.head > this.capacity * 2 + 16) {
      this.order = this.map.keys();
      this.head = 0;
    }
    this.order.push(key);
    this.map.set(key, entry);
  }

  clear(): void {
    this.map.clear();
    this.order = new Array<string>(0);
    this.head = 0;
  }
}
