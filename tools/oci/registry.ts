// A small client for the OCI distribution API (push side only), on Node's fetch:
// blob existence (HEAD), upload (POST, then one PUT ?digest= or PATCH chunks then PUT), manifest PUT.
// Auth follows the registry's challenge (distribution spec "token authentication"): the first request
// goes out bare; a 401 names `Basic` or `Bearer realm=…,service=…`; for Bearer a token is fetched from
// the realm (with basic credentials when given) and used for the rest of the session.
// Every failure ends as one line that says what to do.
import type { ImageRef } from "./ref.ts";
import { apiHost } from "./ref.ts";
import type { Blob } from "./image.ts";

export interface Credentials {
  username: string;
  password: string;
}

export interface ClientOptions {
  /** Plain http instead of https. */
  insecure?: boolean;
  credentials?: Credentials;
  /** Attempts per request on transient failures (429/502/503/504, connection reset). */
  attempts?: number;
  /** First backoff delay; doubles each retry (with jitter), capped at 5 s. */
  backoffMs?: number;
  /** Blobs larger than this go up in PATCH chunks of this size; smaller ones in one PUT. */
  chunkSize?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
}

export class RegistryError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message.replace(/\s+/g, " ").trim());
  }
}

const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);
const TRANSIENT_CODES = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "UND_ERR_SOCKET", "ECONNABORTED", "EAI_AGAIN"]);
const MAX_BACKOFF_MS = 5000;

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (or `Basic realm="…"`). */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2].matchAll(/([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, "$1") : p[3];
  }
  return { scheme: m[1].toLowerCase(), params };
}

function errorCode(err: unknown): string | undefined {
  let e: any = err;
  for (let depth = 0; e && depth < 4; depth++, e = e.cause) {
    if (typeof e.code === "string") return e.code;
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RegistryClient {
  readonly base: string;
  private auth?: string;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly chunkSize: number;
  private readonly timeoutMs: number;

  constructor(readonly ref: ImageRef, private readonly opts: ClientOptions = {}) {
    this.base = `${opts.insecure ? "http" : "https"}://${apiHost(ref)}`;
    this.attempts = Math.max(1, opts.attempts ?? 5);
    this.backoffMs = opts.backoffMs ?? 300;
    this.chunkSize = Math.max(1, opts.chunkSize ?? 16 * 1024 * 1024);
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  /** True when the registry already holds the blob (then it is not uploaded again). */
  async hasBlob(digest: string): Promise<boolean> {
    const res = await this.request("HEAD", this.repoPath(`blobs/${digest}`));
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    throw await this.fail(res, "HEAD", `blobs/${digest}`);
  }

  /** Uploads a blob unless present; returns whether bytes were sent. */
  async pushBlob(blob: Blob): Promise<boolean> {
    if (await this.hasBlob(blob.digest)) return false;
    const start = await this.request("POST", this.repoPath("blobs/uploads/"));
    if (start.status !== 202) throw await this.fail(start, "POST", "blobs/uploads/");
    let location = this.location(start, "POST blobs/uploads/");
    const octets = { "Content-Type": "application/octet-stream" };
    let body: Buffer | undefined = blob.data;
    if (blob.data.length > this.chunkSize) {
      // Chunked upload: each PATCH carries its byte range and answers with the next upload URL.
      for (let offset = 0; offset < blob.data.length; offset += this.chunkSize) {
        const chunk = blob.data.subarray(offset, offset + this.chunkSize);
        const range = `${offset}-${offset + chunk.length - 1}`;
        const res = await this.request("PATCH", location, { body: chunk, headers: { ...octets, "Content-Range": range } });
        if (res.status !== 202) throw await this.fail(res, "PATCH", "blob upload chunk");
        location = this.location(res, "PATCH blob upload");
      }
      body = undefined;
    }
    const url = new URL(location);
    url.searchParams.set("digest", blob.digest);
    const done = await this.request("PUT", url.toString(), { body: body ?? Buffer.alloc(0), headers: octets });
    if (done.status !== 201) throw await this.fail(done, "PUT", "blob upload");
    const stored = done.headers.get("docker-content-digest");
    if (stored && stored !== blob.digest) {
      throw new RegistryError(`${this.ref.registry} stored blob ${blob.digest} as ${stored}: upload corrupted, retry`);
    }
    return true;
  }

  /** PUTs the manifest under `tag`; returns the digest the registry stored it under. */
  async putManifest(tag: string, manifest: Buffer, mediaType: string, digest: string): Promise<string> {
    const res = await this.request("PUT", this.repoPath(`manifests/${tag}`), { body: manifest, headers: { "Content-Type": mediaType } });
    if (res.status !== 201) throw await this.fail(res, "PUT", `manifests/${tag}`);
    const stored = res.headers.get("docker-content-digest") ?? digest;
    if (stored !== digest) {
      throw new RegistryError(`${this.ref.registry} stored the manifest as ${stored}, expected ${digest}`);
    }
    return stored;
  }

  private repoPath(rest: string): string {
    return `${this.base}/v2/${this.ref.repository}/${rest}`;
  }

  private location(res: Response, what: string): string {
    const loc = res.headers.get("location");
    if (!loc) throw new RegistryError(`${this.ref.registry} answered ${what} without a Location header: not an OCI registry?`);
    return new URL(loc, this.base).toString();
  }

  /** One API call: adds auth, answers one 401 challenge, retries transient failures. */
  private async request(method: string, url: string, init: { body?: Buffer; headers?: Record<string, string> } = {}): Promise<Response> {
    let authTried = false;
    for (;;) {
      const headers: Record<string, string> = { ...init.headers };
      if (this.auth) headers.Authorization = this.auth;
      const res = await this.send(url, { method, headers, body: init.body });
      if (res.status !== 401 || authTried) return res;
      const header = res.headers.get("www-authenticate");
      await res.arrayBuffer().catch(() => undefined);
      if (!header) return res;
      authTried = true;
      await this.authenticate(header);
    }
  }

  private async authenticate(header: string): Promise<void> {
    const ch = parseChallenge(header);
    const creds = this.opts.credentials;
    if (ch?.scheme === "basic") {
      if (!creds) throw this.authError(false);
      this.auth = "Basic " + Buffer.from(`${creds.username}:${creds.password}`).toString("base64");
      return;
    }
    if (ch?.scheme !== "bearer" || !ch.params.realm) {
      throw new RegistryError(`${this.ref.registry} asked for unsupported authentication "${header}"`);
    }
    const url = new URL(ch.params.realm);
    if (ch.params.service) url.searchParams.set("service", ch.params.service);
    const scopes = new Set([`repository:${this.ref.repository}:pull,push`]);
    if (ch.params.scope) scopes.add(ch.params.scope);
    for (const s of scopes) url.searchParams.append("scope", s);
    const headers: Record<string, string> = {};
    if (creds) headers.Authorization = "Basic " + Buffer.from(`${creds.username}:${creds.password}`).toString("base64");
    const res = await this.send(url.toString(), { method: "GET", headers });
    if (res.status === 401 || res.status === 403) {
      await res.arrayBuffer().catch(() => undefined);
      throw this.authError(!!creds, `token service ${url.origin} said ${res.status}`);
    }
    if (!res.ok) throw await this.fail(res, "GET", `token from ${url.origin}`);
    const body: any = await res.json().catch(() => ({}));
    const token = body.token ?? body.access_token;
    if (typeof token !== "string" || token === "") {
      throw new RegistryError(`token service ${url.origin} answered without a token`);
    }
    this.auth = `Bearer ${token}`;
  }

  private authError(hadCredentials: boolean, detail = "401 Unauthorized"): RegistryError {
    return hadCredentials
      ? new RegistryError(`${this.ref.registry} rejected the credentials (${detail}): check --username/--password or REGISTRY_USERNAME/REGISTRY_PASSWORD`, 401)
      : new RegistryError(`${this.ref.registry} requires authentication (${detail}): pass --username/--password or set REGISTRY_USERNAME/REGISTRY_PASSWORD`, 401);
  }

  /** fetch with a timeout and retries on transient statuses and dropped connections. */
  private async send(url: string, init: { method: string; headers: Record<string, string>; body?: Buffer }): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        const body = init.body === undefined ? undefined : new Uint8Array(init.body); // a copy typed for fetch
        res = await fetch(url, { ...init, body, redirect: "follow", signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (err) {
        const code = errorCode(err);
        if (attempt < this.attempts && code !== undefined && TRANSIENT_CODES.has(code)) {
          await sleep(this.delay(attempt));
          continue;
        }
        throw this.networkError(url, err, code, attempt);
      }
      if (!TRANSIENT_STATUS.has(res.status) || attempt >= this.attempts) return res;
      const retryAfter = Number(res.headers.get("retry-after"));
      await res.arrayBuffer().catch(() => undefined);
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, MAX_BACKOFF_MS) : this.delay(attempt));
    }
  }

  private delay(attempt: number): number {
    const d = this.backoffMs * 2 ** (attempt - 1);
    return Math.min(MAX_BACKOFF_MS, d / 2 + Math.random() * (d / 2));
  }

  private networkError(url: string, err: unknown, code: string | undefined, attempts: number): RegistryError {
    const origin = new URL(url).origin;
    if ((err as any)?.name === "TimeoutError") {
      return new RegistryError(`registry at ${origin} did not answer within ${Math.round(this.timeoutMs / 1000)} s — is it overloaded? check the ref`);
    }
    switch (code) {
      case "ECONNREFUSED":
        return new RegistryError(`registry unreachable at ${origin}: connection refused — is it running? check the ref`);
      case "ENOTFOUND":
      case "EAI_AGAIN":
        return new RegistryError(`registry unreachable at ${origin}: host not found — check the ref`);
      case "EHOSTUNREACH":
      case "ENETUNREACH":
        return new RegistryError(`registry unreachable at ${origin}: no route to host — check the ref and your network`);
    }
    if (code && (code.startsWith("ERR_SSL") || code === "EPROTO" || code.startsWith("ERR_TLS") || code.includes("CERT"))) {
      return new RegistryError(`TLS with ${origin} failed (${code}): if the registry serves plain http, pass --insecure`);
    }
    const why = code ?? ((err as any)?.cause?.message ?? (err as Error)?.message ?? String(err));
    const tries = attempts > 1 ? ` (after ${attempts} attempts)` : "";
    return new RegistryError(`registry unreachable at ${origin}: ${why}${tries} — check the ref`);
  }

  /** Turns an unexpected answer into a one-line error, with the registry's own error code when it sent one. */
  private async fail(res: Response, method: string, what: string): Promise<RegistryError> {
    let detail = "";
    try {
      const body: any = JSON.parse(await res.text());
      const e = body?.errors?.[0];
      if (e) detail = `: ${e.code ?? ""} ${e.message ?? ""}`.trimEnd();
    } catch {
      // not JSON: the status line says enough
    }
    const reg = this.ref.registry;
    const status = `${res.status} ${res.statusText}`.trim();
    if (res.status === 401) return this.authError(!!this.opts.credentials);
    if (res.status === 403) {
      return new RegistryError(`${reg} denied ${method} ${what} on ${this.ref.repository} (${status}${detail}): the account may lack push rights to this repository`, 403);
    }
    if (res.status === 404) {
      return new RegistryError(`${reg} answered ${status} to ${method} ${what}${detail}: check the ref (registry host and repository)`, 404);
    }
    if (res.status >= 500 || TRANSIENT_STATUS.has(res.status)) {
      return new RegistryError(`${reg} failed ${method} ${what} with ${status}${detail} (after ${this.attempts} attempts): the registry is in trouble, retry later`, res.status);
    }
    return new RegistryError(`${reg} rejected ${method} ${what} with ${status}${detail}`, res.status);
  }
}
