// node --import tsx tools/envoy-schema/cli.ts [--type <message>] envoy/envoy.yaml
// (Envoy bootstraps, or files of the --type message; gateway descriptions are checked by
// `npm run compose -- check FILE`, the Docker Compose and k8s files by their own tests.)
// Prints "<file>: OK" or one line per error (file:line: path: message); exits 1 if any file fails.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { formatErrors, validateEnvoyYaml } from "./validate.ts";

function main(argv: string[]): number {
  let rootType: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--type") rootType = argv[++i];
    else if (a === "-h" || a === "--help") {
      console.log("usage: cli.ts [--type <proto message>] <file.yaml|dir>...\n  default root message: envoy.config.bootstrap.v3.Bootstrap (or `# envoy-schema: <message>` in the file)");
      return 0;
    } else if (statSync(a, { throwIfNoEntry: false })?.isDirectory()) {
      for (const f of readdirSync(a).sort()) if (/\.ya?ml$/.test(f)) files.push(join(a, f));
    } else files.push(a);
  }
  if (files.length === 0) {
    console.error("no files given (try: envoy/*.yaml)");
    return 2;
  }
  let failed = 0;
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, "utf8");
    } catch (e) {
      console.error(`${f}: cannot read: ${(e as Error).message}`);
      failed++;
      continue;
    }
    const { errors } = validateEnvoyYaml(text, f, { rootType });
    if (errors.length === 0) console.log(`${f}: OK`);
    else {
      failed++;
      for (const line of formatErrors(f, errors)) console.log(line);
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
