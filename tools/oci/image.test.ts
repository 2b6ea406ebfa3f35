// Packing and reference parsing, without a registry.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { buildCompatImage, buildWasmArtifact, sha256Digest, tarSingleFile } from "./image.ts";
import { tagsFor, repositoryUrl } from "./publish.ts";
import { parseRef } from "./ref.ts";
import { builtModule } from "./testing/module.ts";

const meta = { filter: "auth", version: "0.1.0", created: "2026-01-02T03:04:05Z", revision: "abc123" };

test("ustar archive from tarSingleFile is read by the system tar, content and mode intact", () => {
  const dir = mkdtempSync(join(tmpdir(), "oci-tar-"));
  try {
    for (const size of [0, 1, 511, 512, 513, 70_000]) {
      const data = Buffer.alloc(size, 0x61 + (size % 26));
      writeFileSync(join(dir, "a.tar"), tarSingleFile("plugin.wasm", data, 1_700_000_000));
      const list = spawnSync("tar", ["-tvf", join(dir, "a.tar")], { encoding: "utf8" });
      assert.equal(list.status, 0, list.stderr);
      assert.match(list.stdout, /^-rw-r--r-- 0\/0 +\d+ \S+ \S+ plugin\.wasm\n$/);
      const x = spawnSync("tar", ["-xf", join(dir, "a.tar"), "-O", "plugin.wasm"]);
      assert.equal(x.status, 0);
      assert.deepEqual(x.stdout, data, `size ${size}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("images are reproducible: same module and metadata give the same digests", () => {
  const { wasm } = builtModule();
  assert.equal(buildWasmArtifact(wasm, meta).manifestDescriptor.digest, buildWasmArtifact(wasm, meta).manifestDescriptor.digest);
  assert.equal(buildCompatImage(wasm, meta).manifestDescriptor.digest, buildCompatImage(wasm, meta).manifestDescriptor.digest);
  const later = { ...meta, created: "2026-01-02T03:04:06Z" };
  assert.notEqual(buildCompatImage(wasm, later).manifestDescriptor.digest, buildCompatImage(wasm, meta).manifestDescriptor.digest);
});

test("every descriptor matches its blob; the compat layer unpacks to the module", () => {
  const { wasm } = builtModule();
  for (const img of [buildWasmArtifact(wasm, meta), buildCompatImage(wasm, meta)]) {
    const m = JSON.parse(img.manifest.toString());
    const blobs = new Map(img.blobs.map((b) => [b.digest, b.data]));
    for (const d of [m.config, ...m.layers]) {
      const data = blobs.get(d.digest);
      assert.ok(data, `${img.format}: blob for ${d.mediaType}`);
      assert.equal(sha256Digest(data), d.digest);
      assert.equal(data.length, d.size);
    }
    assert.equal(img.manifestDescriptor.digest, sha256Digest(img.manifest));
    assert.equal(m.annotations["org.opencontainers.image.revision"], "abc123");
    assert.equal(m.annotations["org.opencontainers.image.source"], undefined, "no source known: no annotation");
  }
  const compat = buildCompatImage(wasm, meta);
  const layer = compat.blobs.find((b) => b.digest === JSON.parse(compat.manifest.toString()).layers[0].digest)!;
  const tar = gunzipSync(layer.data);
  assert.equal(tar.subarray(0, 11).toString(), "plugin.wasm");
  assert.deepEqual(tar.subarray(512, 512 + wasm.length), wasm);
});

test("parseRef: registry, repository and tag as Istio and Envoy Gateway read them", () => {
  const ok: [string, { registry: string; repository: string; tag: string }][] = [
    ["127.0.0.1:5000/ai-gateway/auth:0.1.0", { registry: "127.0.0.1:5000", repository: "ai-gateway/auth", tag: "0.1.0" }],
    ["oci://ghcr.io/org/filters/pii-mask:v1", { registry: "ghcr.io", repository: "org/filters/pii-mask", tag: "v1" }],
    ["localhost/x:latest", { registry: "localhost", repository: "x", tag: "latest" }],
    ["org/auth:1", { registry: "docker.io", repository: "org/auth", tag: "1" }],
    ["auth:1", { registry: "docker.io", repository: "library/auth", tag: "1" }],
  ];
  for (const [input, want] of ok) assert.deepEqual(parseRef(input), want, input);
  assert.throws(() => parseRef("127.0.0.1:5000/ai-gateway/auth"), /has no tag/);
  assert.throws(() => parseRef("127.0.0.1:5000/a/auth@sha256:" + "0".repeat(64)), /needs a tag, not a digest/);
  assert.throws(() => parseRef("127.0.0.1:5000/AI/auth:1"), /invalid repository "AI\/auth"/);
  assert.throws(() => parseRef("127.0.0.1:5000/a/auth:-bad"), /invalid tag "-bad"/);
});

test("--format both tags the compat image <tag>-compat", () => {
  assert.deepEqual(tagsFor("both", "0.1.0"), [{ format: "wasm", tag: "0.1.0" }, { format: "compat", tag: "0.1.0-compat" }]);
  assert.deepEqual(tagsFor("compat", "0.1.0"), [{ format: "compat", tag: "0.1.0" }]);
});

test("repositoryUrl turns package.json repository and git remotes into https URLs", () => {
  assert.equal(repositoryUrl("git@github.com:acme/gw.git"), "https://github.com/acme/gw");
  assert.equal(repositoryUrl({ type: "git", url: "git+https://github.com/acme/gw.git" }), "https://github.com/acme/gw");
  assert.equal(repositoryUrl("github:acme/gw"), "https://github.com/acme/gw");
  assert.equal(repositoryUrl("acme/gw"), "https://github.com/acme/gw");
  assert.equal(repositoryUrl(undefined), undefined);
});

test("the runtime config of the wasm format names the module's proxy-wasm ABI", () => {
  const { wasm } = builtModule();
  const img = buildWasmArtifact(wasm, meta);
  const m = JSON.parse(img.manifest.toString());
  const cfg = JSON.parse(img.blobs.find((b) => b.digest === m.config.digest)!.data.toString());
  assert.equal(cfg.type, "envoy_proxy");
  assert.ok(cfg.abiVersions.length > 0 && cfg.abiVersions.every((v: string) => /^proxy_abi_version_\d+_\d+_\d+$/.test(v)), JSON.stringify(cfg));
  assert.equal(m.layers[0].digest, m.config.digest, "the runtime config is also the first of the two layers");
});
