// Test support: a real compiled module to publish.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** dist/noop.wasm, else any dist/*.wasm; builds noop when none is there (npm test builds first anyway). */
export function builtModule(): { filter: string; wasm: Buffer } {
  const dist = join(root, "dist");
  const pick = () => {
    if (existsSync(join(dist, "noop.wasm"))) return "noop";
    const any = existsSync(dist) ? readdirSync(dist).find((f) => f.endsWith(".wasm")) : undefined;
    return any?.slice(0, -".wasm".length);
  };
  let filter = pick();
  if (!filter) {
    const r = spawnSync(process.execPath, ["scripts/build.mjs", "noop"], { cwd: root, stdio: "inherit", timeout: 300_000 });
    assert.equal(r.status, 0, "node scripts/build.mjs noop failed");
    filter = pick();
  }
  assert.ok(filter, "no dist/*.wasm even after building");
  return { filter, wasm: readFileSync(join(dist, `${filter}.wasm`)) };
}
