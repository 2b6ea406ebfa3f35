// parseConfig: configuration text in, a RouteConfig or "field `path`: reason" out (table-driven),
// and the pure selection logic (glob, resolution order, capability filter, strategies).
import { parseConfig } from "../config";
import { Cap, Strategy } from "../model";
import { Outcome, filterCapable, globMatch, order, resolve, stickyRoll } from "../select";
import { upstreamPath, uriEncode, Endpoint } from "../upstream";
import { ConfigRow as Row, expectConfigRows } from "../../../common/assembly/__tests__/support/config-table";

function parse(s: string): string {
  const r = parseConfig(Uint8Array.wrap(String.UTF8.encode(s)));
  return r.config === null ? r.error : "ok";
}

const P = "{\"name\":\"oai\",\"kind\":\"openai\",\"models\":{\"m\":\"m-up\",\"c\":{\"input_price\":1,\"output_price\":2}}}";
const Q = "{\"name\":\"ant\",\"kind\":\"anthropic\",\"models\":{\"c\":{\"model\":\"claude\",\"input_price\":0.5,\"output_price\":1,\"capabilities\":[\"streaming\"]}}}";

const ROWS: Row[] = [
  new Row("", "ok"),
  new Row("{\"providers\":[]}", "ok"),
  new Row("{\"providers\":{}}", "field `providers`: expected array, got object"),
  new Row("{\"providers\":[" + P + "]}", "ok"),
  new Row("{\"providers\":[" + P + "],\"colour\":1}", "field `colour`: unknown field"),
  new Row("{\"providers\":[{\"name\":\"Bad Name\",\"kind\":\"openai\"}]}", "field `providers[0].name`: must be 1-63 characters"),
  new Row("{\"providers\":[{\"name\":\"x\",\"kind\":\"cohere\"}]}", "field `providers[0].kind`: unknown kind `cohere`"),
  new Row("{\"providers\":[{\"name\":\"x\"}]}", "field `providers[0].kind`: required string is missing"),
  new Row("{\"providers\":[{\"name\":\"x\",\"kind\":\"openai\",\"base_path\":\"v1\"}]}", "field `providers[0].base_path`: must start with `/`"),
  new Row("{\"providers\":[{\"name\":\"x\",\"kind\":\"openai\",\"host\":\"https://a\"}]}", "field `providers[0].host`: must be a host[:port]"),
  new Row("{\"providers\":[{\"name\":\"x\",\"kind\":\"openai\",\"api_key\":\"a\\r\\nb\"}]}", "field `providers[0].api_key`: must not contain control characters"),
  new Row("{\"providers\":[{\"name\":\"x\",\"kind\":\"bedrock\"}]}", "field `providers[0].region`: is required for bedrock"),
  new Row("{\"providers\":[{\"name\":\"x\",\"kind\":\"vertex\"}]}", "field `providers[0].base_path`: is required for vertex"),
  new Row("{\"providers\":[{\"name\":\"x\",\"kind\":\"openai\",\"models\":{\"m\":{\"input_price\":-1}}}]}", "field `providers[0].models.m.input_price`: must be a price"),
  new Row("{\"providers\":[{\"name\":\"x\",\"kind\":\"openai\",\"models\":{\"m\":{\"capabilities\":[\"telepathy\"]}}}]}", "field `providers[0].models.m.capabilities`: unknown capability `telepathy`"),
  new Row("{\"providers\":[{\"name\":\"x\",\"kind\":\"openai\",\"models\":{\"m\":{\"context_length\":1.5}}}]}", "field `providers[0].models.m.context_length`: expected integer"),
  new Row("{\"providers\":[{\"name\":\"x\",\"kind\":\"openai\",\"models\":{\"a*\":\"b\"}}]}", "field `providers[0].models.a*`: model names are non-empty, without `*`"),
  new Row("{\"providers\":[" + P + "," + P + "]}", "field `providers[1].name`: duplicate provider name `oai`"),
  new Row("{\"cluster_header\":\"X-Cluster\",\"providers\":[" + P + "]}", "field `cluster_header`: must be a lowercase header name"),
  new Row("{\"max_body_bytes\":10,\"providers\":[" + P + "]}", "field `max_body_bytes`: expected integer in [1024, 67108864], got 10"),
  new Row("{\"health\":{\"cooldown_ms\":5000,\"max_cooldown_ms\":1000},\"providers\":[" + P + "]}", "field `health.max_cooldown_ms`: must be at least cooldown_ms"),
  new Row("{\"providers\":[" + P + "],\"aliases\":{\"a\":[\"oai/m\"]}}", "ok"),
  new Row("{\"providers\":[" + P + "],\"aliases\":{\"a\":[\"nobody/m\"]}}", "field `aliases.a.targets[0]`: unknown provider `nobody`"),
  new Row("{\"providers\":[" + P + "],\"aliases\":{\"a\":[\"oai/zz\"]}}", "field `aliases.a.targets[0]`: provider `oai` has no model `zz`"),
  new Row("{\"providers\":[" + P + "],\"aliases\":{\"a\":[\"oai\"]}}", "field `aliases.a.targets[0]`: a target is `provider/model`"),
  new Row("{\"providers\":[" + P + "],\"aliases\":{\"a\":{\"strategy\":\"fastest\",\"targets\":[\"oai/m\"]}}}", "field `aliases.a.strategy`: unknown strategy `fastest`"),
  new Row("{\"providers\":[" + P + "],\"aliases\":{\"a\":{\"targets\":[]}}}", "field `aliases.a.targets`: must name at least one target"),
  new Row("{\"providers\":[" + P + "],\"aliases\":{\"a\":{\"sticky\":true,\"targets\":[\"oai/m\"]}}}", "field `aliases.a.sticky`: applies to the weighted strategy only"),
  new Row("{\"providers\":[" + P + "],\"aliases\":{\"a\":{\"strategy\":\"weighted\",\"targets\":[{\"provider\":\"oai\",\"model\":\"m\",\"weight\":0}]}}}", "field `aliases.a.targets`: weights must not all be 0"),
  new Row("{\"providers\":[" + P + "],\"aliases\":{\"a\":{\"targets\":[{\"provider\":\"oai\",\"model\":\"m\",\"weight\":-1}]}}}", "field `aliases.a.targets[0].weight`: expected integer in [0, 1000000]"),
];

function cfg(s: string): string { return "{\"providers\":[" + P + "," + Q + "]" + s + "}"; }

describe("parseConfig (table)", () => {
  it("accepts or rejects each row with the field named", () => {
    expectConfigRows(ROWS, parse);
  });

  it("fills defaults per kind", () => {
    const c = parseConfig(Uint8Array.wrap(String.UTF8.encode("{\"providers\":[{\"name\":\"b\",\"kind\":\"bedrock\",\"region\":\"eu-west-1\"},{\"name\":\"a\",\"kind\":\"azure-openai\"}]}"))).config!;
    expect(c.clusterHeader).toBe("x-aigw-cluster");
    expect(c.providers[0].cluster).toBe("b");
    expect(c.providers[0].host).toBe("bedrock-runtime.eu-west-1.amazonaws.com");
    expect(c.providers[1].apiVersion).toBe("2024-10-21");
    expect(c.providers[1].basePath).toBe("/openai");
    expect(c.maxBodyBytes).toBe(4 << 20);
  });
});

describe("selection", () => {
  it("glob", () => {
    expect(globMatch("gpt-4*", "gpt-4o")).toBe(true);
    expect(globMatch("gpt-4*", "gpt-3.5")).toBe(false);
    expect(globMatch("*-mini", "o4-mini")).toBe(true);
    expect(globMatch("a*b*c", "axxbyyc")).toBe(true);
    expect(globMatch("a*b*c", "axxbyy")).toBe(false);
    expect(globMatch("*", "")).toBe(true);
  });

  it("exact alias, then a provider's model, then the longest wildcard", () => {
    const c = parseConfig(Uint8Array.wrap(String.UTF8.encode(cfg(",\"aliases\":{\"c*\":[\"oai/m\"],\"cl*\":[\"ant/*\"],\"m\":[\"ant/c\"]}")))).config!;
    expect(resolve(c, "m", "", "").candidates[0].provider.name).toBe("ant");
    const direct = resolve(c, "c", "", "");
    expect(direct.candidates.length).toBe(2); // both providers list `c`, in configuration order
    expect(direct.candidates[0].provider.name).toBe("oai");
    const w = resolve(c, "claude-x", "", "");
    expect(w.candidates[0].provider.name).toBe("ant");
    expect(w.candidates[0].upstreamModel).toBe("claude-x");
    expect(resolve(c, "zzz", "", "").outcome).toBe(Outcome.UNKNOWN_MODEL);
  });

  it("capabilities and context length filter candidates", () => {
    const c = parseConfig(Uint8Array.wrap(String.UTF8.encode(cfg("")))).config!;
    const r = resolve(c, "c", "", "");
    filterCapable(r, Cap.TOOLS, 10);
    expect(r.candidates.length).toBe(1);
    expect(r.candidates[0].provider.name).toBe("oai");
    const r2 = resolve(c, "c", "", "");
    filterCapable(r2, Cap.VISION | Cap.STREAMING, 10);
    expect(r2.outcome).toBe(Outcome.OK);
  });

  it("least-cost orders by estimated cost; weighted picks by roll", () => {
    const c = parseConfig(Uint8Array.wrap(String.UTF8.encode(cfg(",\"aliases\":{\"lc\":{\"strategy\":\"least-cost\",\"targets\":[\"oai/c\",\"ant/c\"]},\"w\":{\"strategy\":\"weighted\",\"targets\":[{\"provider\":\"oai\",\"model\":\"c\",\"weight\":1},{\"provider\":\"ant\",\"model\":\"c\",\"weight\":3}]}}")))).config!;
    const r = resolve(c, "lc", "", "");
    expect(r.strategy).toBe(Strategy.LEAST_COST);
    order(r, 1000, 100, 0);
    expect(r.candidates[0].provider.name).toBe("ant");
    expect(r.candidates[0].cost).toBe(600.0);
    const w1 = resolve(c, "w", "", "");
    order(w1, 1, 1, 0.3);
    expect(w1.candidates[0].provider.name).toBe("ant");
    const w2 = resolve(c, "w", "", "");
    order(w2, 1, 1, 0.9);
    expect(w2.candidates[0].provider.name).toBe("ant");
    const w3 = resolve(c, "w", "", "");
    order(w3, 1, 1, 0.1);
    expect(w3.candidates[0].provider.name).toBe("oai");
    expect(stickyRoll("alice") == stickyRoll("alice")).toBe(true);
    expect(stickyRoll("alice") != stickyRoll("bob")).toBe(true);
  });

  it("provider paths", () => {
    const c = parseConfig(Uint8Array.wrap(String.UTF8.encode("{\"providers\":[{\"name\":\"g\",\"kind\":\"gemini\"},{\"name\":\"b\",\"kind\":\"bedrock\",\"region\":\"us-east-1\"}]}"))).config!;
    expect(upstreamPath(c.providers[0], Endpoint.CHAT, "gemini-2.0-flash", false)).toBe("/v1beta/models/gemini-2.0-flash:generateContent");
    expect(upstreamPath(c.providers[0], Endpoint.CHAT, "gemini-2.0-flash", true)).toBe("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
    expect(upstreamPath(c.providers[1], Endpoint.CHAT, "anthropic.claude-3-haiku-20240307-v1:0", true)).toBe("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream");
    expect(uriEncode("a b/é")).toBe("a%20b%2F%C3%A9");
  });
});
