// node --import tsx tools/oci/cli.ts publish <filter> <ref> [options]
// See tools/oci/README.md. Exit status: 0 published, 1 failed (one-line error on stderr), 2 bad usage.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { FormatChoice } from "./publish.ts";
import { filterNames, isHttpUrl, publish } from "./publish.ts";
import { parseRef, RefError } from "./ref.ts";

const USAGE = `usage: node --import tsx tools/oci/cli.ts publish <filter> <ref> [options]

Packs dist/<filter>.wasm as a Wasm OCI image and pushes it, e.g.
  publish auth 127.0.0.1:5000/ai-gateway/auth:0.1.0 --insecure

options:
  --format wasm|compat|both   image layout (default wasm); both = wasm at <tag>, compat at <tag>-compat
  --dry-run DIR               write an OCI image layout to DIR instead of pushing
  --username U --password P   registry credentials (default: env REGISTRY_USERNAME / REGISTRY_PASSWORD)
  --insecure                  talk plain http to the registry
  --source URL                org.opencontainers.image.source, an http(s) URL (default: package.json
                              repository or git origin when that is a URL; otherwise omitted)
  --chunk-size BYTES          upload blobs larger than this in PATCH chunks (default 16 MiB)
  --attempts N                attempts per request on 429/502/503/504 or dropped connections (default 5)
  --timeout SECONDS           per-request timeout (default 60)`;

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function usage(message: string): never {
  process.stderr.write(`error: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) usage(`--${name} needs a positive integer, got "${value}"`);
  return Number(value);
}

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: "string" },
        "dry-run": { type: "string" },
        username: { type: "string" },
        password: { type: "string" },
        insecure: { type: "boolean" },
        source: { type: "string" },
        "chunk-size": { type: "string" },
        attempts: { type: "string" },
        timeout: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    usage((err as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    process.stdout.write(USAGE + "\n");
    return;
  }
  const [command, filter, ref, ...extra] = positionals;
  if (command !== "publish") usage(command ? `unknown command "${command}"` : "missing command");
  if (!filter || !ref) usage("publish needs <filter> and <ref>");
  if (extra.length) usage(`unexpected argument "${extra[0]}"`);
  // Bad arguments are usage errors (exit 2), found before anything is read or pushed.
  const known = filterNames(root);
  if (!known.includes(filter)) usage(`there is no filter "${filter}"; the filters are: ${known.join(", ")}`);
  try { parseRef(ref); } catch (err) { if (err instanceof RefError) usage(err.message); throw err; }
  if (v.source !== undefined && !isHttpUrl(v.source)) usage(`--source must be an http(s) URL, got "${v.source}"`);
  const format = (v.format ?? "wasm") as FormatChoice;
  if (!["wasm", "compat", "both"].includes(format)) usage(`--format must be wasm, compat or both, got "${v.format}"`);

  // Empty variables count as unset (CI often exports them empty).
  const username = v.username ?? (process.env.REGISTRY_USERNAME || undefined);
  const password = v.password ?? (process.env.REGISTRY_PASSWORD || undefined);
  if ((username === undefined) !== (password === undefined)) {
    usage("give both a username and a password (--username/--password or REGISTRY_USERNAME/REGISTRY_PASSWORD)");
  }
  const timeout = positiveInt("timeout", v.timeout);

  const results = await publish({
    root,
    filter,
    ref,
    format,
    dryRun: v["dry-run"] === undefined ? undefined : resolve(v["dry-run"]),
    credentials: username !== undefined && password !== undefined ? { username, password } : undefined,
    insecure: v.insecure,
    source: v.source,
    chunkSize: positiveInt("chunk-size", v["chunk-size"]),
    attempts: positiveInt("attempts", v.attempts),
    timeoutMs: timeout === undefined ? undefined : timeout * 1000,
  });
  for (const r of results) {
    const verb = v["dry-run"] !== undefined ? `wrote ${r.format} image to ${v["dry-run"]} as` : `pushed ${r.format} image`;
    process.stdout.write(`${verb} ${r.ref}\n  digest ${r.digest}\n  pinned ${r.pinned}\n  module ${r.wasmSha256}\n`);
  }
}

main(process.argv.slice(2)).catch((err: Error) => {
  process.stderr.write(`error: ${String(err?.message ?? err).replace(/\s+/g, " ")}\n`);
  process.exit(1);
});
