// API key lookup. Keys are kept only as SHA-256 digests (plain keys from the configuration are
// hashed at configure time and the plain text dropped). A presented key is hashed, then compared
// with constant-time equality (crypto/ct.ts) against the configured digests that share its first
// 8 bytes. The bucket choice leaks, through timing, at most whether 64 bits of SHA-256(guess)
// match a stored digest, which says nothing usable about any key (finding a guess with a chosen
// digest prefix is a preimage search); the full 32-byte comparison is constant-time.
import { sha256, constantTimeEqual } from "./crypto";
import { ApiKeyEntry, Consumer } from "./model";

function bucketOf(d: Uint8Array): u64 {
  return load<u64>(d.dataStart);
}

export class ApiKeyStore {
  private buckets: Map<u64, Array<ApiKeyEntry>> = new Map();
  size: i32 = 0;

  /** Adds a digest; false when the same digest is already present (a duplicate key). */
  add(entry: ApiKeyEntry): bool {
    if (entry.digest.length != 32) return false;
    const b = bucketOf(entry.digest);
    let list: Array<ApiKeyEntry>;
    if (this.buckets.has(b)) list = this.buckets.get(b);
    else {
      list = new Array<ApiKeyEntry>(0);
      this.buckets.set(b, list);
    }
    for (let i = 0; i < list.length; i++) if (constantTimeEqual(list[i].digest, entry.digest)) return false;
    list.push(entry);
    this.size++;
    return true;
  }

  /** The consumer owning `key`, or null. */
  lookup(key: string): Consumer | null {
    const d = sha256(Uint8Array.wrap(String.UTF8.encode(key)));
    const b = bucketOf(d);
    if (!this.buckets.has(b)) return null;
    const list = this.buckets.get(b);
    let found: Consumer | null = null;
    // No early exit: every candidate of the bucket is compared.
    for (let i = 0; i < list.length; i++) {
      if (constantTimeEqual(list[i].digest, d)) found = list[i].consumer;
    }
    return found;
  }
}

/** Parses a 64-hex-digit SHA-256 digest (either case); null when malformed. */
export function parseHexDigest(hex: string): Uint8Array | null {
  if (hex.length != 64) return null;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    const h = hexNibble(hex.charCodeAt(2 * i));
    const l = hexNibble(hex.charCodeAt(2 * i + 1));
    if (h < 0 || l < 0) return null;
    out[i] = <u8>((h << 4) | l);
  }
  return out;
}

function hexNibble(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}
