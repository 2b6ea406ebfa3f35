import { test } from "node:test";
import { load, send, answer, CONFIG } from "./helpers.ts";
const cfg = JSON.parse(JSON.stringify(CONFIG));
cfg.providers.push({ name: "bed", kind: "bedrock", region: "us-east-1", access_key_id: "AKIDEXAMPLE", secret_access_key: "SECRETSECRETSECRET", host: "bedrock-runtime.us-east-1.amazonaws.com", models: {} });
cfg.providers.push({ name: "az", kind: "azure-openai", host: "x.openai.azure.com", api_key: "AZKEY123456", base_path: "/openai", models: {} });
cfg.providers.push({ name: "gem", kind: "gemini", host: "generativelanguage.googleapis.com", api_key: "GEMKEY123456", models: {} });
cfg.aliases["bed-*"] = ["bed/*"]; cfg.aliases["az-*"] = ["az/*"]; cfg.aliases["gem-*"] = ["gem/*"]; cfg.aliases["*x"] = ["az/*"];
test("probe", async () => {
  const p = await load(cfg);
  for (const m of ["bed-..", "..", "az-..", "gem-..", "bed-x/../y", "gem-a\nb", "..x", ".", "az-."]) {
    const r = send(p, { model: m, messages: [{ role: "user", content: "hi" }], max_tokens: 5 });
    console.log(JSON.stringify(m), r.status ?? "UP", r.upstreamHeaders[":path"], r.upstreamHeaders["x-aigw-cluster"], JSON.stringify(r.local ?? "").slice(0, 120));
  }
  // client headers
  const r = send(p, { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }, { headers: { "x-aigw-cluster": "evil", "X-AIGW-CLUSTER": "evil2", authorization: "Bearer client", "x-api-key": "clientkey" } });
  console.log("hdrs", JSON.stringify(r.upstreamHeaders));
  // error bodies from provider
  const e = send(p, { model: "claude-haiku", messages: [{ role: "user", content: "hi" }] });
  const out = answer(e.s, [JSON.stringify({ type: "error", error: { type: "authentication_error", message: "invalid x-api-key sk-ant-test at api.anthropic.com internal host 10.0.0.5" } })], { ":status": "401", "content-type": "application/json" });
  console.log("err", out);
  const h = send(p, { model: "claude-haiku", messages: [{ role: "user", content: "hi" }] });
  const out2 = answer(h.s, ["<html>upstream connect error sk-ant-test vllm.internal</html>"], { ":status": "200", "content-type": "text/html" });
  console.log("html200", h.s.client.headers?.toObject?.() ?? "", out2);
  const g = send(p, { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
  const out3 = answer(g.s, ["<html>bad gateway at 10.1.2.3</html>"], { ":status": "502", "content-type": "text/html" });
  console.log("html502", out3);
});
