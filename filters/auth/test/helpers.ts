// Shared helpers for the auth filter's Node tests: load dist/auth.wasm through host-test, send
// one request, and read back what a user would see (status, body, headers, filter state).
import { fileURLToPath } from "node:url";
import { createHash, createHmac, generateKeyPairSync, sign as cryptoSign, type KeyObject } from "node:crypto";
import { loadPlugin, type Plugin, type PluginOptions } from "../../../host-test/src/index.ts";

export const AUTH_WASM = fileURLToPath(new URL("../../../dist/auth.wasm", import.meta.url));

export async function authPlugin(config: unknown, opts: PluginOptions = {}): Promise<Plugin> {
  return loadPlugin(AUTH_WASM, { logLevel: "debug", ...opts, config });
}

export interface Result {
  status: number; // 200 when the request reached the upstream, else the local reply's status
  action: string;
  body: string;
  json: any;
  wwwAuthenticate?: string;
  upstream: Record<string, string> | null; // request headers the upstream received
  upstreamPairs: Array<[string, string]> | null;
  state: (key: string) => string | undefined;
}

export function send(p: Plugin, headers: Record<string, string | string[]> | Array<[string, string]>, properties: Record<string, string> = {}): Result {
  const s = p.newStream({ properties });
  const base: Array<[string, string]> = [[":method", "POST"], [":scheme", "https"]];
  const given: Array<[string, string]> = Array.isArray(headers) ? headers
    : Object.entries(headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]]));
  if (!given.some(([k]) => k === ":path")) given.push([":path", "/v1/chat/completions"]);
  if (!given.some(([k]) => k === ":authority")) given.push([":authority", "api.example.com"]);
  const action = s.requestHeaders([...base, ...given], true);
  return resultOf(s, action);
}

export function resultOf(s: ReturnType<Plugin["newStream"]>, action: string): Result {
  const lr = s.localReply;
  const up = s.upstream.headers;
  let json: any = undefined;
  if (lr) { try { json = JSON.parse(lr.body); } catch { json = undefined; } }
  return {
    status: lr ? lr.status : up ? 200 : 0,
    action,
    body: lr ? lr.body : "",
    json,
    wwwAuthenticate: lr?.headers["www-authenticate"],
    upstream: up ? up.toObject() : null,
    upstreamPairs: up ? up.pairs() : null,
    state: (k: string) => s.filterState(k),
  };
}

export const sha256hex = (s: string) => createHash("sha256").update(s).digest("hex");
export const b64u = (b: Buffer | string) => Buffer.from(b).toString("base64url");

// ---- JWT minting with Node's crypto --------------------------------------------------------
export type JwtAlg = "HS256" | "HS384" | "HS512" | "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" | "ES256" | "ES384" | "EdDSA" | "Ed25519";

export interface KeyPair { alg: JwtAlg; kid: string; privateKey: KeyObject | Buffer; jwk: Record<string, unknown> }

const hashOf = (alg: string) => (alg.endsWith("384") ? "sha384" : alg.endsWith("512") ? "sha512" : "sha256");

export function makeKey(alg: JwtAlg, kid = `${alg.toLowerCase()}-1`): KeyPair {
  if (alg.startsWith("HS")) {
    const secret = Buffer.from(createHash("sha512").update(`secret-${kid}-${Math.random()}`).digest());
    return { alg, kid, privateKey: secret, jwk: { kty: "oct", kid, alg, k: b64u(secret) } };
  }
  let kp: { privateKey: KeyObject; publicKey: KeyObject };
  if (alg.startsWith("RS") || alg.startsWith("PS")) kp = generateKeyPairSync("rsa", { modulusLength: 2048 });
  else if (alg === "ES256") kp = generateKeyPairSync("ec", { namedCurve: "P-256" });
  else if (alg === "ES384") kp = generateKeyPairSync("ec", { namedCurve: "P-384" });
  else kp = generateKeyPairSync("ed25519");
  const jwk = kp.publicKey.export({ format: "jwk" }) as Record<string, unknown>;
  return { alg, kid, privateKey: kp.privateKey, jwk: { ...jwk, kid, alg, use: "sig" } };
}

export function signJwt(key: KeyPair, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const h = b64u(JSON.stringify({ alg: key.alg, typ: "JWT", kid: key.kid, ...header }));
  const p = b64u(JSON.stringify(claims));
  return `${h}.${p}.${signRaw(key, `${h}.${p}`)}`;
}

/** Signs an arbitrary header.payload string (for hand-built attack tokens). */
export function signRaw(key: KeyPair, input: string): string {
  const a = key.alg;
  if (a.startsWith("HS")) return b64u(createHmac(hashOf(a), key.privateKey as Buffer).update(input).digest());
  if (a.startsWith("RS")) return b64u(cryptoSign(hashOf(a), Buffer.from(input), key.privateKey as KeyObject));
  if (a.startsWith("PS")) {
    const saltLength = hashOf(a) === "sha256" ? 32 : hashOf(a) === "sha384" ? 48 : 64;
    return b64u(cryptoSign(hashOf(a), Buffer.from(input), { key: key.privateKey as KeyObject, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength }));
  }
  if (a.startsWith("ES")) return b64u(cryptoSign(hashOf(a), Buffer.from(input), { key: key.privateKey as KeyObject, dsaEncoding: "ieee-p1363" }));
  return b64u(cryptoSign(null, Buffer.from(input), key.privateKey as KeyObject));
}

export const now = () => Math.floor(Date.now() / 1000);

export function provider(keys: KeyPair[], extra: Record<string, unknown> = {}) {
  return { name: "idp", issuer: "https://idp.example.com", audiences: ["aigw"], jwks: { keys: keys.map((k) => k.jwk) }, ...extra };
}

export function claims(extra: Record<string, unknown> = {}) {
  const t = now();
  return { iss: "https://idp.example.com", aud: "aigw", sub: "alice", iat: t, exp: t + 600, ...extra };
}
