// Writing a generated source only when its text changed: an unchanged file keeps its mtime, so
// `scripts/build.mjs --if-needed` does not rebuild the modules that include it. Written to a
// temporary file first and renamed, so a reader never sees half a file.
import { readFileSync, renameSync, writeFileSync } from "node:fs";

/** Writes `text` to `path` unless the file already holds it; returns whether it wrote. */
export function writeIfChanged(path: string, text: string): boolean {
  let old = "";
  try { old = readFileSync(path, "utf8"); } catch { /* first run */ }
  if (old === text) return false;
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
  return true;
}
