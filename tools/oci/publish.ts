// `publish <filter> <ref>`: dist/<filter>.wasm -> Wasm image(s) -> registry (or an OCI layout on disk).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BuiltImage, Format, Metadata } from "./image.ts";
import { buildImage, MEDIA, sha256Digest } from "./image.ts";
import { writeLayout } from "./layout.ts";
import type { ImageRef } from "./ref.ts";
import { formatRef, parseRef, RefError } from "./ref.ts";
import type { ClientOptions } from "./registry.ts";
import { RegistryClient } from "./registry.ts";

export type FormatChoice = Format | "both";

export interface PublishOptions extends ClientOptions {
  /** Repository root holding package.json and dist/. */
  root: string;
  filter: string;
  ref: string;
  format?: FormatChoice;
  /** Write an OCI image layout here instead of pushing. */
  dryRun?: string;
  /** org.opencontainers.image.source; default: package.json `repository`, else git remote `origin`. */
  source?: string;
  /** Creation time; default SOURCE_DATE_EPOCH when set (reproducible builds), else now. */
  created?: Date;
}

export interface Published {
  format: Format;
  /** `registry/repo:tag` */
  ref: string;
  /** Manifest digest: what Istio's WasmPlugin `sha256` and Envoy Gateway's `image.sha256` check. */
  digest: string;
  /** `registry/repo@sha256:…` */
  pinned: string;
  wasmSha256: string;
  /** Blobs uploaded (0 when all were already there or on dry runs). */
  uploaded: number;
}

/** For `--format both` the compat image gets this tag suffix; the wasm artifact keeps the tag as given. */
export const COMPAT_TAG_SUFFIX = "-compat";

export class PublishError extends Error {}

export function tagsFor(format: FormatChoice, tag: string): { format: Format; tag: string }[] {
  if (format === "both") {
    const compatTag = tag + COMPAT_TAG_SUFFIX;
    if (compatTag.length > 128) throw new RefError(`tag "${tag}" too long to add "${COMPAT_TAG_SUFFIX}"`);
    return [{ format: "wasm", tag }, { format: "compat", tag: compatTag }];
  }
  return [{ format, tag }];
}

export async function publish(opts: PublishOptions): Promise<Published[]> {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(opts.filter)) {
    throw new PublishError(`invalid filter name "${opts.filter}" (expected a name like auth or pii-mask)`);
  }
  const ref = parseRef(opts.ref);
  const known = filterNames(opts.root);
  if (!known.includes(opts.filter)) throw new PublishError(`there is no filter "${opts.filter}" (filters: ${known.join(", ")})`);
  if (opts.source !== undefined && !isHttpUrl(opts.source)) throw new PublishError(`--source must be an http(s) URL, got "${opts.source}"`);
  const wasmPath = join("dist", `${opts.filter}.wasm`);
  const abs = join(opts.root, wasmPath);
  if (!existsSync(abs)) {
    throw new PublishError(`${wasmPath} not found: run \`npm run build\` first (or \`node scripts/build.mjs ${opts.filter}\`)`);
  }
  const wasm = readFileSync(abs);
  if (!WebAssembly.validate(wasm)) {
    throw new PublishError(`${wasmPath} is not a valid WebAssembly module: rebuild it with \`npm run build\``);
  }
  const meta = metadata(opts);
  const images = tagsFor(opts.format ?? "wasm", ref.tag).map((t) => ({ tag: t.tag, image: buildImage(t.format, wasm, meta) }));
  const wasmSha256 = sha256Digest(wasm);

  if (opts.dryRun) {
    writeLayout(opts.dryRun, images);
    return images.map(({ tag, image }) => result(ref, tag, image, wasmSha256, 0));
  }
  const client = new RegistryClient(ref, opts);
  const out: Published[] = [];
  for (const { tag, image } of images) {
    let uploaded = 0;
    for (const blob of image.blobs) if (await client.pushBlob(blob)) uploaded++;
    await client.putManifest(tag, image.manifest, MEDIA.manifest, image.manifestDescriptor.digest);
    out.push(result(ref, tag, image, wasmSha256, uploaded));
  }
  return out;
}

function result(ref: ImageRef, tag: string, image: BuiltImage, wasmSha256: string, uploaded: number): Published {
  const digest = image.manifestDescriptor.digest;
  return { format: image.format, ref: formatRef(ref, tag), digest, pinned: formatRef(ref, digest), wasmSha256, uploaded };
}

function metadata(opts: PublishOptions): Metadata {
  const pkg = JSON.parse(readFileSync(join(opts.root, "package.json"), "utf8"));
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const created = opts.created ?? (epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date());
  return {
    filter: opts.filter,
    version: String(pkg.version ?? "0.0.0"),
    created: created.toISOString().replace(/\.\d{3}Z$/, "Z"),
    revision: git(opts.root, ["rev-parse", "HEAD"]),
    source: opts.source ?? repositoryUrl(pkg.repository) ?? repositoryUrl(git(opts.root, ["remote", "get-url", "origin"]), true),
  };
}

function git(cwd: string, args: string[]): string | undefined {
  const r = spawnSync("git", args, { cwd, encoding: "utf8", timeout: 10_000 });
  const out = r.status === 0 ? r.stdout.trim() : "";
  return out === "" ? undefined : out;
}

/** package.json `repository` (string or {url}) or a git remote, as a browsable https URL. */
export function repositoryUrl(repo: unknown, gitRemote = false): string | undefined {
  let url = typeof repo === "string" ? repo : typeof (repo as any)?.url === "string" ? (repo as any).url : undefined;
  if (!url) return undefined;
  url = url.replace(/^git\+/, "").replace(/\.git$/, "");
  const scp = /^(?:ssh:\/\/)?git@([^:/]+)[:/](.+)$/.exec(url);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  const shorthand = /^(github|gitlab|bitbucket):(.+)$/.exec(url);
  if (shorthand) return `https://${shorthand[1]}.${shorthand[1] === "bitbucket" ? "org" : "com"}/${shorthand[2]}`;
  // npm's "owner/repo" shorthand (package.json only: for a git remote that is a relative path).
  if (!gitRemote && /^\w[\w.-]*\/\w[\w.-]*$/.test(url)) return `https://github.com/${url}`;
  // Only a URL a reader can open is published; a local path (a clone of a clone) is omitted.
  return isHttpUrl(url) ? url : undefined;
}

/** An absolute http(s) URL with a host (what org.opencontainers.image.source must be). */
export function isHttpUrl(s: string): boolean {
  try { const u = new URL(s); return (u.protocol === "https:" || u.protocol === "http:") && u.hostname !== ""; } catch { return false; }
}

/** The filters that can be published: filters/<name>/assembly/index.ts. */
export function filterNames(root: string): string[] {
  const dir = join(root, "filters");
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => existsSync(join(dir, n, "assembly", "index.ts"))).sort();
}
