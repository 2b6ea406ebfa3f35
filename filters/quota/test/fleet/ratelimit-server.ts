// A rate limit service for tests: Envoy's RateLimitService/ShouldRateLimit over real gRPC on
// 127.0.0.1 (messages from Envoy's .proto files, shipped in @grpc/grpc-js-xds), with
// envoyproxy/ratelimit's semantics and its counters in a real Redis:
//   - descriptors config: the service's YAML shape (domain; descriptors with key, optional value,
//     rate_limit {unit, requests_per_unit}, nested descriptors); an entry matches `key_value`
//     first, then `key` alone; the limit is the one of the node the last entry reaches.
//   - fixed windows: cache key `<domain>_<key>_<value>_..._<window start>`, INCRBY
//     max(1, hits_addend), EXPIRE the unit (src/redis/fixed_cache_impl.go); over the limit when
//     the count after the increase exceeds requests_per_unit; limit_remaining and
//     duration_until_reset as the service computes them (src/limiter/base_limiter.go).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { createClient, type RedisClientType } from "redis";
import { parse as parseYaml } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const deps = join(root, "node_modules", "@grpc", "grpc-js-xds", "deps");

export const INSTALL_REDIS = "apt-get update && apt-get install -y --no-install-recommends redis-server";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Redis { port: number; stop: () => Promise<void> }

/** Starts Debian's redis-server on 127.0.0.1 (no persistence); fails naming the install command. */
export async function startRedis(): Promise<Redis> {
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) throw new Error(`redis-server is not installed; install it with: ${INSTALL_REDIS}`);
  const port = await freePort();
  const proc: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    proc.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("Ready to accept connections")) { clearTimeout(timer); resolve(); }
    });
    proc.once("exit", (code) => { clearTimeout(timer); reject(new Error(`redis-server exited with ${code}: ${out}`)); });
  });
  return {
    port,
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once("exit", () => resolve());
      proc.kill("SIGTERM");
    }),
  };
}

interface DescriptorConfig { key: string; value?: string; rate_limit?: { unit: string; requests_per_unit: number }; descriptors?: DescriptorConfig[]; shadow_mode?: boolean }
export interface RateLimitConfig { domain: string; descriptors: DescriptorConfig[] }

const UNIT_SECONDS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800, month: 2592000, year: 31536000 };
const UNIT_ENUM: Record<string, number> = { second: 1, minute: 2, hour: 3, day: 4, month: 5, year: 6 };

interface Entry { key: string; value: string }

/** The limit for one request descriptor, as envoyproxy/ratelimit's config_impl.go GetLimit walks it. */
export function findLimit(cfg: RateLimitConfig, entries: Entry[]): DescriptorConfig | null {
  let level = cfg.descriptors;
  let found: DescriptorConfig | null = null;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const next = level.find((d) => d.key === e.key && d.value === e.value) ?? level.find((d) => d.key === e.key && d.value === undefined);
    if (!next) return null;
    if (i === entries.length - 1) found = next.rate_limit ? next : null;
    if (!next.descriptors?.length) { if (i < entries.length - 1) return null; break; }
    level = next.descriptors;
  }
  return found;
}

export interface RateLimitServer { address: string; calls: number; hits: number[]; stop: () => Promise<void>; redis: RedisClientType }

export async function startRateLimitServer(config: RateLimitConfig | string, redisPort: number, now: () => number = () => Date.now()): Promise<RateLimitServer> {
  const cfg: RateLimitConfig = typeof config === "string" ? parseYaml(config) : config;
  const def = protoLoader.loadSync("envoy/service/ratelimit/v3/rls.proto", {
    includeDirs: [join(deps, "envoy-api"), join(deps, "xds"), join(deps, "googleapis"), join(deps, "protoc-gen-validate")],
    keepCase: true, longs: Number, enums: Number, defaults: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as any;
  const service = pkg.envoy.service.ratelimit.v3.RateLimitService.service;
  const redis: RedisClientType = createClient({ socket: { host: "127.0.0.1", port: redisPort } });
  await redis.connect();
  const server = new grpc.Server();
  const state: RateLimitServer = { address: "", calls: 0, hits: [], redis, stop: async () => {} };
  server.addService(service, {
    ShouldRateLimit: async (call: grpc.ServerUnaryCall<any, any>, cb: grpc.sendUnaryData<any>) => {
      try {
        const req = call.request;
        state.calls++;
        if (req.domain !== cfg.domain) return cb({ code: grpc.status.UNKNOWN, details: `unknown domain ${req.domain}` } as grpc.ServiceError);
        const hits = Math.max(1, req.hits_addend >>> 0);
        state.hits.push(hits);
        const nowS = Math.floor(now() / 1000);
        const statuses = [];
        let overall = 1;
        for (const d of req.descriptors as Array<{ entries: Entry[] }>) {
          const limit = findLimit(cfg, d.entries);
          if (!limit) { statuses.push({ code: 1 }); continue; }
          const unit = limit.rate_limit!.unit.toLowerCase();
          const divider = UNIT_SECONDS[unit];
          const start = Math.floor(nowS / divider) * divider;
          const key = `${req.domain}_${d.entries.map((e) => `${e.key}_${e.value}`).join("_")}_${start}`;
          const [after] = await redis.multi().incrBy(key, hits).expire(key, divider).exec() as unknown as [number, number];
          const max = limit.rate_limit!.requests_per_unit;
          const over = after > max && !limit.shadow_mode;
          if (over) overall = 2;
          statuses.push({
            code: over ? 2 : 1,
            current_limit: { requests_per_unit: max, unit: UNIT_ENUM[unit] ?? 0, name: "" },
            limit_remaining: Math.max(0, max - after),
            duration_until_reset: { seconds: divider - (nowS % divider), nanos: 0 },
          });
        }
        cb(null, { overall_code: overall, statuses });
      } catch (e) {
        cb({ code: grpc.status.INTERNAL, details: String(e) } as grpc.ServiceError);
      }
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  state.address = `127.0.0.1:${port}`;
  state.stop = async () => {
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    await redis.quit();
  };
  return state;
}
