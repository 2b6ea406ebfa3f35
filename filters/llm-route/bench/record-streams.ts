// Preload for same-output.ts: records every stream a host-test Plugin runs in this process (what
// each callback returned, what upstream and the client received after every call, the final
// headers, local reply, filter state, and the plugin's logs) and writes the transcript to
// $RECORD_OUT at exit. $RECORD_WASM replaces dist/llm-route.wasm wherever it is read, so the
// unchanged test files run against another build. The clock starts at a fixed instant (the
// filter derives `created`, ids and its split seed from it), so two runs are comparable.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { Plugin, type StreamTester } from "../../../host-test/src/index.ts";

const out = process.env.RECORD_OUT;
const wasm = process.env.RECORD_WASM;
const FIXED_NOW = 1_767_225_600_000; // 2026-01-01T00:00:00Z
Date.now = () => FIXED_NOW;

let loads = 0; // reads of the build under test (a transcript without any is of no build)
if (wasm) {
  const read = fs.readFileSync;
  (fs as { readFileSync: typeof fs.readFileSync }).readFileSync = ((p: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    const redirect = typeof p === "string" && p.endsWith("/dist/llm-route.wasm");
    if (redirect || p === wasm) loads++;
    return read(redirect ? wasm : p, ...(rest as []));
  }) as typeof fs.readFileSync;
  syncBuiltinESMExports(); // `import { readFileSync } from "node:fs"` sees the replacement too
}

interface Rec { plugin: Plugin; t: StreamTester; calls: string[] }
const recs: Rec[] = [];
const newStream = Plugin.prototype.newStream;
Plugin.prototype.newStream = function (this: Plugin, opts?: Parameters<Plugin["newStream"]>[0]): StreamTester {
  const t = newStream.call(this, opts);
  const rec: Rec = { plugin: this, t, calls: [] };
  recs.push(rec);
  const note = (name: string, r: unknown) => rec.calls.push(`${name}=${String(r)} up=${t.upstream.body.length} client=${t.client.body.length}`);
  for (const name of ["requestHeaders", "requestBody", "requestTrailers", "responseHeaders", "responseBody", "responseTrailers"] as const) {
    const f = t[name] as (...a: unknown[]) => unknown;
    (t as unknown as Record<string, unknown>)[name] = (...a: unknown[]) => { const r = f(...a); note(name, r); return r; };
  }
  return new Proxy(t, { get: (o, k) => (k === "complete" ? () => { o.complete(); note("complete", ""); } : Reflect.get(o, k)) });
};

process.on("exit", () => {
  if (!out) return;
  const lines: string[] = [];
  for (const { t, calls, plugin } of recs) {
    const fs_ = [...t.stream.filterState].map(([k, v]) => `${k}=${Buffer.from(v).toString("utf8")}`).sort();
    lines.push(JSON.stringify({
      calls, upstream: { headers: t.upstream.headers?.entries ?? null, body: t.upstream.body },
      client: { headers: t.client.headers?.entries ?? null, body: t.client.body },
      local: t.localReply, filterState: fs_, failed: plugin.failed,
    }));
  }
  const logs = [...new Set(recs.map((r) => r.plugin))].map((p) => p.logs());
  lines.push(JSON.stringify({ logs, loads: loads > 0 }));
  fs.writeFileSync(out, lines.join("\n") + "\n");
});
