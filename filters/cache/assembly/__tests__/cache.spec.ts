// Pure parts of the cache: configuration (table-driven), canonical JSON, the key's dialect
// normalisation, Cache-Control parsing, entry encoding and checksum, int8 quantisation.
import { parseConfig } from "../config";
import { Scope } from "../model";
import { cacheControl } from "../cache-control";
import { requestKey, promptText } from "../key";
import { Entry, encodeEntry, entryIntact, decodeEntry } from "../entry";
import { quantise } from "../quantise";
import { appendCanonicalJson } from "../../../common/assembly/json/canonical";
import { parseJsonString } from "../../../common/assembly/json/value";
import { ByteBuilder } from "../../../common/assembly/bytes/builder";
import { FlatJson } from "../../../common/assembly/llm/flat";
import { appendCanonicalFlat } from "../../../common/assembly/json/canonical-flat";
import { ConfigRow as Row, expectConfigRows } from "../../../common/assembly/__tests__/support/config-table";

function flat(s: string): FlatJson {
  const b = Uint8Array.wrap(String.UTF8.encode(s));
  const d = new FlatJson();
  d.parse(b, 0, b.length, 64, false);
  return d;
}

function canonFlat(s: string): string {
  const b = new ByteBuilder(64);
  appendCanonicalFlat(b, flat(s), 0);
  return b.toString();
}

function parse(s: string): string {
  const r = parseConfig(Uint8Array.wrap(String.UTF8.encode(s)));
  return r.config === null ? r.error : "ok";
}

const ROWS: Row[] = [
  new Row("", "ok"),
  new Row("{}", "ok"),
  new Row("[]", "field `(root)`: expected object"),
  new Row("{\"colour\":1}", "field `colour`: unknown field"),
  new Row("{\"scope\":\"team\"}", "field `scope`: unknown scope `team`"),
  new Row("{\"ttl_seconds\":0}", "field `ttl_seconds`: expected integer in [1, 2592000], got 0"),
  new Row("{\"slots\":8}", "field `slots`: expected integer in [16, 1048576], got 8"),
  new Row("{\"budget_bytes\":65536,\"max_entry_bytes\":70000}", "field `max_entry_bytes`: must not exceed budget_bytes"),
  new Row("{\"routes\":[{\"ttl_seconds\":5}]}", "field `routes[0].route`: a rule needs `route`"),
  new Row("{\"routes\":[{\"prefix\":\"v1\"}]}", "field `routes[0].prefix`: must start with `/`"),
  new Row("{\"routes\":[{\"route\":\"r\",\"cache\":true}]}", "field `routes[0].cache`: unknown field"),
  new Row("{\"semantic\":{\"cluster\":\"emb\"}}", "field `semantic.model`: required string is missing"),
  new Row("{\"semantic\":{\"model\":\"m\"}}", "field `semantic.cluster`: required string is missing"),
  new Row("{\"semantic\":{\"cluster\":\"emb\",\"model\":\"m\",\"threshold\":1.5}}", "field `semantic.threshold`: must be a cosine similarity in (0, 1]"),
  new Row("{\"semantic\":{\"cluster\":\"emb\",\"model\":\"m\",\"path\":\"v1/embeddings\"}}", "field `semantic.path`: must start with `/`"),
  new Row("{\"semantic\":{\"cluster\":\"emb\",\"model\":\"m\",\"api_key\":\"a\\r\\nb\"}}", "field `semantic.api_key`: must not contain control characters"),
  new Row("{\"semantic\":{\"cluster\":\"emb\",\"model\":\"m\",\"timeout_ms\":0}}", "field `semantic.timeout_ms`: expected integer in [10, 60000], got 0"),
  new Row("{\"scope\":\"tenant\",\"tenant_attribute\":\"org\",\"routes\":[{\"route\":\"faq\",\"scope\":\"global\",\"ttl_seconds\":86400,\"semantic\":{\"cluster\":\"emb\",\"model\":\"m\"}}]}", "ok"),
];

function canon(s: string): string {
  const b = new ByteBuilder(64);
  appendCanonicalJson(b, parseJsonString(s, 64, false).value!);
  return b.toString();
}

function keyOf(dialect: i32, s: string): string {
  const k = requestKey(dialect, flat(s), 0, "r", "consumer:a", new ByteBuilder(256));
  if (k.digest === null) return "error: " + k.error;
  let h = "";
  for (let i = 0; i < 8; i++) h += k.digest![i].toString(16);
  return h;
}

describe("parseConfig (table)", () => {
  it("accepts or rejects each row with the field named", () => {
    expectConfigRows(ROWS, parse);
  });

  it("routes inherit the defaults and override them", () => {
    const c = parseConfig(Uint8Array.wrap(String.UTF8.encode("{\"ttl_seconds\":60,\"scope\":\"tenant\",\"routes\":[{\"route\":\"faq\",\"scope\":\"global\"}]}"))).config!;
    expect(c.defaults.scope).toBe(Scope.TENANT);
    expect(c.routes[0].policy.scope).toBe(Scope.GLOBAL);
    expect(c.routes[0].policy.ttlSeconds).toBe(60);
    expect(c.slots).toBe(4096);
    expect(c.budgetBytes).toBe(16777216);
  });
});

describe("canonical JSON", () => {
  it("sorts keys, drops whitespace, unifies numbers, keeps the last duplicate", () => {
    expect(canon("{ \"b\" : [1.0, 1e2, -0, 0.50], \"a\": {\"y\":true,\"x\":null} }")).toBe("{\"a\":{\"x\":null,\"y\":true},\"b\":[1,100,0,0.5]}");
    expect(canon("{\"k\":1,\"k\":2}")).toBe("{\"k\":2}");
    expect(canon("[\"\\u0041\\n\"]")).toBe("[\"A\\n\"]");
    expect(canon("12345678901234567890")).toBe("12345678901234567890");
    expect(canon("-12345678901234567890")).toBe("-12345678901234567890");
    expect(canon("12345678901234567891")).not.toBe(canon("12345678901234567890"));
  });

  it("gives the same text over a flat document as over a tree", () => {
    const texts = ["{ \"b\" : [1.0, 1e2, -0, 0.50], \"a\": {\"y\":true,\"x\":null} }", "{\"k\":1,\"k\":2}", "[\"\\u0041\\n\"]", "12345678901234567890", "{\"z\":{\"b\":[{}],\"a\":\"\u00e9\"}}"];
    for (let i = 0; i < texts.length; i++) expect(canonFlat(texts[i])).toBe(canon(texts[i]), texts[i]);
  });
});

describe("request key", () => {
  it("is the same for equal requests in either dialect and differs when a field that matters does", () => {
    const oai = keyOf(0, "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"hi\"}]}");
    const ant = keyOf(1, "{\"model\":\"m\",\"max_tokens\":5,\"system\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}");
    expect(oai).toBe(ant);
    expect(keyOf(0, "{\"model\":\"m\",\"max_tokens\":5,\"stream\":true,\"user\":\"u\",\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"hi\"}]}")).toBe(oai);
    expect(keyOf(0, "{\"model\":\"m\",\"max_tokens\":5,\"logit_bias\":{\"1\":5},\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"hi\"}]}")).not.toBe(oai);
    expect(keyOf(1, "{\"model\":\"m\",\"max_tokens\":5,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"system\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).not.toBe(oai);
    expect(keyOf(0, "{\"model\":\"m\"}")).toBe("error: the body has no `messages` array");
    // Escapes in the prompt are decoded before hashing: one prompt, one key.
    expect(keyOf(0, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"\\u0041\\/b\"}]}")).toBe(keyOf(0, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"A/b\"}]}"));
    expect(keyOf(0, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"A/b\"}]}")).not.toBe(keyOf(0, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"A/c\"}]}"));
  });

  it("takes prompt texts and roles from the span reader, proven against the neutral form", () => {
    // Anthropic thinking blocks: text the span reader reports (the model reads it back); the
    // neutral form drops them, so before the key read spans two such requests shared a key.
    const think = (t: string): string => "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"" + t + "\",\"signature\":\"s\"},{\"type\":\"text\",\"text\":\"a\"}]},{\"role\":\"user\",\"content\":\"q2\"}]}";
    expect(keyOf(1, think("x"))).not.toBe(keyOf(1, think("y")));
    expect(keyOf(1, think("x"))).toBe(keyOf(1, think("x")));
    const redacted = (data: string): string => "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"redacted_thinking\",\"data\":\"" + data + "\"},{\"type\":\"text\",\"text\":\"a\"}]},{\"role\":\"user\",\"content\":\"q2\"}]}";
    expect(keyOf(1, redacted("EmwK"))).not.toBe(keyOf(1, redacted("EmwL")));
    // A `refusal` part is text the neutral form reads and the span reader does not: hashed itself
    // in a user/assistant message, the whole body keyed in a system message.
    const refusal = (role: string, t: string): string => "{\"model\":\"m\",\"messages\":[{\"role\":\"" + role + "\",\"content\":[{\"type\":\"refusal\",\"refusal\":\"" + t + "\"}]},{\"role\":\"user\",\"content\":\"hi\"}]}";
    expect(keyOf(0, refusal("assistant", "no"))).not.toBe(keyOf(0, refusal("assistant", "NO")));
    expect(keyOf(0, refusal("system", "no"))).not.toBe(keyOf(0, refusal("system", "NO")));
    // The span texts are cut back into the neutral system texts by their lengths: one system
    // message "ab" and an empty one is not two messages "a" and "b".
    const sys2 = (a: string, b: string): string => "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":" + a + "},{\"role\":\"system\",\"content\":" + b + "},{\"role\":\"user\",\"content\":\"hi\"}]}";
    expect(keyOf(0, sys2("[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]", "\"\""))).not.toBe(keyOf(0, sys2("\"a\"", "\"b\"")));
    // Tool results likewise: "ab" + "" is not "a" + "b".
    const tools = (a: string, b: string): string => "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}},{\"id\":\"2\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"1\",\"content\":\"" + a + "\"},{\"role\":\"tool\",\"tool_call_id\":\"2\",\"content\":\"" + b + "\"}]}";
    expect(keyOf(0, tools("ab", ""))).not.toBe(keyOf(0, tools("a", "b")));
    expect(keyOf(0, tools("a", "b"))).toBe(keyOf(0, tools("a", "b")));
    // A tool conversation asked the same way in both dialects still shares a key (tool results
    // from the spans, checked against the neutral form's).
    const oaiTools = "{\"model\":\"m\",\"max_tokens\":5,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"w\",\"description\":\"d\",\"parameters\":{\"type\":\"object\"}}}],\"messages\":[{\"role\":\"user\",\"content\":\"Paris?\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"w\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"18C\"}]}";
    const antTools = "{\"model\":\"m\",\"max_tokens\":5,\"tools\":[{\"name\":\"w\",\"description\":\"d\",\"input_schema\":{\"type\":\"object\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"Paris?\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"c1\",\"name\":\"w\",\"input\":{\"city\":\"Paris\"}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"c1\",\"content\":\"18C\"}]}]}";
    expect(keyOf(0, oaiTools)).toBe(keyOf(1, antTools));
    expect(keyOf(1, antTools.replace("18C", "19C"))).not.toBe(keyOf(1, antTools));
    // Duplicate keys: the provider reads the last `text`, the span reader reports both; the
    // key names which span each part is, so "x then z" is not "y then z".
    const dup = (a: string, b: string): string => "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[" + a + "," + b + "]}]}";
    expect(keyOf(0, dup("{\"type\":\"text\",\"text\":\"x\"}", "{\"type\":\"text\",\"text\":\"y\",\"text\":\"z\"}"))).not.toBe(keyOf(0, dup("{\"type\":\"text\",\"text\":\"x\",\"text\":\"y\"}", "{\"type\":\"text\",\"text\":\"z\"}")));
    // A duplicated system content with a refusal part the span reader does not read: the joined
    // texts differ from the spans, the whole body keys.
    const sysdup = (t: string): string => "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"ab\",\"content\":[{\"type\":\"refusal\",\"refusal\":\"" + t + "\"}]},{\"role\":\"user\",\"content\":\"hi\"}]}";
    expect(keyOf(0, sysdup("xy"))).not.toBe(keyOf(0, sysdup("zw")));
    // A role change of one text changes the key; `system` before or after `messages` does not.
    expect(keyOf(0, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).not.toBe(keyOf(0, "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":\"x\"}]}"));
    expect(keyOf(1, "{\"system\":\"s\",\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).toBe(keyOf(1, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"system\":\"s\"}"));
    // A top-level `system` in an OpenAI body is not OpenAI's (extra canonical JSON) but the span
    // reader reads it as system text: the body keys on itself, still telling two texts apart.
    expect(keyOf(0, "{\"model\":\"m\",\"system\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).not.toBe(keyOf(0, "{\"model\":\"m\",\"system\":\"b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
  });

  it("embeds the last user messages of the window", () => {
    const k = requestKey(0, flat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"one\"},{\"role\":\"assistant\",\"content\":\"x\"},{\"role\":\"user\",\"content\":\"two\"}]}"), 0, "", "", new ByteBuilder(64));
    expect(promptText(k.req, 1)).toBe("two");
    expect(promptText(k.req, 2)).toBe("one\ntwo");
  });
});

describe("cache-control", () => {
  it("finds no-cache and no-store in any case, list or header", () => {
    const a = cacheControl(["max-age=0, No-Cache"]);
    expect(a.noCache).toBe(true);
    expect(a.noStore).toBe(false);
    const b = cacheControl(["private", " no-store "]);
    expect(b.noStore).toBe(true);
    expect(cacheControl(["no-cache=\"set-cookie\""]).noCache).toBe(true);
    expect(cacheControl(["nocache"]).noCache).toBe(false);
  });
});

describe("entries", () => {
  it("round-trip and fail their checksum when a byte changes", () => {
    const e = new Entry();
    e.digest[0] = 7; e.dialect = 1; e.storedAt = 1000; e.expiresAt = 5000; e.input = 12; e.costMicros = 99;
    e.contentType = "application/json";
    e.body = Uint8Array.wrap(String.UTF8.encode("{\"ok\":true}"));
    const b = encodeEntry(e);
    expect(entryIntact(b)).toBe(true);
    const d = decodeEntry(b);
    expect(d.dialect).toBe(1);
    expect(d.input).toBe(12);
    expect(d.costMicros).toBe(99);
    expect(String.UTF8.decode(d.body.buffer)).toBe("{\"ok\":true}");
    b[b.length - 2] ^= 1;
    expect(entryIntact(b)).toBe(false);
    expect(entryIntact(b.subarray(0, 40))).toBe(false);
  });
});

describe("quantise", () => {
  it("scales the largest component to 127 and refuses a zero vector", () => {
    const v = new Float64Array(3);
    v[0] = 0.5; v[1] = -1.0; v[2] = 0.0;
    const q = quantise(v)!;
    expect(q.q[0]).toBe(64);
    expect(q.q[1]).toBe(-127);
    expect(quantise(new Float64Array(4))).toBeNull();
  });
});
