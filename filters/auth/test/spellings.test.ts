// Per-route rules hold for every spelling of a path, host or identity header: the filter matches
// the canonical form it computes itself (filters/common/assembly/route/) and refuses spellings
// with no single meaning. The spellings are generated (spellings.ts), not listed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { seededRandom } from "../../../host-test/src/index.ts";
import { authPlugin, send } from "./helpers.ts";
import { equivalentSpelling, KEYS, PATHS, RULES_CONFIG, unsafeSpelling, UNSAFE_KINDS } from "./spellings.ts";

const decision = (r: ReturnType<typeof send>) => (r.status === 200 ? "200" : `${r.status} ${r.json?.error?.code}`);

test("the canonical decisions are the ones the rules say (the property below is not vacuous)", async () => {
  const p = await authPlugin(RULES_CONFIG, { logLevel: "warn" });
  const d = (path: string, who: string) => decision(send(p, { ":path": path, ...(KEYS[who] ? { "x-api-key": KEYS[who]! } : {}) }));
  assert.equal(d("/v1/embeddings", "alice"), "200");
  assert.equal(d("/v1/embeddings", "bob"), "403 not_allowed");
  assert.equal(d("/v1/chat/completions", "bob"), "200");
  assert.equal(d("/v1/chat/completions", "carol"), "403 denied_by_rule");
  assert.equal(d("/public/models", "anonymous"), "200");
  assert.equal(d("/v1/", "anonymous"), "401 missing_credential");
  assert.equal(d("/v1beta/models/gemini-pro:generateContent", "bob"), "403 not_allowed");
});

test("property: every equivalent spelling of a path gets the canonical path's decision; unsafe spellings get 400 invalid_path", async () => {
  const p = await authPlugin(RULES_CONFIG, { logLevel: "warn" });
  let checked = 0, refused = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const r = seededRandom(seed);
    for (const path of PATHS) {
      for (const [who, key] of Object.entries(KEYS)) {
        const auth = key ? { "x-api-key": key } : {};
        const want = decision(send(p, { ":path": path, ...auth }));
        const spelled = equivalentSpelling(r, path, { params: true, fragment: true });
        const got = send(p, { ":path": spelled, ...auth });
        assert.equal(decision(got), want, `seed ${seed}: ${who} on ${JSON.stringify(spelled)} (canonical ${path})`);
        if (got.status === 200) assert.equal(got.upstream![":path"], spelled, "the filter never rewrites the path it matched on");
        checked++;
        const kind = UNSAFE_KINDS[(seed + checked) % UNSAFE_KINDS.length];
        const bad = unsafeSpelling(r, path, kind);
        const b = send(p, { ":path": bad, ...auth });
        assert.equal(decision(b), "400 invalid_path", `seed ${seed}: ${kind} ${JSON.stringify(bad)}`);
        assert.equal(b.json.error.type, "invalid_request_error");
        assert.equal(b.upstream, null);
        refused++;
      }
    }
  }
  assert.equal(checked, 60 * PATHS.length * 4);
  assert.equal(p.metrics.counter("aigw.auth.denied.reason.invalid_path"), refused);
});

test("the issue's spellings of /v1/embeddings and /v1/ are each decided as the canonical path (or refused)", async () => {
  const p = await authPlugin(RULES_CONFIG, { logLevel: "warn" });
  for (const s of ["/v1//embeddings", "/v1/./embeddings", "/v1/x/../embeddings", "/v1/%65mbeddings", "//v1/embeddings", "/v1/embeddings;x"]) {
    assert.equal(decision(send(p, { ":path": s, "x-api-key": "kb" })), "403 not_allowed", s);
  }
  assert.equal(decision(send(p, { ":path": "/v1beta/models/gemini-pro%3AgenerateContent", "x-api-key": "kb" })), "403 not_allowed", "an escaped reserved character too");
  for (const s of ["/v1%2Fembeddings", "/v1\\embeddings", "/v1/%zz/../embeddings"]) assert.equal(decision(send(p, { ":path": s, "x-api-key": "kb" })), "400 invalid_path", s);
  for (const s of ["//v1/chat", "/./v1/chat", "/%761/chat", "/public/../v1/chat"]) assert.equal(decision(send(p, { ":path": s, "x-api-key": "kc" })), "403 denied_by_rule", s);
});

test("property: every spelling of a host (case, trailing dot, port) gets the host rule; hosts with no single meaning get 400", async () => {
  const p = await authPlugin(RULES_CONFIG, { logLevel: "warn" });
  const r = seededRandom(7);
  for (let i = 0; i < 200; i++) {
    const name = ["api", "svc-1", "a.b"][i % 3] + ".internal.example.com";
    let h = [...name].map((c) => (r() < 0.4 ? c.toUpperCase() : c)).join("");
    if (r() < 0.5) h += ".";
    if (r() < 0.5) h += ":" + [443, 8443, 80, 1][i % 4];
    assert.equal(decision(send(p, { ":authority": h, ":path": "/v1/chat/completions", "x-api-key": "kb" })), "403 not_allowed", h);
    assert.equal(decision(send(p, { ":authority": h, ":path": "/v1/chat/completions", "x-api-key": "ka" })), "200", h);
  }
  assert.equal(decision(send(p, { ":authority": "[2001:DB8::1]:443", "x-api-key": "kb" })), "200", "an IPv6 literal is a host too");
  for (const h of ["api.internal.example.com..", "api..internal.example.com", "bob@api.internal.example.com", "api.internal.example.com:x", "api%2einternal.example.com", ""]) {
    assert.equal(decision(send(p, { ":authority": h, "x-api-key": "kb" })), "400 invalid_host", JSON.stringify(h));
  }
});

test("underscore and case spellings of identity and credential headers never reach the upstream", async () => {
  const p = await authPlugin({ ...RULES_CONFIG, strip_headers: ["x-internal-user"], forward_credential: false }, { logLevel: "warn" });
  const r = send(p, [
    [":path", "/v1/chat/completions"], ["x-api-key", "kb"],
    ["x_aigw_consumer", "alice"], ["X_Aigw_Consumer", "alice"], ["x-aigw_consumer", "alice"], ["x-aigw-consumer", "alice"],
    ["x_internal_user", "root"], ["x_api_key", "ka"], ["X-API_KEY", "ka"], ["x_other", "kept"],
  ]);
  assert.equal(r.status, 200);
  const names = r.upstreamPairs!.map(([k]) => k.toLowerCase().replace(/_/g, "-"));
  assert.deepEqual(names.filter((n) => n === "x-aigw-consumer"), ["x-aigw-consumer"], "only the filter's own header");
  assert.equal(r.upstream!["x-aigw-consumer"], "bob");
  assert.ok(!names.includes("x-internal-user"));
  assert.ok(!names.includes("x-api-key"), "no spelling of the credential header goes upstream");
  assert.equal(r.upstreamPairs!.find(([k]) => k === "x_other")?.[1], "kept", "other headers are left alone");
});

test("a credential after # is in the fragment, not the query: it does not authenticate", async () => {
  const p = await authPlugin(RULES_CONFIG, { logLevel: "warn" });
  const r = send(p, { ":path": "/v1/chat/completions#?api_key=ka" });
  assert.equal(decision(r), "401 missing_credential");
  const q = send(p, { ":path": "/v1/chat/completions?api_key=kb#?api_key=ka" });
  assert.equal(decision(q), "200");
  assert.equal(q.state("aigw.consumer"), "bob");
  assert.equal(q.upstream![":path"], "/v1/chat/completions#?api_key=ka", "the query's key is removed; the fragment is left as it was");
});

test("long paths (20 000 escapes, 5 000 parameters, 2 000 dot-segments) and a 40 kB header name are handled, never trap", async () => {
  const p = await authPlugin(RULES_CONFIG, { logLevel: "warn" });
  const long = "/v1/embeddings/" + "%61".repeat(20_000) + "/" + "a;b".repeat(5_000) + "/" + "./x/../".repeat(2_000);
  assert.equal(decision(send(p, { ":path": long, "x-api-key": "kb" })), "403 not_allowed");
  assert.equal(decision(send(p, { ":path": "/v1/" + "%zz".repeat(20_000), "x-api-key": "kb" })), "400 invalid_path");
  const r = send(p, [[":path", "/v1/chat/completions"], ["x-api-key", "kb"], ["x_" + "a_".repeat(20_000), "v"]]);
  assert.equal(r.status, 200);
  assert.equal(r.upstreamPairs!.some(([k]) => k.startsWith("x_a_")), true, "a header that is not a spelling of an owned one is kept");
});

test("a credential header configured with an underscore is still read and forwarded as configured", async () => {
  const p = await authPlugin({ ...RULES_CONFIG, api_keys: { ...RULES_CONFIG.api_keys, from: [{ header: "x_api_key" }] }, forward_credential: true }, { logLevel: "warn" });
  const r = send(p, { ":path": "/v1/chat/completions", x_api_key: "kb", "x-api-key": "ka" });
  assert.equal(r.status, 200);
  assert.equal(r.state("aigw.consumer"), "bob");
  assert.equal(r.upstream!["x_api_key"], "kb", "forward_credential keeps the configured header");
  assert.equal(r.upstream!["x-api-key"], undefined, "its other spelling is removed");
});

test("case_insensitive_paths: every case spelling of a protected path meets its rule; by default case is significant", async () => {
  const p = await authPlugin({ ...RULES_CONFIG, case_insensitive_paths: true, rules: [{ prefix: "/V1/Embeddings", allow: { groups: ["admin"] } }] }, { logLevel: "warn" });
  const r = seededRandom(11);
  for (let i = 0; i < 50; i++) {
    const spelled = equivalentSpelling(r, "/v1/embeddings").replace(/[a-z]/g, (c) => (r() < 0.5 ? c.toUpperCase() : c));
    assert.equal(decision(send(p, { ":path": spelled, "x-api-key": "kb" })), "403 not_allowed", spelled);
  }
  const strict = await authPlugin({ ...RULES_CONFIG, rules: [{ prefix: "/v1/embeddings", allow: { groups: ["admin"] } }] }, { logLevel: "warn" });
  assert.equal(decision(send(strict, { ":path": "/V1/Embeddings", "x-api-key": "kb" })), "200");
});

test("a prefix ending in / also covers the path without it (/admin/ covers /admin, not /administrator)", async () => {
  const p = await authPlugin({ ...RULES_CONFIG, rules: [{ prefix: "/admin/", allow: { groups: ["admin"] } }] }, { logLevel: "warn" });
  for (const path of ["/admin/", "/admin", "/admin/x", "//admin/.", "/x/../admin", "/admin;p"]) assert.equal(decision(send(p, { ":path": path, "x-api-key": "kb" })), "403 not_allowed", path);
  assert.equal(decision(send(p, { ":path": "/administrator", "x-api-key": "kb" })), "200");
});
