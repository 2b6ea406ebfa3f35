// node --import tsx host-test/src/cli/serve-sample.ts [--kind openai|anthropic|gemini|bedrock] [--port 8000] [--chunk-delay-ms N]
// A sample provider on its own, e.g. behind a real Envoy running envoy/envoy.yaml (whose `sample`
// provider points at 127.0.0.1:8000, anthropic-sample at 8001, gemini-sample 8002, bedrock-sample
// 8003). `npm start` does not need this: it starts them itself.
import { parseArgs } from "node:util";
import { startSampleLlm } from "./sample-llm.ts";
import { startSampleProviders } from "./cluster-route.ts";

const { values } = parseArgs({ options: { kind: { type: "string", default: "openai" }, port: { type: "string", default: "8000" }, "chunk-delay-ms": { type: "string", default: "0" } } });
const kind = values.kind!;
if (kind === "openai") {
  const llm = await startSampleLlm(Number(values.port), { chunkDelayMs: Number(values["chunk-delay-ms"]) });
  process.stdout.write(`${llm.url}\nsample LLM (models: echo, sample-*; OpenAI /v1/chat/completions, /v1/embeddings, /v1/models; Anthropic /v1/messages)\n`);
  process.once("SIGINT", () => { llm.close().then(() => process.exit(0)); });
  process.once("SIGTERM", () => { llm.close().then(() => process.exit(0)); });
} else if (kind === "anthropic" || kind === "gemini" || kind === "bedrock") {
  const m = await startSampleProviders([{ name: kind, sampleKind: kind } as never], Number(values.port));
  const s = m.get(kind)!;
  process.stdout.write(`${s.url}\nsample ${kind} provider (faults: POST ${s.url}/_sample/fault {"mode":"429"|"500"|"slow"|"reset"|"none","count":N})\n`);
  process.once("SIGINT", () => { s.close().then(() => process.exit(0)); });
  process.once("SIGTERM", () => { s.close().then(() => process.exit(0)); });
} else {
  process.stderr.write(`--kind must be openai, anthropic, gemini or bedrock\n`);
  process.exitCode = 2;
}
