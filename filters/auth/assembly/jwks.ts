// A provider's remote JWKS: fetched with http_call to a named cluster, refreshed on the timer,
// the last good set kept when a refresh fails.
//
// Envoy runs one VM per worker thread; all VMs with the same vm_id share "shared data". So that N
// workers do not fetch N times, the fetched document is published in shared data
// (`<key>` = "<fetched-at ms>\n<JWKS JSON>") and fetching is guarded by a lease
// (`<key>.lease` = "<expires-at ms>") taken with compare-and-swap: only the VM whose CAS succeeds
// calls out; the others adopt the published set on their next tick (or when a request needs it).
import {
  getSharedData, setSharedData, httpCall, httpCallResponseStatus, httpCallResponseBody, HeaderPair, WasmResult,
  logWarn, logInfo,
} from "../../common/sdk";
import { parseJson } from "../../common/assembly/json/value";
import { KeySet, parseJwks } from "./jwk";
import { RemoteJwks } from "./model";

/** A JWKS document larger than this is refused (real ones are a few KiB). */
const MAX_JWKS_BYTES: u32 = 1 << 20;

export class Fetched {
  constructor(public set: KeySet | null, public error: string) {}
}

/** Parses a JWKS document received over HTTP: keys the filter cannot use are skipped (jwk.ts). */
export function parseJwksBytes(body: Uint8Array): Fetched {
  const parsed = parseJson(body, 0, body.length, 16, true);
  if (parsed.value === null) return new Fetched(null, "unparseable JWKS: " + parsed.status.message());
  const r = parseJwks(parsed.value!, false);
  return new Fetched(r.set, r.error);
}

export class RemoteKeys {
  readonly sharedKey: string;
  readonly leaseKey: string;
  keys: KeySet | null = null;
  /** fetched-at stamp (ms) of the adopted set; 0 = none. */
  stamp: i64 = 0;
  /** Earliest time (ms) of the next fetch attempt (after a failure). */
  retryAt: i64 = 0;
  inflight: bool = false;
  callToken: u32 = 0;
  holdsLease: bool = false;
  lastError: string = "";
  failures: i32 = 0;

  constructor(public provider: string, public remote: RemoteJwks) {
    const key = "aigw.auth.jwks|" + remote.cluster + "|" + remote.authority + remote.path;
    this.sharedKey = key;
    this.leaseKey = key + "|lease";
  }

  /** Adopts a newer set published by any VM; true when the keys changed. */
  adoptShared(): bool {
    const v = getSharedData(this.sharedKey);
    if (v === null) return false;
    const bytes = Uint8Array.wrap(v.value);
    let nl = -1;
    for (let i = 0; i < bytes.length && i < 24; i++) if (bytes[i] == 0x0a) { nl = i; break; }
    if (nl <= 0) return false;
    const stamp = I64.parseInt(String.UTF8.decodeUnsafe(bytes.dataStart, <usize>nl), 10);
    if (stamp <= 0 || stamp == this.stamp) return false;
    const f = parseJwksBytes(bytes.subarray(nl + 1));
    if (f.set === null) return false;
    this.keys = f.set;
    this.stamp = stamp;
    return true;
  }

  /** True when a fetch should be attempted at `nowMs`. */
  due(nowMs: i64): bool {
    if (this.inflight || nowMs < this.retryAt) return false;
    if (this.keys === null) return true;
    return nowMs >= this.stamp + <i64>this.remote.refreshSeconds * 1000;
  }

  private acquireLease(nowMs: i64): bool {
    let cur = getSharedData(this.leaseKey);
    if (cur === null) {
      // Create the key once; every VM writes the same "free" value, so the race is harmless and
      // from then on every acquisition goes through a real CAS.
      setSharedData(this.leaseKey, String.UTF8.encode("0"), 0);
      cur = getSharedData(this.leaseKey);
      if (cur === null) return false;
    }
    const held = I64.parseInt(String.UTF8.decode(cur.value), 10);
    if (held > nowMs) return false;
    const until = nowMs + <i64>this.remote.timeoutMs + 1000;
    return setSharedData(this.leaseKey, String.UTF8.encode(until.toString()), cur.cas) == WasmResult.Ok;
  }

  releaseLease(): void {
    if (!this.holdsLease) return;
    this.holdsLease = false;
    const cur = getSharedData(this.leaseKey);
    if (cur !== null) setSharedData(this.leaseKey, String.UTF8.encode("0"), cur.cas);
  }

  /** Starts a fetch if due and this VM wins the lease. Returns true when a call was sent. */
  maybeFetch(rootId: u32, nowMs: i64): bool {
    if (!this.due(nowMs)) return false;
    if (!this.acquireLease(nowMs)) return false;
    this.holdsLease = true;
    const h = new Array<HeaderPair>(0);
    h.push(new HeaderPair(":method", "GET"));
    h.push(new HeaderPair(":path", this.remote.path));
    h.push(new HeaderPair(":authority", this.remote.authority));
    h.push(new HeaderPair("accept", "application/json"));
    const r = httpCall(rootId, null, this.remote.cluster, h, new ArrayBuffer(0), this.remote.timeoutMs);
    if (!r.ok) {
      this.fetchFailed(nowMs, "http_call to cluster `" + this.remote.cluster + "` refused (result " + r.result.toString() + ")");
      return false;
    }
    this.inflight = true;
    this.callToken = r.token;
    return true;
  }

  /** Handles the http_call answer; true when a new set was adopted. */
  onResponse(nowMs: i64, headerCount: u32, bodySize: u32): bool {
    this.inflight = false;
    const status = headerCount == 0 ? 0 : httpCallResponseStatus();
    if (status == 200 && bodySize > MAX_JWKS_BYTES) {
      this.fetchFailed(nowMs, "JWKS larger than " + MAX_JWKS_BYTES.toString() + " bytes");
      return false;
    }
    if (status != 200) {
      this.fetchFailed(nowMs, status == 0 ? "no response (timeout or connection failure)" : "HTTP status " + status.toString());
      return false;
    }
    const body = Uint8Array.wrap(httpCallResponseBody(bodySize));
    const f = parseJwksBytes(body);
    if (f.set === null) {
      this.fetchFailed(nowMs, f.error);
      return false;
    }
    this.keys = f.set;
    this.stamp = nowMs > this.stamp ? nowMs : this.stamp + 1;
    this.retryAt = 0;
    this.failures = 0;
    this.lastError = "";
    const head = String.UTF8.encode(this.stamp.toString() + "\n");
    const value = new Uint8Array(head.byteLength + body.length);
    value.set(Uint8Array.wrap(head), 0);
    value.set(body, head.byteLength);
    setSharedData(this.sharedKey, value.buffer, 0);
    this.releaseLease();
    const set = f.set!;
    logInfo("auth: provider `" + this.provider + "`: JWKS fetched from cluster `" + this.remote.cluster + "` (" + set.keys.length.toString() + " keys" +
      (set.skipped > 0 ? ", " + set.skipped.toString() + " skipped" : "") + ")");
    for (let i = 0; i < set.skippedNotes.length; i++) {
      logWarn("auth: provider `" + this.provider + "`: JWKS key skipped: " + set.skippedNotes[i]);
    }
    return true;
  }

  private fetchFailed(nowMs: i64, why: string): void {
    this.inflight = false;
    this.failures++;
    this.lastError = why;
    this.retryAt = nowMs + <i64>this.remote.retrySeconds * 1000;
    this.releaseLease();
    logWarn("auth: provider `" + this.provider + "`: JWKS fetch from cluster `" + this.remote.cluster + "` failed: " + why +
      (this.keys !== null ? "; keeping the last good key set" : "; no key set yet"));
  }
}
