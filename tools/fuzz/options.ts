// What a filter's campaign starts from: the built filters, and per filter its seed
// configurations (those envoy/gateway.yaml gives its module, else {}) and its schema.json.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadDescription } from "../compose/index.ts";
import type { CampaignOptions } from "./campaign.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function builtFilters(): string[] {
  return readdirSync(join(root, "filters")).filter((n) => existsSync(join(root, "filters", n, "assembly", "index.ts")) && existsSync(join(root, "dist", `${n}.wasm`))).sort();
}

/** The seeds for a filter: each configuration envoy/gateway.yaml gives its module, else `{}`. */
/**
 * `debug`: run the debug build (dist/debug/<name>.wasm): Wasm frames with names, and every
 * unchecked() access bounds-checked too (asconfig.json's debug target), so a read past an array's
 * end aborts where it happens instead of going on with a stray value.
 */
export function campaignOptions(name: string, debug = false): Omit<CampaignOptions, "inputs"> {
  const seeds: object[] = [];
  try {
    const d = loadDescription(join(root, "envoy", "gateway.yaml"), { root });
    for (const f of d.filters) if (f.module === name) seeds.push(JSON.parse(f.configJson));
  } catch { /* the description is checked elsewhere */ }
  if (seeds.length === 0) seeds.push({});
  const schemaFile = join(root, "filters", name, "schema.json");
  return { name, wasm: debug ? join(root, "dist", "debug", `${name}.wasm`) : join(root, "dist", `${name}.wasm`), seedConfigs: seeds, schema: existsSync(schemaFile) ? JSON.parse(readFileSync(schemaFile, "utf8")) : undefined };
}

