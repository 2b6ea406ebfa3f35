// Every Wasm filter configuration embedded in an Envoy bootstrap under envoy/ is checked against
// that filter's own JSON Schema (filters/<module>/schema.json): the schema check of
// tools/envoy-schema sees only a StringValue there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { filterConfigValidator } from "./filter-schema.ts";

const WASM = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";

interface Embedded { name: string; module: string; config: unknown }

/** Wasm filters of a bootstrap: module from the code's file name, config from the StringValue. */
export function embeddedWasmConfigs(bootstrap: unknown): Embedded[] {
  const out: Embedded[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) { v.forEach(walk); return; }
    if (!v || typeof v !== "object") return;
    const o = v as Record<string, any>;
    if (o["@type"] === WASM && o.config) {
      const file: string = o.config.vm_config?.code?.local?.filename ?? "";
      const module = /([a-z0-9-]+)\.wasm$/.exec(file)?.[1] ?? "";
      const raw = o.config.configuration?.value ?? "{}";
      out.push({ name: o.config.name, module, config: JSON.parse(raw) });
    }
    Object.values(o).forEach(walk);
  };
  walk(bootstrap);
  return out;
}

test("envoy/envoy.yaml: each Wasm filter's embedded configuration is valid for its module", () => {
  const embedded = embeddedWasmConfigs(parse(readFileSync("envoy/envoy.yaml", "utf8")));
  assert.ok(embedded.length >= 2, "auth and pii-mask are configured");
  for (const e of embedded) {
    const validate = filterConfigValidator(".", e.module);
    assert.ok(validate, `${e.name}: filters/${e.module}/schema.json is missing`);
    assert.ok(validate(e.config), `${e.name} (${e.module}): ${JSON.stringify(validate.errors)}`);
  }
});

test("a configuration that breaks its filter's schema is caught", () => {
  const bootstrap = parse(readFileSync("envoy/envoy.yaml", "utf8"));
  const pii = embeddedWasmConfigs(bootstrap).find((e) => e.module === "pii-mask")!;
  const validate = filterConfigValidator(".", "pii-mask")!;
  assert.equal(validate({ ...(pii.config as object), detectors: { EMAIL: "explode" } }), false);
  const auth = filterConfigValidator(".", "auth")!;
  assert.equal(auth({ api_keys: { keys: [{ consumer: "x" }] }, unknown_field: 1 }), false);
});
