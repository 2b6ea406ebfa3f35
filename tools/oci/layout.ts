// `--dry-run DIR`: the same images written as an OCI image layout (image-spec image-layout.md):
// `oci-layout`, `index.json` naming each manifest by tag (`org.opencontainers.image.ref.name`), and
// every blob under `blobs/sha256/<hex>`. `skopeo inspect oci:DIR:TAG` or `skopeo copy oci:DIR:TAG
// docker://…` reads it. An existing layout in DIR is extended; an entry with the same tag is replaced.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BuiltImage, Descriptor } from "./image.ts";
import { MEDIA } from "./image.ts";

const REF_NAME = "org.opencontainers.image.ref.name";

export function writeLayout(dir: string, images: { tag: string; image: BuiltImage }[]): void {
  const blobDir = join(dir, "blobs", "sha256");
  mkdirSync(blobDir, { recursive: true });
  writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  const indexPath = join(dir, "index.json");
  let manifests: Descriptor[] = [];
  if (existsSync(indexPath)) {
    try {
      manifests = JSON.parse(readFileSync(indexPath, "utf8")).manifests ?? [];
    } catch {
      throw new Error(`${indexPath} exists but is not JSON: use an empty directory for --dry-run`);
    }
  }
  for (const { tag, image } of images) {
    const put = (digest: string, data: Buffer) => writeFileSync(join(blobDir, digest.slice("sha256:".length)), data);
    for (const b of image.blobs) put(b.digest, b.data);
    put(image.manifestDescriptor.digest, image.manifest);
    manifests = manifests.filter((m) => m.annotations?.[REF_NAME] !== tag);
    manifests.push({ ...image.manifestDescriptor, annotations: { [REF_NAME]: tag } });
  }
  writeFileSync(indexPath, JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.index, manifests }, null, 2) + "\n");
}
