// Packs one compiled filter (.wasm) into the two Wasm image layouts the Envoy control planes pull.
// What they accept was read from their fetchers (istio/istio pkg/wasm/imagefetcher.go and its copy in
// envoyproxy/gateway internal/wasm/imagefetcher.go), which both follow solo-io/wasm spec/:
//
// - "compat" (spec-compat.md): a plain OCI image whose LAST layer is
//   `application/vnd.oci.image.layer.v1.tar+gzip` holding a file named `plugin.wasm`. Tried first.
// - "wasm" (the *oci* variant, spec.md): custom media types. Both fetchers insist on EXACTLY TWO layers
//   ("number of layers must be 2 but got 1" otherwise) and take the one whose media type is
//   `application/vnd.module.wasm.content.layer.v1+wasm` as the raw module. The other layer is the
//   runtime config (`application/vnd.module.wasm.config.v1+json`), which is also the manifest's config:
//   the layout `wasme push` produced and the one those fetchers were written against.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";

export const MEDIA = {
  manifest: "application/vnd.oci.image.manifest.v1+json",
  index: "application/vnd.oci.image.index.v1+json",
  wasmConfig: "application/vnd.module.wasm.config.v1+json",
  wasmLayer: "application/vnd.module.wasm.content.layer.v1+wasm",
  imageConfig: "application/vnd.oci.image.config.v1+json",
  tarGzipLayer: "application/vnd.oci.image.layer.v1.tar+gzip",
} as const;

/** Manifest annotation keys. The project ones are ours; the rest are the OCI pre-defined keys. */
export const ANNOTATION = {
  source: "org.opencontainers.image.source",
  revision: "org.opencontainers.image.revision",
  version: "org.opencontainers.image.version",
  created: "org.opencontainers.image.created",
  title: "org.opencontainers.image.title",
  wasmSha256: "dev.wasm-ai-gateway.module.sha256",
  filter: "dev.wasm-ai-gateway.filter",
  // spec-compat.md asks for this on tar+gzip compat images (fetchers no longer require it).
  compatVariant: "module.wasm.image/variant",
} as const;

/** The file name both fetchers look for inside a compat layer. */
export const COMPAT_FILE = "plugin.wasm";

export type Format = "wasm" | "compat";

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface Blob {
  digest: string;
  data: Buffer;
}

export interface BuiltImage {
  format: Format;
  manifest: Buffer;
  manifestDescriptor: Descriptor;
  /** Config and layers, each digest once. */
  blobs: Blob[];
}

export interface Metadata {
  filter: string;
  version: string;
  /** RFC 3339 timestamp. */
  created: string;
  revision?: string;
  source?: string;
}

export function sha256Digest(data: Uint8Array): string {
  return "sha256:" + createHash("sha256").update(data).digest("hex");
}

function describe(mediaType: string, data: Buffer, annotations?: Record<string, string>): Descriptor {
  const d: Descriptor = { mediaType, digest: sha256Digest(data), size: data.length };
  if (annotations) d.annotations = annotations;
  return d;
}

function annotations(wasm: Buffer, meta: Metadata): Record<string, string> {
  const a: Record<string, string> = {};
  if (meta.source) a[ANNOTATION.source] = meta.source;
  if (meta.revision) a[ANNOTATION.revision] = meta.revision;
  a[ANNOTATION.version] = meta.version;
  a[ANNOTATION.created] = meta.created;
  a[ANNOTATION.title] = meta.filter;
  a[ANNOTATION.filter] = meta.filter;
  a[ANNOTATION.wasmSha256] = sha256Digest(wasm);
  return a;
}

function finish(format: Format, config: Descriptor, configData: Buffer, layers: { desc: Descriptor; data: Buffer }[],
  ann: Record<string, string>): BuiltImage {
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA.manifest,
    config,
    layers: layers.map((l) => l.desc),
    annotations: ann,
  }));
  const blobs = new Map<string, Buffer>([[config.digest, configData]]);
  for (const l of layers) blobs.set(l.desc.digest, l.data);
  return {
    format,
    manifest,
    manifestDescriptor: describe(MEDIA.manifest, manifest),
    blobs: [...blobs].map(([digest, data]) => ({ digest, data })),
  };
}

/** proxy-wasm ABI versions the module declares (exports named `proxy_abi_version_*`). */
export function abiVersions(wasm: Buffer): string[] {
  const mod = new WebAssembly.Module(new Uint8Array(wasm));
  return WebAssembly.Module.exports(mod).map((e) => e.name).filter((n) => n.startsWith("proxy_abi_version_"));
}

/** The *oci* variant: runtime config + raw module, two layers (see the header comment for why two). */
export function buildWasmArtifact(wasm: Buffer, meta: Metadata): BuiltImage {
  const runtimeConfig = Buffer.from(JSON.stringify({ type: "envoy_proxy", abiVersions: abiVersions(wasm), config: {} }));
  const config = describe(MEDIA.wasmConfig, runtimeConfig, { [ANNOTATION.title]: "runtime-config.json" });
  const layers = [
    { desc: config, data: runtimeConfig },
    { desc: describe(MEDIA.wasmLayer, wasm, { [ANNOTATION.title]: COMPAT_FILE }), data: wasm },
  ];
  return finish("wasm", config, runtimeConfig, layers, annotations(wasm, meta));
}

/** The compat variant: an ordinary OCI image with one tar+gzip layer holding `plugin.wasm`. */
export function buildCompatImage(wasm: Buffer, meta: Metadata): BuiltImage {
  const mtime = Math.floor(Date.parse(meta.created) / 1000);
  const tar = tarSingleFile(COMPAT_FILE, wasm, mtime);
  const layerData = gzipSync(tar, { level: 9 });
  const imageConfig = Buffer.from(JSON.stringify({
    created: meta.created,
    architecture: "wasm",
    os: "wasip1",
    config: {},
    // diff_ids name the uncompressed layer (image-spec config.md).
    rootfs: { type: "layers", diff_ids: [sha256Digest(tar)] },
    history: [{ created: meta.created, created_by: `tools/oci publish ${meta.filter}` }],
  }));
  const config = describe(MEDIA.imageConfig, imageConfig);
  const layers = [{ desc: describe(MEDIA.tarGzipLayer, layerData), data: layerData }];
  const ann = { ...annotations(wasm, meta), [ANNOTATION.compatVariant]: "compat" };
  return finish("compat", config, imageConfig, layers, ann);
}

export function buildImage(format: Format, wasm: Buffer, meta: Metadata): BuiltImage {
  return format === "wasm" ? buildWasmArtifact(wasm, meta) : buildCompatImage(wasm, meta);
}

/**
 * A POSIX ustar archive with one regular file (mode 0644, owner 0:0), then the two zero blocks that end
 * an archive. Fixed fields keep the layer digest reproducible for the same module and timestamp.
 */
export function tarSingleFile(name: string, data: Buffer, mtime: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  const header = Buffer.alloc(512);
  const field = (offset: number, len: number, value: string) => header.write(value, offset, len, "utf8");
  const octal = (offset: number, len: number, n: number) => field(offset, len, n.toString(8).padStart(len - 1, "0") + "\0");
  field(0, 100, name);
  octal(100, 8, 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, data.length);
  octal(136, 12, Math.max(0, mtime));
  field(148, 8, "        "); // checksum is computed with its own field as spaces
  field(156, 1, "0");
  field(257, 6, "ustar\0");
  field(263, 2, "00");
  let sum = 0;
  for (const b of header) sum += b;
  field(148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  const pad = (512 - (data.length % 512)) % 512;
  return Buffer.concat([header, data, Buffer.alloc(pad), Buffer.alloc(1024)]);
}
