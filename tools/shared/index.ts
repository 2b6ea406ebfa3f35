// Where the project's shared data sets are (the `shared/` folder that sits beside the checkout:
// Wycheproof vectors, the PII corpus). Tests read them from there; CI has it at the same place.
//
// Candidates, first that exists wins:
//   1. $AIGW_SHARED_DIR
//   2. <repo>/../shared
//   3. <origin>/../shared when this checkout is a clone of a local repository (a clean clone in a
//      temporary folder, as the README's "prove it from a clean clone" recipe makes)
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

function originShared(): string | null {
  try {
    const url = execFileSync("git", ["-C", repoRoot, "remote", "get-url", "origin"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const path = url.startsWith("file://") ? fileURLToPath(url) : url;
    if (!isAbsolute(path) || !existsSync(path)) return null;
    return join(path, "..", "shared");
  } catch {
    return null;
  }
}

/** The shared folder, or an error naming every place looked at. */
export function sharedDir(): string {
  const candidates = [process.env.AIGW_SHARED_DIR, join(repoRoot, "..", "shared"), originShared()].filter((c): c is string => !!c);
  for (const c of candidates) if (existsSync(join(c, "data"))) return c;
  throw new Error(`the shared data folder was not found (looked in: ${candidates.join(", ")}); clone the project beside its shared/ folder or set AIGW_SHARED_DIR`);
}

/** A path inside shared/data, e.g. sharedData("pii", "dev.jsonl"). */
export function sharedData(...parts: string[]): string {
  return join(sharedDir(), "data", ...parts);
}
