// Random headers, paths, cookies and tokens never trap the VM (host-test marks the plugin
// failed and logs at critical level when the module traps). Seeded, so a failure replays.
import { test } from "node:test";
import assert from "node:assert/strict";
import { seededRandom } from "../../../host-test/src/index.ts";
import { authPlugin, b64u, claims, makeKey, provider, signJwt } from "./helpers.ts";


test("random credentials and headers never trap", async () => {
  const hs = makeKey("HS256");
  const es = makeKey("ES256");
  const p = await authPlugin({
    consumers: [{ name: "a" }],
    api_keys: { from: [{ header: "authorization" }, { header: "x-api-key" }, { query: "key" }, { cookie: "k" }], keys: [{ consumer: "a", key: "good" }] },
    jwt_providers: [provider([hs, es], { from: [{ header: "authorization" }, { cookie: "jwt" }], groups_claim: "g", claim_headers: [{ claim: "sub", header: "x-sub" }] })],
    rules: [{ prefix: "/admin", allow: { groups: ["x"], claims: { tenant: "t" } } }, { host: "*.open", mode: "optional" }],
  }, { logLevel: "warn" });
  const r = seededRandom(0xa17);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const bytes = (n: number) => { const b = Buffer.alloc(n); for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256); return b; };
  const junk = (n: number) => pick([
    () => bytes(n).toString("latin1"),
    () => b64u(bytes(n)),
    () => "%".repeat(n % 7) + bytes(n).toString("hex"),
    () => "\u00ff\u0000\u007f;=,\"".repeat(1 + (n % 5)),
  ])();
  const good = signJwt(hs, claims({ g: ["x"], tenant: "t" }));
  const tokenish = () => pick([
    () => good,
    () => { const parts = good.split("."); parts[Math.floor(r() * 3)] = junk(20); return parts.join("."); },
    () => `${b64u(junk(30))}.${b64u(junk(60))}.${b64u(bytes(64))}`,
    () => `${b64u(JSON.stringify({ alg: pick(["HS256", "ES256", "none", "RS512", 1, null]), kid: pick([hs.kid, es.kid, 5, undefined]) }))}.${b64u(pick(["{}", "[]", "null", '{"exp":"x"}', JSON.stringify(claims({ aud: [1, null, {}], sub: { a: 1 } })), "{".repeat(200)]))}.${b64u(bytes(Math.floor(r() * 100)))}`,
    () => good.slice(0, Math.floor(r() * good.length)),
    () => "a.b.c",
    () => ".".repeat(Math.floor(r() * 5)),
  ])();
  for (let i = 0; i < 1500; i++) {
    const pathPiece = () => pick(["/", "//", "/.", "/..", "%2e", "%2F", "%5c", "\\", ";", "%", "%25", "%2500", "a", "admin", "?", "#", junk(3)]);
    const spelled = "/" + Array.from({ length: Math.floor(r() * 12) }, pathPiece).join("");
    const h: Array<[string, string]> = [[":method", "GET"], [":path", pick(["/", "/admin/x", `/p?key=${junk(5)}&key=${junk(3)}`, `/${junk(10)}`, "/?key=good", spelled, spelled])],
      [":authority", pick(["a.open", "h", junk(8), "A.OPEN.:1", "[::1]:8", "[", "a..open", ":", ".", `${junk(3)}.open.`])]];
    const n = Math.floor(r() * 4);
    for (let j = 0; j < n; j++) {
      h.push(pick([
        ["authorization", `${pick(["Bearer ", "bearer", "Basic ", "", "Bearer  "])}${tokenish()}`],
        ["x-api-key", pick(["good", junk(12)])],
        ["cookie", `jwt=${tokenish()}; k=${junk(4)}; ${junk(6)}`],
        ["x-aigw-consumer", junk(5)],
        ["x-sub", junk(5)],
        [pick(["x_aigw_consumer", "X-AIGW_CONSUMER", "x_sub", "X_API_KEY", `x_${junk(3)}`]), junk(5)],
      ] as Array<[string, string]>));
    }
    const s = p.newStream();
    s.requestHeaders(h, true);
    s.complete();
    assert.equal(p.failed, false, `trapped on request ${i}: ${JSON.stringify(h)}\n${p.logs("critical").join("\n")}`);
  }
  assert.equal(p.logs("critical").length, 0);
  // the corpus reached both outcomes (it is not all rejected at the first check)
  assert.ok((p.metrics.counter("aigw.auth.allowed.method.jwt") ?? 0) > 0);
  assert.ok((p.metrics.counter("aigw.auth.allowed.method.api_key") ?? 0) > 0);
  assert.ok((p.metrics.counter("aigw.auth.denied.reason.malformed_token") ?? 0) > 0);
  assert.ok((p.metrics.counter("aigw.auth.denied.reason.invalid_path") ?? 0) > 0);
  assert.ok((p.metrics.counter("aigw.auth.denied.reason.invalid_host") ?? 0) > 0);
});
