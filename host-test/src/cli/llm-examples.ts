// npm start's curl commands for llm-route (when a cluster_header route runs it): aliasing,
// least-cost, translation both ways with streaming, failover after a provider's 429.
import type { Description, Route } from "../../../tools/compose/index.ts";
import type { SampleProviders } from "./cluster-route.ts";

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function llmRouteExamples(d: Description, url: string, samples: SampleProviders): string[] {
  const inst = (r: Route) => r.filters.map((n) => d.filters.find((f) => f.name === n)!).find((f) => f.module === "llm-route");
  const chat = d.routes.find((r) => r.clusterHeader && r.match.path === "/v1/chat/completions" && inst(r));
  if (!chat) return [];
  const route = inst(chat)!;
  const cfg = JSON.parse(route.configJson) as { aliases?: Record<string, { strategy?: string; targets?: unknown[] } | unknown[]> };
  const auth = chat.filters.map((n) => d.filters.find((f) => f.name === n)!).find((f) => f.module === "auth");
  const keys = auth ? (JSON.parse(auth.configJson) as { api_keys?: { keys?: Array<{ key?: string }> } }).api_keys?.keys ?? [] : [];
  const key = keys.find((k) => typeof k.key === "string")?.key;
  const h = key ? ` -H ${q(`authorization: Bearer ${key}`)}` : "";
  const post = (path: string, body: unknown, flag = "-s") => `curl ${flag} ${url}${path} -H 'content-type: application/json'${h} -d ${q(JSON.stringify(body))}`;
  const out: string[] = [];
  const aliases = Object.entries(cfg.aliases ?? {});
  const strategy = (a: unknown) => (Array.isArray(a) ? "priority" : (a as { strategy?: string }).strategy ?? "priority");
  const cheap = aliases.find(([, a]) => strategy(a) === "least-cost");
  if (cheap) out.push(`# ${route.name}: alias "${cheap[0]}" (least-cost): the cheapest provider that can serve it answers (see gen_ai.provider.name in the log)\n${post("/v1/chat/completions", { model: cheap[0], messages: [{ role: "user", content: "hi" }] })}`);
  const messages = d.routes.find((r) => r.clusterHeader && r.match.path === "/v1/messages" && inst(r));
  if (messages) {
    out.push(`# ${route.name}: an Anthropic-style client streaming from an OpenAI-style model: events translated one by one\n${post("/v1/messages", { model: "sample-small", max_tokens: 200, stream: true, messages: [{ role: "user", content: "tell me a story" }] }, "-N")}`);
  }
  const claude = aliases.find(([n]) => n.startsWith("claude"));
  if (claude) out.push(`# ${route.name}: an OpenAI-style stream translated from the Anthropic sample's events\n${post("/v1/chat/completions", { model: "claude-haiku", stream: true, messages: [{ role: "user", content: "hello" }] }, "-N")}`);
  const prio = aliases.find(([, a]) => strategy(a) === "priority" && !Array.isArray(a));
  const first = prio ? String(((prio[1] as { targets?: unknown[] }).targets ?? [])[0] ?? "").split("/")[0] : "";
  const s = samples.get(first);
  if (prio && s) {
    out.push(`# ${route.name}: failover. Make ${first} answer 429 once, then ask "${prio[0]}" twice: a 429, then the next target answers\n` +
      `curl -s ${s.url}/_sample/fault -d '{"mode":"429","count":1}'\n${post("/v1/chat/completions", { model: prio[0], messages: [{ role: "user", content: "hi" }] }, "-i")}\n${post("/v1/chat/completions", { model: prio[0], messages: [{ role: "user", content: "hi" }] })}`);
  }
  out.push(`# ${route.name}: an unknown model is a 404 in the client's error shape\n${post("/v1/chat/completions", { model: "gpt-9", messages: [{ role: "user", content: "hi" }] }, "-i")}`);
  return out;
}
