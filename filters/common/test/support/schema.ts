// A filter's schema.json and README.md examples, for its schema tests: the validator is the one
// tools/compose checks gateway descriptions with (so the tests check what users are checked by).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv";
import { filterConfigValidator } from "../../../../tools/compose/filter-schema.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

/** The validator of filters/<module>/schema.json (draft 2020-12, all errors collected). */
export function schemaValidator(module: string): ValidateFunction {
  const validate = filterConfigValidator(root, module);
  if (validate === null) throw new Error(`filters/${module}/schema.json is missing`);
  return validate;
}

/** The text of every ```json block of filters/<module>/README.md, in order. */
export function readmeJsonBlocks(module: string): string[] {
  const readme = readFileSync(join(root, "filters", module, "README.md"), "utf8");
  return [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
}
