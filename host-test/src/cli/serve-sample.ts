// node --import tsx host-test/src/cli/serve-sample.ts [--port 8000] [--chunk-delay-ms N]
// The built-in sample LLM on its own, e.g. behind a real Envoy running envoy/envoy.yaml (whose
// `sample` provider points at 127.0.0.1:8000). `npm start` does not need this: it starts one itself.
import { parseArgs } from "node:util";
import { startSampleLlm } from "./sample-llm.ts";

const { values } = parseArgs({ options: { port: { type: "string", default: "8000" }, "chunk-delay-ms": { type: "string", default: "0" } } });
const llm = await startSampleLlm(Number(values.port), { chunkDelayMs: Number(values["chunk-delay-ms"]) });
process.stdout.write(`${llm.url}\nsample LLM (models: echo, sample-*; OpenAI /v1/chat/completions, /v1/embeddings, /v1/models; Anthropic /v1/messages)\n`);
process.once("SIGINT", () => { llm.close().then(() => process.exit(0)); });
process.once("SIGTERM", () => { llm.close().then(() => process.exit(0)); });
