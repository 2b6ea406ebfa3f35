// Pure pieces of the quota filter: configuration (windows, key sources, prices and the alias
// reservation price), OpenAI's duration format, the rate limit service's messages on the wire.
import { parseConfig, parseWindow } from "../config";
import { Counts, Source, cost } from "../model";
import { goDuration, retryAfterSeconds, HeaderFigures } from "../headers";
import { Code, decodeResponse, encodeRequest } from "../rls";
import { ProtoReader, ProtoWriter } from "../../../common/assembly/proto/wire";
import { readBody } from "../estimate";

function parse(s: string): string {
  const r = parseConfig(Uint8Array.wrap(String.UTF8.encode(s)));
  return r.config === null ? r.error : "ok";
}

describe("config", () => {
  it("reads windows in ms, s, m, h, d and refuses zero or malformed ones", () => {
    expect(parseWindow("500ms")).toBe(500);
    expect(parseWindow("30s")).toBe(30000);
    expect(parseWindow("1m")).toBe(60000);
    expect(parseWindow("2h")).toBe(7200000);
    expect(parseWindow("1d")).toBe(86400000);
    expect(parseWindow("0s")).toBe(0);
    expect(parseWindow("1w")).toBe(0);
    expect(parseWindow("-1m")).toBe(0);
    expect(parseWindow("m")).toBe(0);
  });
  it("an empty configuration is valid (no limits: nothing is refused)", () => {
    expect(parse("")).toBe("ok");
  });
  it("names the field of every error", () => {
    expect(parse("{\"limits\":[{\"name\":\"a\",\"key\":\"consumer\",\"window\":\"0m\",\"limit\":1}]}")).toStrictEqual("field `limits[0].window`: must be a positive duration such as 30s, 1m, 1h or 1d (got `0m`)");
    expect(parse("{\"limits\":[{\"name\":\"a\",\"key\":[\"tenant\",\"moon\"],\"window\":\"1m\",\"limit\":1}]}").startsWith("field `limits[0].key`: unknown key source `moon`")).toBe(true);
    expect(parse("{\"limits\":[{\"name\":\"A b\",\"key\":\"consumer\",\"window\":\"1m\",\"limit\":1}]}").startsWith("field `limits[0].name`")).toBe(true);
    expect(parse("{\"models\":{\"m\":{\"input_price\":-1}}}").startsWith("field `models.m.input_price`")).toBe(true);
    expect(parse("{\"anomaly\":{\"z_score\":0.5}}").startsWith("field `anomaly.z_score`")).toBe(true);
    expect(parse("{\"downgrade\":{\"header\":\"X-Model\",\"models\":{\"a\":\"b\"}}}").startsWith("field `downgrade.header`")).toBe(true);
  });
  it("reads key sources, counts and hierarchical keys", () => {
    const r = parseConfig(Uint8Array.wrap(String.UTF8.encode("{\"limits\":[{\"name\":\"t\",\"key\":[\"tenant\",\"attribute:plan\",\"header:x-p\"],\"window\":60,\"counts\":\"cost_micro_usd\",\"limit\":5}]}")));
    const l = r.config!.limits[0];
    expect(l.parts.length).toBe(3);
    expect(l.parts[0].source).toBe(Source.TENANT);
    expect(l.parts[1].source).toBe(Source.ATTRIBUTE);
    expect(l.parts[1].arg).toBe("plan");
    expect(l.parts[2].source).toBe(Source.HEADER);
    expect(l.windowMs).toBe(60000);
    expect(l.counts).toBe(Counts.COST);
  });
  it("an alias reserves with its most expensive candidate's price", () => {
    const r = parseConfig(Uint8Array.wrap(String.UTF8.encode("{\"models\":{\"a\":{\"input_price\":1,\"output_price\":2},\"b\":{\"input_price\":0.5,\"output_price\":8}},\"aliases\":{\"fast\":[\"a\",\"b\"]}}")));
    const cfg = r.config!;
    expect(cfg.reservePrice("fast", 100, 100).model).toBe("b");
    expect(cfg.reservePrice("fast", 1000000, 0).model).toBe("a");
    expect(cfg.reservePrice("a", 1, 1).model).toBe("a");
    expect(cfg.reservePrice("unknown", 1, 1).model).toBe("*");
    expect(cost(cfg.price("a"), 3, 1)).toBe(5); // 3 × 1 + 1 × 2 µ$
  });
});

describe("headers", () => {
  it("prints durations as Go's time.Duration does (OpenAI's x-ratelimit-reset-*)", () => {
    expect(goDuration(0)).toBe("0s");
    expect(goDuration(20)).toBe("20ms");
    expect(goDuration(1000)).toBe("1s");
    expect(goDuration(1500)).toBe("1.5s");
    expect(goDuration(60000)).toBe("1m0s");
    expect(goDuration(360000)).toBe("6m0s");
    expect(goDuration(3723004)).toBe("1h2m3.004s");
    expect(retryAfterSeconds(1)).toBe("1");
    expect(retryAfterSeconds(1001)).toBe("2");
  });
  it("keeps the tightest limit", () => {
    const f = new HeaderFigures();
    f.offer(100, 10, 5000);
    f.offer(50, 45, 60000);
    f.offer(1000, 0, 1);
    expect(f.limit).toBe(50);
    expect(f.remaining).toBe(5);
  });
});

describe("estimate", () => {
  it("counts text, not image data or URLs, and reads max_tokens", () => {
    const b = readBody(Uint8Array.wrap(String.UTF8.encode("{\"model\":\"m\",\"max_tokens\":77,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"abcdefgh\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}}]}]}")));
    expect(b.model).toBe("m");
    expect(b.maxTokens).toBe(77);
    expect(b.textBytes).toBe(8);
    expect(b.inTokens).toBe(3);
    const bad = readBody(Uint8Array.wrap(String.UTF8.encode("not json at all")));
    expect(bad.json).toBe(false);
    expect(bad.textBytes).toBe(15);
  });
});

describe("rate limit service messages", () => {
  it("encodes a RateLimitRequest as protobuf", () => {
    const b = encodeRequest("aigw", ["aigw_limit", "tenant"], ["t", "acme"], 300);
    // domain (field 1), one descriptor (field 2) with two entries, hits_addend 300 (field 3).
    const r = new ProtoReader(b);
    expect(r.next()).toBe(true);
    expect(r.field).toBe(1);
    expect(r.string()).toBe("aigw");
    expect(r.next()).toBe(true);
    expect(r.field).toBe(2);
    const d = r.nested();
    let entries = 0;
    while (d.next()) {
      const e = d.nested();
      e.next(); const k = e.string(); e.next(); const v = e.string();
      if (entries == 0) { expect(k).toBe("aigw_limit"); expect(v).toBe("t"); }
      else { expect(k).toBe("tenant"); expect(v).toBe("acme"); }
      entries++;
    }
    expect(entries).toBe(2);
    expect(r.next()).toBe(true);
    expect(r.field).toBe(3);
    expect(r.value).toBe(300);
    expect(r.next()).toBe(false);
  });
  it("decodes a RateLimitResponse and rejects garbage without trapping", () => {
    const lim = new ProtoWriter(); lim.uint(1, 1000).uint(2, 3);
    const dur = new ProtoWriter(); dur.uint(1, 42);
    const st = new ProtoWriter(); st.uint(1, Code.OVER_LIMIT).bytes(2, lim.toBytes()).uint(3, 0).bytes(4, dur.toBytes());
    const w = new ProtoWriter(); w.uint(1, Code.OVER_LIMIT).bytes(2, st.toBytes());
    const r = decodeResponse(w.toBytes());
    expect(r.ok).toBe(true);
    expect(r.overall).toBe(Code.OVER_LIMIT);
    expect(r.statuses[0].requestsPerUnit).toBe(1000);
    expect(r.statuses[0].resetMs).toBe(42000);
    const junk = new Uint8Array(7);
    junk[0] = 0x12; junk[1] = 0xff; junk[2] = 0xff;
    expect(decodeResponse(junk).ok).toBe(false);
    expect(decodeResponse(new Uint8Array(0)).ok).toBe(false);
  });
});
