// node --import tsx tools/compose/cli.ts compose <gateway.yaml> [-o out.yaml] [--wasm-dir DIR]
//   Turns a gateway description into a complete Envoy bootstrap, checked against Envoy's API
//   (tools/envoy-schema) before it is written. Exit status: 0 ok, 1 invalid description, 2 bad usage.
// node --import tsx tools/compose/cli.ts check <gateway.yaml>
//   Only validates the description.
import { writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { compose } from "./compose.ts";
import { DescriptionError, loadDescription } from "./description.ts";

const USAGE = `usage: node --import tsx tools/compose/cli.ts compose <gateway.yaml> [-o out.yaml] [--wasm-dir DIR]
       node --import tsx tools/compose/cli.ts check <gateway.yaml>

  compose      write the Envoy bootstrap for the description (stdout, or -o FILE)
  check        validate the description only
  -o FILE      output file
  --wasm-dir   where Envoy finds <module>.wasm (default /etc/envoy/wasm)`;

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { output: { type: "string", short: "o" }, "wasm-dir": { type: "string" }, help: { type: "boolean", short: "h" } } });
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) { process.stdout.write(USAGE + "\n"); return 0; }
  const [cmd, file, ...rest] = positionals;
  if ((cmd !== "compose" && cmd !== "check") || !file || rest.length > 0) {
    process.stderr.write(`error: ${!cmd ? "no command" : cmd !== "compose" && cmd !== "check" ? `unknown command "${cmd}"` : !file ? "no description file" : `unexpected argument "${rest[0]}"`}\n\n${USAGE}\n`);
    return 2;
  }
  const shown = relative(process.cwd(), resolve(file)) || file;
  try {
    const d = loadDescription(file, { root });
    d.file = shown;
    const out = compose(d, { wasmDir: values["wasm-dir"], source: relative(root, resolve(file)) });
    for (const w of out.warnings) process.stderr.write(`warning: ${w}\n`);
    if (cmd === "check") { process.stdout.write(`${shown}: OK (${d.routes.length} routes, ${d.filters.length} filter instances)\n`); return 0; }
    // The schema check is another part of the tree; load it lazily so `check` works without it.
    const schema = await import(join(root, "tools", "envoy-schema", "index.ts")).catch(() => null);
    if (schema) {
      const { errors } = schema.validateEnvoyYaml(out.yaml, "composed.yaml") as { errors: { path: string; line: number; message: string }[] };
      if (errors.length > 0) {
        process.stderr.write(`error: the composed Envoy config does not match Envoy's API (a compose bug, please report):\n${errors.map((e) => `  composed.yaml:${e.line}: ${e.path}: ${e.message}`).join("\n")}\n`);
        return 1;
      }
    }
    if (values.output) writeFileSync(values.output, out.yaml);
    else process.stdout.write(out.yaml);
    return 0;
  } catch (e) {
    if (e instanceof DescriptionError) {
      for (const i of e.issues) process.stderr.write(`${e.file === shown ? shown : e.file}:${i.line}: ${i.path ? i.path + ": " : ""}${i.message}\n`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
