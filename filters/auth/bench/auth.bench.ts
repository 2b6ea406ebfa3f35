// Cost per request of the auth filter through host-test, as a ratio to the no-op filter
// (dist/noop.wasm) measured in the same run: API key, and each JWT algorithm cold (token cache
// off: full parse + signature check every time) and cached (same token, cache on). Medians.
// The JWT rows are dominated by in-Wasm compute (carries over to Envoy's V8); the no-op and API
// key rows are dominated by host calls (this host's boundary, not Envoy's).
// Run: npm run bench, or: node scripts/build.mjs auth noop && node --import tsx filters/auth/bench/auth.bench.ts
import { fileURLToPath } from "node:url";
import { loadPlugin, type Plugin } from "../../../host-test/src/index.ts";
import { measure, report, type BenchContext, type Measurement } from "../../../bench/lib.ts";
import { claims, makeKey, provider, signJwt, type JwtAlg } from "../test/helpers.ts";

const dist = (name: string) => fileURLToPath(new URL(`../../../dist/${name}.wasm`, import.meta.url));

function requestOnce(p: Plugin, headers: Array<[string, string]>): void {
  const s = p.newStream();
  s.requestHeaders(headers, true);
  s.responseHeaders({ ":status": "200" }, true);
  s.complete();
}

const BASE: Array<[string, string]> = [[":method", "POST"], [":path", "/v1/chat/completions"], [":authority", "api.example.com"]];

export async function benchAuth(ctx: BenchContext): Promise<void> {
  const iterations = ctx.quick ? 50 : 400;
  const samples = ctx.quick ? 3 : 7;
  const noop = await loadPlugin(dist("noop"), { logLevel: "warn" });
  const baseline = await measure("no-op filter", () => requestOnce(noop, BASE), { iterations, samples });
  const rows: Measurement[] = [];

  const keyed = await loadPlugin(dist("auth"), {
    logLevel: "warn",
    config: { consumers: [{ name: "svc" }], api_keys: { keys: [{ consumer: "svc", key: "sk-bench-0123456789" }] } },
  });
  rows.push(await measure("api key (Bearer)", () => requestOnce(keyed, [...BASE, ["authorization", "Bearer sk-bench-0123456789"]]), { iterations, samples }));
  // Per-route rules on the canonical path and host (filters/common/assembly/route): the cost of
  // canonicalising a plain path and a spelled one, beside the same request without rules.
  const ruled = await loadPlugin(dist("auth"), {
    logLevel: "warn",
    config: {
      consumers: [{ name: "svc", groups: ["chat"] }], api_keys: { keys: [{ consumer: "svc", key: "sk-bench-0123456789" }] },
      rules: [{ host: "*.internal.example.com", allow: { groups: ["admin"] } }, { prefix: "/v1/embeddings", allow: { groups: ["admin"] } },
        { prefix: "/admin/", mode: "required", allow: { groups: ["admin"] } }, { prefix: "/v1/", allow: { groups: ["chat"] } }],
    },
  });
  rows.push(await measure("api key + 4 path/host rules", () => requestOnce(ruled, [...BASE, ["authorization", "Bearer sk-bench-0123456789"]]), { iterations, samples }));
  const spelled: Array<[string, string]> = [[":method", "POST"], [":path", "//v1/./x/../chat/%63ompletions;p=1?stream=true"], [":authority", "API.Example.com.:443"],
    ["authorization", "Bearer sk-bench-0123456789"], ["x_aigw_consumer", "forged"]];
  rows.push(await measure("api key + 4 rules, spelled path/host, forged header", () => requestOnce(ruled, spelled), { iterations, samples }));

  const algs: JwtAlg[] = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];
  for (const alg of algs) {
    const key = makeKey(alg);
    const token = signJwt(key, claims({ exp: Math.floor(Date.now() / 1000) + 86400 }));
    const h: Array<[string, string]> = [...BASE, ["authorization", `Bearer ${token}`]];
    const cold = await loadPlugin(dist("auth"), { logLevel: "warn", config: { jwt_providers: [provider([key], { cache_entries: 0 })] } });
    const slow = alg.startsWith("RS") || alg.startsWith("PS") || alg.startsWith("ES") || alg === "EdDSA";
    rows.push(await measure(`${alg} cold`, () => requestOnce(cold, h), { iterations: slow ? Math.max(10, iterations >> 3) : iterations, samples }));
    const warm = await loadPlugin(dist("auth"), { logLevel: "warn", config: { jwt_providers: [provider([key])] } });
    rows.push(await measure(`${alg} cached`, () => requestOnce(warm, h), { iterations, samples }));
  }
  report("auth: cost per request (request + response through host-test)", baseline, rows,
    "cold = token cache off (parse + verify every request); cached = same token, cache on.");
}

export default benchAuth;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await benchAuth({ root: fileURLToPath(new URL("../../..", import.meta.url)), quick: process.argv.includes("--quick") });
}
