// Publishing against a real registry (docker-registry on 127.0.0.1), read back with skopeo.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { publish, repositoryUrl } from "./publish.ts";
import { builtModule, root } from "./testing/module.ts";
import { skopeo, startRegistry, type TestRegistry } from "./testing/registry-server.ts";

const CREATED = new Date("2026-01-02T03:04:05Z");

const sha256 = (b: Uint8Array) => "sha256:" + createHash("sha256").update(b).digest("hex");
const gitHead = () => spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).stdout.trim();
const pkgVersion = () => JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;

function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function cli(args: string[], env: Record<string, string> = {}) {
  const base = { ...process.env };
  delete base.REGISTRY_USERNAME;
  delete base.REGISTRY_PASSWORD;
  return spawnSync(process.execPath, ["--import", "tsx", "tools/oci/cli.ts", ...args], {
    cwd: root, encoding: "utf8", timeout: 120_000, env: { ...base, ...env },
  });
}

/** skopeo copy into an OCI layout; returns the manifest and a reader for its blobs. */
function pull(ref: string, extra: string[] = []) {
  const dir = tmp("oci-pull-");
  skopeo(["copy", "--src-tls-verify=false", ...extra, `docker://${ref}`, `oci:${dir}:pulled`]);
  const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8"));
  const blob = (digest: string) => readFileSync(join(dir, "blobs", "sha256", digest.slice(7)));
  const manifest = JSON.parse(blob(index.manifests[0].digest).toString());
  return { dir, manifest, blob, manifestDigest: index.manifests[0].digest as string };
}

describe("publish to a real registry", () => {
  let reg: TestRegistry;
  let mod: { filter: string; wasm: Buffer };
  before(async () => {
    mod = builtModule();
    reg = await startRegistry();
  });
  after(async () => { await reg?.stop(); });

  test("wasm format: two layers (runtime config + raw module) that skopeo reads back byte for byte", async () => {
    const ref = `${reg.host}/ai-gateway/${mod.filter}:0.1.0`;
    const [res] = await publish({ root, filter: mod.filter, ref, insecure: true, created: CREATED, source: "https://example.test/gw" });
    assert.equal(res.format, "wasm");
    assert.equal(res.wasmSha256, sha256(mod.wasm));

    const raw = skopeo(["inspect", "--raw", "--tls-verify=false", `docker://${ref}`]);
    assert.equal(sha256(Buffer.from(raw)), res.digest, "the registry serves the manifest under the digest we printed");
    const m = JSON.parse(raw);
    assert.equal(m.mediaType, "application/vnd.oci.image.manifest.v1+json");
    assert.equal(m.config.mediaType, "application/vnd.module.wasm.config.v1+json");
    // Istio's and Envoy Gateway's fetchers want exactly two layers, one of them the raw module.
    assert.deepEqual(m.layers.map((l: any) => l.mediaType),
      ["application/vnd.module.wasm.config.v1+json", "application/vnd.module.wasm.content.layer.v1+wasm"]);
    assert.equal(m.layers[1].digest, sha256(mod.wasm));
    assert.equal(m.layers[1].size, mod.wasm.length);
    assert.deepEqual(
      { ...m.annotations },
      {
        "org.opencontainers.image.source": "https://example.test/gw",
        "org.opencontainers.image.revision": gitHead(),
        "org.opencontainers.image.version": pkgVersion(),
        "org.opencontainers.image.created": "2026-01-02T03:04:05Z",
        "org.opencontainers.image.title": mod.filter,
        "dev.wasm-ai-gateway.filter": mod.filter,
        "dev.wasm-ai-gateway.module.sha256": sha256(mod.wasm),
      },
    );

    const p = pull(ref);
    try {
      assert.equal(p.manifestDigest, res.digest, "skopeo copy keeps the manifest digest");
      assert.deepEqual(p.blob(m.layers[1].digest), mod.wasm);
      const runtime = JSON.parse(p.blob(m.config.digest).toString());
      assert.equal(runtime.type, "envoy_proxy");
      assert.ok(runtime.abiVersions.some((v: string) => v.startsWith("proxy_abi_version_")), JSON.stringify(runtime));
    } finally {
      rmSync(p.dir, { recursive: true, force: true });
    }
  });

  test("compat format: an OCI image whose tar+gzip layer holds plugin.wasm", async () => {
    const ref = `${reg.host}/ai-gateway/${mod.filter}:compat-only`;
    const [res] = await publish({ root, filter: mod.filter, ref, format: "compat", insecure: true, created: CREATED });
    const m = JSON.parse(skopeo(["inspect", "--raw", "--tls-verify=false", `docker://${ref}`]));
    assert.equal(m.mediaType, "application/vnd.oci.image.manifest.v1+json");
    assert.equal(m.config.mediaType, "application/vnd.oci.image.config.v1+json");
    assert.equal(m.layers.length, 1);
    assert.equal(m.layers[0].mediaType, "application/vnd.oci.image.layer.v1.tar+gzip");
    assert.equal(m.annotations["module.wasm.image/variant"], "compat");
    assert.equal(m.annotations["dev.wasm-ai-gateway.module.sha256"], sha256(mod.wasm));

    // skopeo's parsed view reads the image config: a regular image to any OCI tool.
    const info = JSON.parse(skopeo(["inspect", "--tls-verify=false", `docker://${ref}`]));
    assert.equal(info.Digest, res.digest);
    assert.deepEqual(info.Layers, [m.layers[0].digest]);

    const p = pull(ref);
    const out = tmp("oci-untar-");
    try {
      const layer = p.blob(m.layers[0].digest);
      assert.equal(sha256(layer), m.layers[0].digest);
      writeFileSync(join(out, "layer.tgz"), layer);
      mkdirSync(join(out, "x"));
      const r = spawnSync("tar", ["-xzf", join(out, "layer.tgz"), "-C", join(out, "x")], { encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(readdirSync(join(out, "x")), ["plugin.wasm"]);
      assert.equal(sha256(readFileSync(join(out, "x", "plugin.wasm"))), sha256(mod.wasm));
      const config = JSON.parse(p.blob(m.config.digest).toString());
      const tarBytes = spawnSync("gzip", ["-dc", join(out, "layer.tgz")]).stdout;
      assert.deepEqual(config.rootfs.diff_ids, [sha256(tarBytes)], "diff_ids name the uncompressed layer");
    } finally {
      rmSync(p.dir, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  });

  test("--format both pushes <tag> and <tag>-compat; publishing again uploads nothing new", async () => {
    const ref = `${reg.host}/ai-gateway/both:1.2.3`;
    const first = await publish({ root, filter: mod.filter, ref, format: "both", insecure: true, created: CREATED });
    assert.deepEqual(first.map((r) => [r.format, r.ref]), [["wasm", ref], ["compat", `${ref}-compat`]]);
    assert.ok(first.every((r) => r.uploaded > 0));
    for (const r of first) {
      const raw = skopeo(["inspect", "--raw", "--tls-verify=false", `docker://${r.ref}`]);
      assert.equal(sha256(Buffer.from(raw)), r.digest);
    }
    const again = await publish({ root, filter: mod.filter, ref, format: "both", insecure: true, created: CREATED });
    assert.deepEqual(again.map((r) => r.uploaded), [0, 0], "blobs already in the registry are not sent again");
    assert.deepEqual(again.map((r) => r.digest), first.map((r) => r.digest), "same module and time give the same images");
  });

  test("chunked upload (PATCH ranges, then PUT ?digest=) stores the module intact", async () => {
    const ref = `${reg.host}/ai-gateway/chunked:0.1.0`;
    const [res] = await publish({ root, filter: mod.filter, ref, insecure: true, created: CREATED, chunkSize: 4096 });
    assert.ok(mod.wasm.length > 4096 * 2, "module big enough for several chunks");
    const p = pull(ref);
    try {
      assert.equal(p.manifestDigest, res.digest);
      const wasmLayer = p.manifest.layers.find((l: any) => l.mediaType.endsWith("+wasm"));
      assert.deepEqual(p.blob(wasmLayer.digest), mod.wasm);
    } finally {
      rmSync(p.dir, { recursive: true, force: true });
    }
  });

  test("CLI prints the pinned reference and exits 0", () => {
    const r = cli(["publish", mod.filter, `${reg.host}/ai-gateway/cli:0.1.0`, "--insecure"]);
    assert.equal(r.status, 0, r.stderr);
    const digest = /digest (sha256:[0-9a-f]{64})/.exec(r.stdout)?.[1];
    assert.ok(digest, r.stdout);
    assert.match(r.stdout, new RegExp(`pinned ${reg.host}/ai-gateway/cli@${digest}`));
    const raw = skopeo(["inspect", "--raw", "--tls-verify=false", `docker://${reg.host}/ai-gateway/cli@${digest}`]);
    assert.equal(JSON.parse(raw).layers[1].digest, sha256(mod.wasm));
  });
});

describe("publish with basic auth (htpasswd)", () => {
  const creds = { username: "ci", password: "s3cret-pass" };
  let reg: TestRegistry;
  let mod: { filter: string; wasm: Buffer };
  before(async () => {
    mod = builtModule();
    reg = await startRegistry({ htpasswd: creds });
  });
  after(async () => { await reg?.stop(); });

  test("right credentials push; skopeo reads back with the same credentials", async () => {
    const ref = `${reg.host}/private/${mod.filter}:0.1.0`;
    const [res] = await publish({ root, filter: mod.filter, ref, insecure: true, credentials: creds });
    const m = JSON.parse(skopeo(["inspect", "--raw", "--tls-verify=false", "--creds", `${creds.username}:${creds.password}`, `docker://${ref}`]));
    assert.equal(m.layers[1].digest, sha256(mod.wasm));
    assert.equal(res.wasmSha256, sha256(mod.wasm));
  });

  test("credentials from REGISTRY_USERNAME/REGISTRY_PASSWORD work through the CLI", () => {
    const r = cli(["publish", mod.filter, `${reg.host}/private/env:0.1.0`, "--insecure"],
      { REGISTRY_USERNAME: creds.username, REGISTRY_PASSWORD: creds.password });
    assert.equal(r.status, 0, r.stderr);
  });

  test("wrong password: exit 1 with one clear 401 line", () => {
    const r = cli(["publish", mod.filter, `${reg.host}/private/x:0.1.0`, "--insecure", "--username", "ci", "--password", "nope"]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /^error: 127\.0\.0\.1:\d+ rejected the credentials \(401 Unauthorized\): check --username\/--password/);
  });

  test("no credentials: says the registry needs them", async () => {
    await assert.rejects(
      publish({ root, filter: mod.filter, ref: `${reg.host}/private/x:0.1.0`, insecure: true }),
      /requires authentication \(401 Unauthorized\): pass --username\/--password or set REGISTRY_USERNAME\/REGISTRY_PASSWORD/,
    );
  });
});

describe("publish errors and --dry-run", () => {
  test("unreachable registry: exit 1, one line naming the URL and the fix", async () => {
    const { freePort } = await import("./testing/registry-server.ts");
    const port = await freePort(); // nothing listens there once probed
    const { filter } = builtModule();
    const r = cli(["publish", filter, `127.0.0.1:${port}/ai-gateway/x:0.1.0`, "--insecure"]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `error: registry unreachable at http://127.0.0.1:${port}: connection refused — is it running? check the ref\n`);
  });

  test("missing dist/<filter>.wasm tells to run npm run build", async () => {
    const dir = tmp("oci-root-");
    try {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ version: "1.0.0" }));
      // The filter exists (filters/auth) but is not built.
      mkdirSync(join(dir, "filters", "auth", "assembly"), { recursive: true });
      writeFileSync(join(dir, "filters", "auth", "assembly", "index.ts"), "");
      await assert.rejects(
        publish({ root: dir, filter: "auth", ref: "127.0.0.1:1/a/auth:1", insecure: true }),
        { message: "dist/auth.wasm not found: run `npm run build` first (or `node scripts/build.mjs auth`)" },
      );
      mkdirSync(join(dir, "dist"));
      writeFileSync(join(dir, "dist", "auth.wasm"), "not wasm");
      await assert.rejects(publish({ root: dir, filter: "auth", ref: "127.0.0.1:1/a/auth:1" }), /dist\/auth\.wasm is not a valid WebAssembly module/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--dry-run writes an OCI layout skopeo can inspect, with both formats by tag", () => {
    const dir = tmp("oci-layout-");
    const { filter, wasm } = builtModule();
    try {
      const r = cli(["publish", filter, "registry.example.test/ai-gateway/dry:2.0.0", "--format", "both", "--dry-run", dir]);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(readFileSync(join(dir, "oci-layout"), "utf8")), { imageLayoutVersion: "1.0.0" });
      const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8"));
      assert.deepEqual(index.manifests.map((m: any) => m.annotations["org.opencontainers.image.ref.name"]), ["2.0.0", "2.0.0-compat"]);
      for (const f of readdirSync(join(dir, "blobs", "sha256"))) {
        assert.equal(sha256(readFileSync(join(dir, "blobs", "sha256", f))), `sha256:${f}`, "blob files are named by their digest");
      }
      const wasmRaw = JSON.parse(skopeo(["inspect", "--raw", `oci:${dir}:2.0.0`]));
      assert.equal(wasmRaw.layers[1].digest, sha256(wasm));
      const compat = JSON.parse(skopeo(["inspect", `oci:${dir}:2.0.0-compat`]));
      assert.equal(compat.Digest, index.manifests[1].digest);
      assert.equal(compat.Architecture, "wasm");
      assert.match(r.stdout, /wrote wasm image to .* as registry\.example\.test\/ai-gateway\/dry:2\.0\.0\n/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("bad usage exits 2 with the usage text", () => {
    const r = cli(["publish", "noop", "127.0.0.1:5000/a/b:1", "--format", "zip"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--format must be wasm, compat or both, got "zip"/);
    assert.match(r.stderr, /usage: node --import tsx tools\/oci\/cli\.ts publish/);
  });
});

test("usage errors exit 2 before anything is read: an unknown filter names the filters there are; a reference without a tag; a --source that is not a URL", () => {
  const nosuch = cli(["publish", "nosuch", "127.0.0.1:5000/ai-gateway/nosuch:0.1.0", "--dry-run", tmp("oci-nosuch-")]);
  assert.equal(nosuch.status, 2, nosuch.stderr);
  assert.match(nosuch.stderr, /there is no filter "nosuch"; the filters are: .*\bauth\b.*\bpii-mask\b/);
  assert.doesNotMatch(nosuch.stderr, /npm run build/);
  const untagged = cli(["publish", "auth", "127.0.0.1:5000/ai-gateway/auth", "--dry-run", tmp("oci-untagged-")]);
  assert.equal(untagged.status, 2, untagged.stderr);
  assert.match(untagged.stderr, /has no tag/);
  const source = cli(["publish", "auth", "127.0.0.1:5000/ai-gateway/auth:0.1.0", "--source", "/work/main", "--dry-run", tmp("oci-source-")]);
  assert.equal(source.status, 2, source.stderr);
  assert.match(source.stderr, /--source must be an http\(s\) URL/);
});

test("org.opencontainers.image.source is published only when it is a URL: a clone whose origin is a local path omits it", () => {
  assert.equal(repositoryUrl("/work/main"), undefined);
  assert.equal(repositoryUrl("../upstream.git", true), undefined);
  assert.equal(repositoryUrl("acme/gw", true), undefined, "a git remote acme/gw is a relative path");
  assert.equal(repositoryUrl("file:///srv/git/gw.git"), undefined);
  assert.equal(repositoryUrl("https://git.example.com/acme/gw.git"), "https://git.example.com/acme/gw");
  // End to end: a checkout whose origin is a local path writes no source annotation.
  const clone = tmp("oci-clone-");
  assert.equal(spawnSync("git", ["init", "-q", clone]).status, 0);
  assert.equal(spawnSync("git", ["-C", clone, "remote", "add", "origin", root]).status, 0);
  writeFileSync(join(clone, "package.json"), JSON.stringify({ name: "gw", version: "0.1.0" }));
  mkdirSync(join(clone, "filters", "auth", "assembly"), { recursive: true });
  writeFileSync(join(clone, "filters", "auth", "assembly", "index.ts"), "");
  mkdirSync(join(clone, "dist"));
  writeFileSync(join(clone, "dist", "auth.wasm"), builtModule().wasm);
  const out = tmp("oci-clone-out-");
  return publish({ root: clone, filter: "auth", ref: "127.0.0.1:5000/x/auth:1", dryRun: out }).then(() => {
    const index = JSON.parse(readFileSync(join(out, "index.json"), "utf8"));
    const manifest = JSON.parse(readFileSync(join(out, "blobs", "sha256", index.manifests[0].digest.slice(7)), "utf8"));
    assert.equal(manifest.annotations["org.opencontainers.image.version"], "0.1.0");
    assert.equal("org.opencontainers.image.source" in manifest.annotations, false, JSON.stringify(manifest.annotations));
  });
});
