// The distribution client against a real registry seen through a small proxy on 127.0.0.1 that adds
// what the Debian registry alone cannot show: bearer-token auth (the Docker Hub / GHCR scheme) and
// transient failures (503, 429, dropped connections), plus 403/404/500 answers.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { after, before, describe, test } from "node:test";
import { publish } from "./publish.ts";
import { parseChallenge } from "./registry.ts";
import { builtModule, root } from "./testing/module.ts";
import { skopeo, startRegistry, type TestRegistry } from "./testing/registry-server.ts";

const sha256 = (b: Uint8Array) => "sha256:" + createHash("sha256").update(b).digest("hex");
const FAST = { insecure: true, backoffMs: 1, attempts: 3 } as const;

type Fault = "503" | "429" | "reset" | "403" | "404" | "500" | undefined;

interface Proxy {
  host: string;
  seen: { method: string; path: string; auth?: string; status?: number }[];
  tokenQueries: URLSearchParams[];
  fault: (method: string, path: string) => Fault;
  close(): Promise<void>;
}

/** Forwards to `upstream`; optionally demands a bearer token from its own /token endpoint. */
async function startProxy(upstream: string, bearer?: { username: string; password: string; token: string }): Promise<Proxy> {
  const proxy: Proxy = { host: "", seen: [], tokenQueries: [], fault: () => undefined, close: async () => {} };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, `http://${proxy.host}`);
    if (url.pathname === "/token") {
      proxy.tokenQueries.push(url.searchParams);
      const want = "Basic " + Buffer.from(`${bearer!.username}:${bearer!.password}`).toString("base64");
      if (req.headers.authorization !== want) return void res.writeHead(401).end();
      return void res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ token: bearer!.token }));
    }
    const entry: Proxy["seen"][number] = { method: req.method!, path: url.pathname, auth: req.headers.authorization };
    proxy.seen.push(entry);
    if (bearer && req.headers.authorization !== `Bearer ${bearer.token}`) {
      entry.status = 401;
      const repo = /^\/v2\/(.+?)\/(?:blobs|manifests)\//.exec(url.pathname)?.[1] ?? "";
      return void res.writeHead(401, {
        "WWW-Authenticate": `Bearer realm="http://${proxy.host}/token",service="test-proxy",scope="repository:${repo}:pull"`,
      }).end();
    }
    const fault = proxy.fault(req.method!, url.pathname);
    if (fault === "reset") {
      entry.status = 0;
      return void req.socket.destroy();
    }
    if (fault) {
      entry.status = Number(fault);
      const body = fault === "404" ? JSON.stringify({ errors: [{ code: "NAME_UNKNOWN", message: "repository name not known to registry" }] }) : "";
      return void res.writeHead(Number(fault), { "Content-Type": "application/json" }).end(body);
    }
    const up = request(upstream + req.url, { method: req.method, headers: req.headers }, (ur) => {
      entry.status = ur.statusCode;
      res.writeHead(ur.statusCode!, ur.headers);
      ur.pipe(res);
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  proxy.host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  proxy.close = () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
  return proxy;
}

describe("registry client through a proxy", () => {
  let reg: TestRegistry;
  let wasm: Buffer;
  let FILTER: string;
  before(async () => {
    ({ filter: FILTER, wasm } = builtModule());
    reg = await startRegistry();
  });
  after(async () => { await reg?.stop(); });

  test("bearer token: fetched from the realm with basic credentials, scoped for push, then used", async (t) => {
    const proxy = await startProxy(reg.url, { username: "bot", password: "pw", token: "tok-42" });
    t.after(() => proxy.close());
    const ref = `${proxy.host}/ai-gateway/bearer:0.1.0`;
    await publish({ root, filter: FILTER, ref, ...FAST, credentials: { username: "bot", password: "pw" } });

    assert.equal(proxy.tokenQueries.length, 1, "one token for the whole push");
    assert.equal(proxy.tokenQueries[0].get("service"), "test-proxy");
    assert.ok(proxy.tokenQueries[0].getAll("scope").includes("repository:ai-gateway/bearer:pull,push"));
    assert.deepEqual(proxy.seen.slice(1).filter((s) => s.auth !== "Bearer tok-42"), [], "every request after the challenge carries the token");
    // What reached the real registry is a complete image.
    const m = JSON.parse(skopeo(["inspect", "--raw", "--tls-verify=false", `docker://${reg.host}/ai-gateway/bearer:0.1.0`]));
    assert.equal(m.layers[1].digest, sha256(wasm));
  });

  test("bearer token refused: one line naming the token service", async (t) => {
    const proxy = await startProxy(reg.url, { username: "bot", password: "pw", token: "tok-42" });
    t.after(() => proxy.close());
    await assert.rejects(
      publish({ root, filter: FILTER, ref: `${proxy.host}/ai-gateway/bearer:0.1.0`, ...FAST, credentials: { username: "bot", password: "bad" } }),
      { message: `${proxy.host} rejected the credentials (token service http://${proxy.host} said 401): check --username/--password or REGISTRY_USERNAME/REGISTRY_PASSWORD` },
    );
  });

  test("503, 429 and a dropped connection are retried and the push completes", async (t) => {
    const proxy = await startProxy(reg.url);
    t.after(() => proxy.close());
    const once = new Set(["POST", "HEAD", "PUT-manifest"]);
    proxy.fault = (method, path) => {
      const key = method === "PUT" && path.includes("/manifests/") ? "PUT-manifest" : method;
      if (!once.delete(key)) return undefined;
      return key === "POST" ? "503" : key === "HEAD" ? "429" : "reset";
    };
    const ref = `${proxy.host}/ai-gateway/flaky:0.1.0`;
    const [res] = await publish({ root, filter: FILTER, ref, ...FAST });
    assert.equal(once.size, 0, "every fault was hit");
    assert.deepEqual(proxy.seen.filter((s) => s.method === "PUT" && s.path.includes("/manifests/")).map((s) => s.status), [0, 201]);
    const raw = skopeo(["inspect", "--raw", "--tls-verify=false", `docker://${reg.host}/ai-gateway/flaky:0.1.0`]);
    assert.equal(sha256(Buffer.from(raw)), res.digest);
  });

  test("a registry that keeps failing: gives up after the attempts, saying so", async (t) => {
    const proxy = await startProxy(reg.url);
    t.after(() => proxy.close());
    proxy.fault = (method) => (method === "POST" ? "500" : undefined);
    await assert.rejects(
      publish({ root, filter: FILTER, ref: `${proxy.host}/ai-gateway/down:0.1.0`, ...FAST }),
      { message: `${proxy.host} failed POST blobs/uploads/ with 500 Internal Server Error (after 3 attempts): the registry is in trouble, retry later` },
    );
    assert.equal(proxy.seen.filter((s) => s.method === "POST").length, 1, "500 is not transient: not retried");

    proxy.fault = (method) => (method === "POST" ? "503" : undefined);
    await assert.rejects(publish({ root, filter: FILTER, ref: `${proxy.host}/ai-gateway/down:0.1.0`, ...FAST }), /with 503 Service Unavailable \(after 3 attempts\)/);
    assert.equal(proxy.seen.filter((s) => s.method === "POST").length, 1 + 3, "503 retried up to the attempts");
  });

  test("403 and 404 answers become one-line hints", async (t) => {
    const proxy = await startProxy(reg.url);
    t.after(() => proxy.close());
    proxy.fault = (method, path) => (method === "PUT" && path.includes("/manifests/") ? "403" : undefined);
    await assert.rejects(publish({ root, filter: FILTER, ref: `${proxy.host}/ai-gateway/ro:0.1.0`, ...FAST }),
      { message: `${proxy.host} denied PUT manifests/0.1.0 on ai-gateway/ro (403 Forbidden): the account may lack push rights to this repository` });
    proxy.fault = (method) => (method === "HEAD" ? "404" : method === "POST" ? "404" : undefined);
    await assert.rejects(publish({ root, filter: FILTER, ref: `${proxy.host}/nope/x:0.1.0`, ...FAST }),
      { message: `${proxy.host} answered 404 Not Found to POST blobs/uploads/: NAME_UNKNOWN repository name not known to registry: check the ref (registry host and repository)` });
  });

  test("https against a plain-http registry says to pass --insecure", async () => {
    await assert.rejects(publish({ root, filter: FILTER, ref: `${reg.host}/ai-gateway/tls:0.1.0`, attempts: 1 }),
      { message: `TLS with https://${reg.host} failed (ERR_SSL_WRONG_VERSION_NUMBER): if the registry serves plain http, pass --insecure` });
  });
});

test("parseChallenge reads Bearer and Basic challenges", () => {
  assert.deepEqual(parseChallenge(`Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/x:pull,push"`), {
    scheme: "bearer",
    params: { realm: "https://auth.docker.io/token", service: "registry.docker.io", scope: "repository:library/x:pull,push" },
  });
  assert.deepEqual(parseChallenge(`Basic realm="basic-realm"`), { scheme: "basic", params: { realm: "basic-realm" } });
  assert.deepEqual(parseChallenge(`Bearer realm=https://h/t, service=reg`), { scheme: "bearer", params: { realm: "https://h/t", service: "reg" } });
});
