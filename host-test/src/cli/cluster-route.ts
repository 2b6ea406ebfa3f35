// Routes with `cluster_header` in the local gateway, as Envoy's router does them: after the
// filters, the upstream is the provider (cluster) named in that request header; no such provider
// is Envoy's 503 with response flag NC (cluster_not_found). The provider's credential (from the
// environment) is written as Envoy's credential injector would on that cluster. Also starts the
// sample providers other than the OpenAI one (sample: anthropic / gemini / bedrock).
import { openHttpUpstream, type UpstreamFailure } from "../server.ts";
import type { UpstreamHandler, UpstreamResponse } from "../gateway.ts";
import type { Provider } from "../../../tools/compose/index.ts";
import { startSampleAnthropic } from "./sample-anthropic.ts";
import { startSampleGemini } from "./sample-gemini.ts";
import { startSampleBedrock } from "./sample-bedrock.ts";
import type { SampleProvider } from "./sample-common.ts";

export type SampleProviders = Map<string, SampleProvider>;

/** Starts the non-OpenAI samples the providers ask for (port 0 = free ports; a fixed port serves one). */
export async function startSampleProviders(providers: Provider[], port = 0): Promise<SampleProviders> {
  const out: SampleProviders = new Map();
  try {
    for (const p of providers) {
      if (p.sampleKind === "anthropic") out.set(p.name, await startSampleAnthropic(port));
      else if (p.sampleKind === "gemini") out.set(p.name, await startSampleGemini(port));
      else if (p.sampleKind === "bedrock") out.set(p.name, await startSampleBedrock(port));
    }
  } catch (e) {
    for (const s of out.values()) await s.close();
    throw e;
  }
  return out;
}

export function clusterHeaderUpstream(header: string, providers: Provider[], bases: Map<string, string>, env: Record<string, string | undefined>): UpstreamHandler {
  return async (req): Promise<UpstreamResponse> => {
    const name = req.headers[header];
    const p = providers.find((x) => x.name === name);
    const base = p ? bases.get(p.name) : undefined;
    if (!p || !base) return { status: 503, headers: { "content-type": "text/plain" }, body: "" };
    const headers = req.headerPairs.filter(([k]) => !k.startsWith(":"));
    if (p.credential) {
      const v = env[p.credential.env];
      if (v) {
        const i = headers.findIndex(([k]) => k === p.credential!.header);
        if (i >= 0) headers.splice(i, 1);
        headers.push([p.credential.header, v]);
      }
    }
    const call = openHttpUpstream(base, { method: req.method, path: req.path, authority: p.sample ? "" : req.authority, headers }, { connectTimeoutMs: durationMs(p.connectTimeout) });
    call.write(req.bodyBytes);
    call.end(req.trailers);
    try {
      const res = await call.response;
      return { status: res.status, headers: res.headers, chunks: res.body };
    } catch (e) {
      const f = e as UpstreamFailure;
      return { status: f.status, headers: { "content-type": "text/plain" }, body: f.body };
    }
  };
}

function durationMs(v: string): number { return Math.round(Number(v.replace(/s$/, "")) * 1000); }
