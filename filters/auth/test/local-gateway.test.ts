// auth behind the local gateway (`npm start`), over real HTTP on 127.0.0.1 with raw HTTP/1.1
// requests (any request target, header name or Host a client can send): every spelling of a
// protected path or host gets the canonical decision or a 400, underscore header names are
// refused as Envoy does with compose's options, absolute-form targets are routed, and a remote
// JWKS is fetched from an identity provider named in the description.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { seededRandom } from "../../../host-test/src/index.ts";
import { startLocalGateway, type LocalGateway } from "../../../host-test/src/cli/local-gateway.ts";
import { claims, makeKey, signJwt } from "./helpers.ts";
import { equivalentSpelling, KEYS, PATHS, RULES_CONFIG, unsafeSpelling, UNSAFE_KINDS } from "./spellings.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** A server on 127.0.0.1 that records what reached it. */
async function listen(handler: (req: IncomingMessage) => { status: number; body: string }): Promise<{ server: Server; url: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    req.resume();
    req.on("end", () => { const r = handler(req); res.writeHead(r.status, { "content-type": "application/json" }).end(r.body); });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

interface Raw { status: number; body: string; code: string | null }

/** One HTTP/1.1 request written byte for byte (target, header names and Host exactly as given). */
function raw(url: string, target: string, headers: Array<[string, string]>): Promise<Raw> {
  const port = Number(new URL(url).port);
  return new Promise((resolve, reject) => {
    const sock = connect(port, "127.0.0.1");
    let data = "";
    sock.setTimeout(15_000, () => { sock.destroy(); reject(new Error(`no answer for ${target}`)); });
    sock.on("data", (c) => { data += c.toString("latin1"); });
    sock.on("error", reject);
    sock.on("close", () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (!m) return reject(new Error(`not an HTTP answer for ${JSON.stringify(target)}: ${JSON.stringify(data.slice(0, 80))}`));
      const body = data.slice(data.indexOf("\r\n\r\n") + 4);
      resolve({ status: Number(m[1]), body, code: /"code":"([^"]*)"/.exec(body)?.[1] ?? null });
    });
    const hasHost = headers.some(([k]) => k.toLowerCase() === "host");
    const lines = [`GET ${target} HTTP/1.1`, ...(hasHost ? [] : ["host: api.example.com"]), ...headers.map(([k, v]) => `${k}: ${v}`), "connection: close", "", ""];
    sock.write(lines.join("\r\n"), "latin1");
  });
}

const signing = makeKey("ES256", "gw-key");
let gw: LocalGateway;
let upstream: Awaited<ReturnType<typeof listen>>;
let idp: Awaited<ReturnType<typeof listen>>;

before(async () => {
  upstream = await listen(() => ({ status: 200, body: "{\"ok\":true}" }));
  idp = await listen((req) => (req.url === "/keys/jwks.json" ? { status: 200, body: JSON.stringify({ keys: [{ kty: "RSA", kid: "enc", alg: "RSA-OAEP-256", n: "AQAB", e: "AQAB" }, signing.jwk] }) } : { status: 404, body: "{}" }));
  const dir = mkdtempSync(join(tmpdir(), "aigw-auth-gw-"));
  const config = join(dir, "gateway.yaml");
  writeFileSync(config, stringify({
    listener: { port: 10000 },
    providers: { up: { url: upstream.url } },
    identity_providers: { idp: { url: idp.url } },
    filters: {
      auth: {
        config: {
          ...RULES_CONFIG,
          jwt_providers: [{ name: "corp", issuer: "https://idp.example.com", audiences: ["aigw"], remote_jwks: { cluster: "idp", path: "/keys/jwks.json", authority: "idp.example.com", hold_timeout_ms: 5000 } }],
        },
      },
    },
    routes: [{ name: "api", match: { prefix: "/" }, filters: ["auth"], provider: "up" }],
  }));
  gw = await startLocalGateway({ config, port: 0, root, accessLog: () => {} });
});
after(async () => {
  await gw?.close();
  upstream?.server.close();
  idp?.server.close();
});

const decision = (r: Raw) => (r.status === 200 ? "200" : `${r.status} ${r.code}`);
const auth = (who: string): Array<[string, string]> => (KEYS[who] ? [["x-api-key", KEYS[who]!]] : []);

test("over real HTTP: equivalent spellings get the canonical decision; unsafe ones are refused or read as Envoy reads them", async () => {
  const canonical = new Map<string, string>();
  for (const path of PATHS) for (const who of Object.keys(KEYS)) canonical.set(`${path} ${who}`, decision(await raw(gw.url, path, auth(who))));
  assert.equal(canonical.get("/v1/embeddings bob"), "403 not_allowed");
  assert.equal(canonical.get("/v1/embeddings alice"), "200");
  assert.equal(canonical.get("/v1/chat/completions carol"), "403 denied_by_rule");
  let n = 0;
  for (let seed = 1; seed <= 6; seed++) {
    const r = seededRandom(1000 + seed);
    for (const path of PATHS) {
      for (const who of Object.keys(KEYS)) {
        const want = canonical.get(`${path} ${who}`)!;
        const spelled = equivalentSpelling(r, path, { params: true });
        assert.equal(decision(await raw(gw.url, spelled, auth(who))), want, `seed ${1000 + seed}: ${who} ${JSON.stringify(spelled)} (canonical ${path})`);
        const kind = UNSAFE_KINDS[n++ % UNSAFE_KINDS.length];
        const bad = unsafeSpelling(r, path, kind);
        const got = decision(await raw(gw.url, bad, auth(who)));
        // Envoy refuses %2F/%5C and %00 itself (400, empty body); the filter refuses a bad or double escape;
        // Envoy's normalize_path reads a backslash as "/" and clamps ".." at the root.
        const expected = kind === "encoded-slash" || kind === "nul" ? ["400 null"] : kind === "bad-escape" || kind === "double-encoded" ? ["400 invalid_path"] : [want, "400 null"];
        assert.ok(expected.includes(got), `seed ${1000 + seed}: ${kind} ${who} ${JSON.stringify(bad)}: ${got}, expected ${expected.join(" or ")}`);
      }
    }
  }
  for (const req of upstream.seen) assert.doesNotMatch(req.url!.split("?")[0], /\/\/|\/\.\.?(\/|$)|\\|%2e/i, "the upstream gets the normalised path");
});

test("over real HTTP: host spellings, absolute-form targets and a #fragment", async () => {
  for (const host of ["api.internal.example.com.", "API.Internal.Example.COM:8443", "api.internal.example.com.:80"]) {
    assert.equal(decision(await raw(gw.url, "/v1/chat/completions", [["host", host], ["x-api-key", "kb"]])), "403 not_allowed", host);
  }
  assert.equal(decision(await raw(gw.url, "http://api.example.com/v1//embeddings", auth("bob"))), "403 not_allowed", "absolute-form is routed, not 404");
  assert.equal(decision(await raw(gw.url, "http://api.example.com/v1/chat/completions", auth("bob"))), "200");
  assert.equal(decision(await raw(gw.url, "http://API.internal.example.com.:8443/v1/chat/completions", [["host", "api.example.com"], ["x-api-key", "kb"]])), "403 not_allowed",
    "the target's authority, not Host, is the host");
  assert.equal(decision(await raw(gw.url, "/v1/chat/completions#?api_key=ka", [])), "400 null", "Envoy refuses a target with a fragment");
});

test("over real HTTP: a header name with an underscore is refused before any filter (headers_with_underscores_action)", async () => {
  const before = upstream.seen.length;
  for (const name of ["x_aigw_consumer", "X_AIGW_CONSUMER", "x-aigw_consumer", "x_api_key"]) {
    const r = await raw(gw.url, "/v1/chat/completions", [["x-api-key", "kb"], [name, "alice"]]);
    assert.equal(r.status, 400, name);
  }
  assert.equal(upstream.seen.length, before, "nothing reached the upstream");
  const ok = await raw(gw.url, "/v1/chat/completions", [["x-api-key", "kb"], ["x-aigw-consumer", "alice"]]);
  assert.equal(ok.status, 200);
  assert.equal(upstream.seen.at(-1)!.headers["x-aigw-consumer"], "bob", "the forged copy was replaced by the filter's");
});

test("remote JWKS from an identity provider of the description: fetched over HTTP, the unusable key skipped, tokens verified", async () => {
  const token = signJwt(signing, claims({ sub: "bob" }));
  const r = await raw(gw.url, "/v1/chat/completions", [["authorization", `Bearer ${token}`]]);
  assert.equal(decision(r), "200");
  assert.equal(upstream.seen.at(-1)!.headers["x-aigw-consumer"], "bob");
  assert.ok(idp.seen.some((q) => q.url === "/keys/jwks.json"), "the JWKS came from the identity provider's server");
  assert.equal(decision(await raw(gw.url, "/v1/embeddings", [["authorization", `Bearer ${token}`]])), "403 not_allowed", "JWT identities meet the same rules");
  const forged = signJwt(makeKey("ES256", "gw-key"), claims({ sub: "alice" }));
  assert.equal(decision(await raw(gw.url, "/v1/chat/completions", [["authorization", `Bearer ${forged}`]])), "401 bad_signature");
});
