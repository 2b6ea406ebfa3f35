// Image references: `host[:port]/path/name:tag`, the form Istio (`oci://` URLs) and Envoy Gateway
// (`wasm.code.image.url`) take. Parsing follows the distribution reference grammar closely enough for
// publishing: the first component is a registry when it holds a `.` or `:` or is `localhost`,
// otherwise the reference is on Docker Hub.

export interface ImageRef {
  /** host[:port] as written, e.g. `127.0.0.1:5000`, `ghcr.io`. */
  registry: string;
  /** Repository path inside the registry, e.g. `ai-gateway/auth`. */
  repository: string;
  tag: string;
}

const DOCKER_HUB = "docker.io";
// Repository path components and tags, from the OCI distribution spec (`<name>` and `<reference>`).
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

export class RefError extends Error {}

export function parseRef(input: string): ImageRef {
  const example = "e.g. 127.0.0.1:5000/ai-gateway/auth:0.1.0";
  let s = input.trim().replace(/^oci:\/\//, "");
  if (s === "") throw new RefError(`empty image reference (${example})`);
  if (s.includes("@")) throw new RefError(`"${input}": publish needs a tag, not a digest (${example})`);
  let registry = DOCKER_HUB;
  const slash = s.indexOf("/");
  const first = slash < 0 ? "" : s.slice(0, slash);
  if (first !== "" && (first.includes(".") || first.includes(":") || first === "localhost")) {
    registry = first;
    s = s.slice(slash + 1);
  }
  const colon = s.lastIndexOf(":");
  if (colon < 0) throw new RefError(`"${input}" has no tag (${example})`);
  let repository = s.slice(0, colon);
  const tag = s.slice(colon + 1);
  if (!TAG.test(tag)) throw new RefError(`"${input}": invalid tag "${tag}"`);
  if (registry === DOCKER_HUB && !repository.includes("/")) repository = `library/${repository}`;
  if (repository === "" || !repository.split("/").every((c) => PATH_COMPONENT.test(c))) {
    throw new RefError(`"${input}": invalid repository "${repository}" (lowercase letters, digits, . _ - and /)`);
  }
  return { registry, repository, tag };
}

/** The host to talk to: Docker Hub's API lives on a different name than its references. */
export function apiHost(ref: ImageRef): string {
  return ref.registry === DOCKER_HUB ? "registry-1.docker.io" : ref.registry;
}

export function formatRef(ref: ImageRef, tagOrDigest = ref.tag): string {
  const sep = tagOrDigest.startsWith("sha256:") ? "@" : ":";
  return `${ref.registry}/${ref.repository}${sep}${tagOrDigest}`;
}
