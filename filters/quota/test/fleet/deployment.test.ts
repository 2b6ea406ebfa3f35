// The fleet deployment in envoy/: gateway-fleet.yaml composes to envoy-fleet.yaml; every fleet
// limit has its branch (and unit) in the rate limit service's config; the Compose file mounts
// files that exist; and two local gateways built from gateway-fleet.yaml, against a real
// ShouldRateLimit service loaded with envoy/compose/ratelimit-config.yaml and a real Redis,
// enforce one budget over real HTTP.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { closeGrpcClients } from "../../../../host-test/src/index.ts";
import { startLocalGateway, type LocalGateway } from "../../../../host-test/src/cli/local-gateway.ts";
import { findLimit, startRateLimitServer, startRedis, type RateLimitConfig, type RateLimitServer, type Redis } from "./ratelimit-server.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const description = readFileSync(join(root, "envoy/gateway-fleet.yaml"), "utf8");
const rlsConfigText = readFileSync(join(root, "envoy/compose/ratelimit-config.yaml"), "utf8");
const UNIT: Record<string, string> = { "1s": "second", "1m": "minute", "1h": "hour", "1d": "day" };

test("envoy/envoy-fleet.yaml is exactly `compose envoy/gateway-fleet.yaml`", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "tools/compose/cli.ts", "compose", "envoy/gateway-fleet.yaml"], { cwd: root, encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(join(root, "envoy/envoy-fleet.yaml"), "utf8"), r.stdout, "regenerate: node --import tsx tools/compose/cli.ts compose envoy/gateway-fleet.yaml -o envoy/envoy-fleet.yaml");
});

test("every fleet limit of gateway-fleet.yaml has its descriptor branch and unit in ratelimit-config.yaml", () => {
  const d = parse(description);
  const quota = d.filters.quota.config;
  const rls: RateLimitConfig = parse(rlsConfigText);
  assert.equal(rls.domain, quota.fleet.domain);
  const fleet = quota.limits.filter((l: { scope?: string }) => l.scope === "fleet");
  assert.ok(fleet.length >= 2);
  for (const l of fleet) {
    const keys: string[] = Array.isArray(l.key) ? l.key : [l.key];
    const entries = [{ key: "aigw_limit", value: l.name }, ...keys.filter((k) => k !== "global").map((k) => ({ key: k.replace(":", "_"), value: "any" }))];
    const found = findLimit(rls, entries);
    assert.ok(found, `no branch for ${l.name}`);
    assert.equal(found!.rate_limit!.unit, UNIT[l.window], `${l.name}: the service's unit must be the limit's window`);
  }
});

test("envoy/compose/fleet.yaml mounts files that exist and runs Envoy >= 1.35", () => {
  const c = parse(readFileSync(join(root, "envoy/compose/fleet.yaml"), "utf8"));
  for (const [name, svc] of Object.entries<any>(c.services)) {
    for (const v of svc.volumes ?? []) {
      const src = String(v).split(":")[0];
      if (src.includes("dist")) continue; // built by npm run build
      assert.ok(existsSync(resolve(root, "envoy/compose", src)), `${name}: ${src} does not exist`);
    }
    if (String(svc.image ?? "").startsWith("envoyproxy/envoy:")) assert.match(svc.image, /:v1\.(3[5-9]|[4-9]\d)/);
  }
});

let redis: Redis;
let rls: RateLimitServer;
const gateways: LocalGateway[] = [];
before(async () => {
  redis = await startRedis();
  rls = await startRateLimitServer(rlsConfigText, redis.port);
});
after(async () => {
  for (const g of gateways) await g.close();
  closeGrpcClients();
  await rls?.stop();
  await redis?.stop();
});

test("two gateways from gateway-fleet.yaml share carol's fleet budget (5 per hour) through the service and Redis", async () => {
  const left = 3600 - (Math.floor(Date.now() / 1000) % 3600);
  if (left < 5) await new Promise((r) => setTimeout(r, left * 1000 + 100));
  // before() started a fresh Redis: carol's hour starts empty.
  const tmp = mkdtempSync(join(tmpdir(), "aigw-fleet-"));
  const local = description.replace("address: ratelimit:8081", `address: ${rls.address}`);
  assert.notEqual(local, description);
  const a = join(tmp, "a.yaml");
  const b = join(tmp, "b.yaml");
  writeFileSync(a, local);
  // Another proxy: its own shared data (vm_id), as a second Envoy has.
  writeFileSync(b, local.replace("  quota:\n    config:", "  quota:\n    vm_id: quota-b\n    config:"));
  for (const f of [a, b]) gateways.push(await startLocalGateway({ config: f, port: 0, root, accessLog: () => {} }));
  const send = (g: LocalGateway, key: string) => fetch(`${g.url}/v1/chat/completions`, {
    method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "sample-1", messages: [{ role: "user", content: "hi" }] }),
  });
  const statuses: number[] = [];
  let last: Response | null = null;
  for (let i = 0; i < 6; i++) {
    last = await send(gateways[i % 2], "sk-demo-carol");
    statuses.push(last.status);
    await last.text();
  }
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
  assert.equal(last!.headers.get("x-ratelimit-limit-requests"), "5");
  assert.ok(Number(last!.headers.get("retry-after")) >= 1);
  // bob is not a trial consumer: only his tenant's daily tokens apply.
  const bob = await send(gateways[1], "sk-demo-bob");
  assert.equal(bob.status, 200);
  assert.ok(Number(bob.headers.get("x-ratelimit-remaining-tokens")) < 2_000_000);
});
