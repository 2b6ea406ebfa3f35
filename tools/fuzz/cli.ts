// npm run fuzz -- [--filter NAME]... [--inputs N] [--seed S] [--time-limit SECONDS] [--debug] [--replay I --config-file F]
// A structure-aware fuzz campaign (tools/fuzz/campaign.ts) against each built filter (dist/<name>.wasm
// for filters/<name>), seeded with the configurations envoy/gateway.yaml gives that module and
// sampling more from filters/<name>/schema.json. Prints inputs run and traps found per filter;
// exit 1 when a filter trapped (or the host threw), 2 for a bad command line.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { replay, runCampaign } from "./campaign.ts";
import { builtFilters, campaignOptions } from "./options.ts";

const USAGE = `usage: npm run fuzz -- [--filter NAME]... [--inputs N] [--seed S] [--time-limit SECONDS] [--debug]
       npm run fuzz -- --filter NAME --seed S --replay I [--config-file FILE] [--debug]
  --filter NAME      a built filter (dist/NAME.wasm); repeat for several; default: every built filter
  --inputs N         inputs per filter (default 100000)
  --seed S           campaign seed (default 1); input I of seed S always generates the same input
  --time-limit S     stop each filter's campaign after S seconds (the report says how many ran)
  --replay I         run input I alone (a reported finding); --config-file: the configuration it ran on
  --debug            run dist/debug/NAME.wasm: named frames, and unchecked() accesses bounds-checked`;

function usage(msg: string): never { process.stderr.write(`error: ${msg}\n${USAGE}\n`); process.exit(2); }

async function main(): Promise<number> {
  let v;
  try {
    v = parseArgs({ args: process.argv.slice(2), options: { filter: { type: "string", multiple: true }, inputs: { type: "string" }, seed: { type: "string" }, "time-limit": { type: "string" }, replay: { type: "string" }, "config-file": { type: "string" }, debug: { type: "boolean" }, help: { type: "boolean", short: "h" } } }).values;
  } catch (e) { usage((e as Error).message); }
  if (v.help) { process.stdout.write(USAGE + "\n"); return 0; }
  const int = (name: string, s: string | undefined, dflt: number) => { if (s === undefined) return dflt; if (!/^\d+$/.test(s)) usage(`--${name} needs a whole number, got "${s}"`); return Number(s); };
  const built = builtFilters();
  const filters = v.filter ?? built;
  for (const f of filters) if (!built.includes(f)) usage(`no built filter "${f}" (built: ${built.join(", ") || "none"}; build with node scripts/build.mjs ${f})`);
  const debug = v.debug === true;
  if (debug) for (const f of filters) if (!existsSync(campaignOptions(f, true).wasm as string)) usage(`no debug build of "${f}" (build with node scripts/build.mjs ${f})`);
  const seed = int("seed", v.seed, 1);
  if (v.replay !== undefined) {
    if (filters.length !== 1) usage("--replay needs exactly one --filter");
    const config = v["config-file"] !== undefined ? readFileSync(v["config-file"], "utf8") : undefined;
    const r = await replay({ ...campaignOptions(filters[0], debug), seed }, int("replay", v.replay, 0), config);
    process.stdout.write(JSON.stringify(r.findings, null, 2) + "\n");
    return r.traps + r.hostErrors > 0 ? 1 : 0;
  }
  const inputs = int("inputs", v.inputs, 100_000);
  const limit = v["time-limit"] === undefined ? undefined : int("time-limit", v["time-limit"], 0) * 1000;
  let bad = 0;
  for (const name of filters) {
    const r = await runCampaign({ ...campaignOptions(name, debug), inputs, seed, timeLimitMs: limit, progressEvery: Math.max(10_000, Math.floor(inputs / 10)),
      onProgress: (p) => process.stderr.write(`  ${name}: ${p.inputs.toLocaleString("en")} inputs, ${p.traps} traps, ${(p.inputs / (p.ms / 1000)).toFixed(0)}/s\n`) });
    const rate = r.inputs / Math.max(r.ms / 1000, 0.001);
    process.stdout.write(`${name}: ${r.inputs.toLocaleString("en")} inputs (${r.streams.toLocaleString("en")} streams, ${r.configs.toLocaleString("en")} configurations of which ${r.configsAccepted.toLocaleString("en")} accepted) in ${(r.ms / 1000).toFixed(1)} s (${rate.toFixed(0)}/s), seed ${seed}${debug ? " (debug build)" : ""}: ${r.traps} traps, ${r.hostErrors} host errors${r.stoppedEarly ? ` (time limit: ${inputs.toLocaleString("en")} asked)` : ""}\n`);
    for (const f of r.findings.slice(0, 10)) {
      let replayCmd = `npm run fuzz -- --filter ${name} --seed ${seed}${debug ? " --debug" : ""} --replay ${f.input}`;
      if (f.config !== undefined) { const file = join(tmpdir(), `fuzz-${name}-${seed}-${f.input}.config`); writeFileSync(file, f.config); replayCmd += ` --config-file ${file}`; }
      process.stdout.write(`  ${f.kind} in ${f.where}, input ${f.input}: ${f.message.split("\n")[0]}\n    replay: ${replayCmd}\n`);
    }
    bad += r.traps + r.hostErrors;
  }
  return bad > 0 ? 1 : 0;
}

process.exitCode = await main();
