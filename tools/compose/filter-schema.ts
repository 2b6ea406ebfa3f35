// Each filter's configuration is checked against that filter's own JSON Schema
// (filters/<module>/schema.json) wherever a configuration is written down: gateway descriptions,
// the composed Envoy bootstrap, Kubernetes manifests. One validator per schema file, compiled once.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";

const cache = new Map<string, ValidateFunction | null>();

/** The validator of filters/<module>/schema.json, or null when the module has no schema. */
export function filterConfigValidator(root: string, module: string): ValidateFunction | null {
  const file = join(root, "filters", module, "schema.json");
  if (cache.has(file)) return cache.get(file)!;
  let fn: ValidateFunction | null = null;
  if (existsSync(file)) {
    const schema = JSON.parse(readFileSync(file, "utf8"));
    const draft2020 = typeof schema.$schema === "string" && schema.$schema.includes("2020-12");
    const ajv = draft2020 ? new Ajv2020({ allErrors: true, strict: false }) : new Ajv({ allErrors: true, strict: false });
    fn = ajv.compile(schema);
  }
  cache.set(file, fn);
  return fn;
}
