// parseConfig is one pure function: configuration text in, an AuthConfig or "field: reason" out.
// Table-driven: each row is a configuration and what must come out of it.
import { parseConfig } from "../config";
import { Mode, SourceKind } from "../model";
import { selectRule, authorize } from "../rules";
import { takeQueryParam, stripScheme, cookieValue, Found } from "../credentials";
import { Identity } from "../identity";
import { ConfigRow as Row, expectConfigRows } from "../../../common/assembly/__tests__/support/config-table";

function parse(s: string): string {
  const r = parseConfig(Uint8Array.wrap(String.UTF8.encode(s)));
  return r.config === null ? r.error : "ok";
}

// `expect` is "ok" or a fragment of the error message (which names the field).
const ROWS: Row[] = [
  new Row("", "ok"),
  new Row("{}", "ok"),
  new Row("[]", "field `(root)`: expected object"),
  new Row("{\"realm\":1}", "field `realm`: expected string, got 1"),
  new Row("{\"realm\":\"a\\\"b\"}", "field `realm`: must be printable ASCII"),
  new Row("{\"a\":1,\"a\":2}", "duplicate key"),
  new Row("{\"default_mode\":\"optional\"}", "ok"),
  new Row("{\"default_mode\":\"sometimes\"}", "field `default_mode`: must be one of"),
  new Row("{\"consumers\":[{\"name\":\"a\",\"attributes\":{\"tenant\":3}}]}", "field `consumers[0].attributes.tenant`: attribute values must be strings"),
  new Row("{\"consumers\":[{\"name\":\"a\"}],\"api_keys\":{\"keys\":[{\"consumer\":\"a\",\"key\":\"k\"}]}}", "ok"),
  new Row("{\"consumers\":[{\"name\":\"a\"}],\"api_keys\":{\"keys\":[{\"consumer\":\"a\",\"sha256\":\"" + "g".repeat(64) + "\"}]}}", "field `api_keys.keys[0].sha256`: must be 64 hexadecimal"),
  new Row("{\"consumers\":[{\"name\":\"a\"}],\"api_keys\":{\"keys\":[{\"consumer\":\"a\",\"key\":\"k\",\"sha256\":\"x\"}]}}", "either sha256 or key"),
  new Row("{\"api_keys\":{\"from\":[],\"keys\":[]}}", "field `api_keys.from`: must list at least one place"),
  new Row("{\"api_keys\":{}}", "field `api_keys.keys`: required array is missing"),
  new Row("{\"jwt_providers\":[{\"jwks\":{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}}]}", "ok"),
  new Row("{\"jwt_providers\":[{\"jwks\":{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0=\"}]}}]}", "`k` missing or not base64url"),
  new Row("{\"jwt_providers\":[{\"jwks\":{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}]}}]}", "wrong length for P-256"),
  new Row("{\"jwt_providers\":[{\"jwks\":{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\",\"use\":\"enc\"}]}}]}", "no usable signing key"),
  new Row("{\"jwt_providers\":[{\"remote_jwks\":{\"cluster\":\"idp\",\"path\":\"jwks\"}}]}", "field `jwt_providers[0].remote_jwks.path`: must start with /"),
  new Row("{\"jwt_providers\":[{\"remote_jwks\":{\"cluster\":\"idp\",\"path\":\"/jwks\",\"refresh_seconds\":0}}]}", "field `jwt_providers[0].remote_jwks.refresh_seconds`: expected integer in [1, 86400], got 0"),
  new Row("{\"jwt_providers\":[{\"remote_jwks\":{\"cluster\":\"idp\",\"path\":\"/jwks\"},\"algorithms\":[\"ES512\"]}]}", "unknown algorithm `ES512`"),
  new Row("{\"rules\":[{\"prefix\":\"v1\"}]}", "field `rules[0].prefix`: must start with /"),
  new Row("{\"rules\":[{\"methods\":[\"basic\"]}]}", "unknown method `basic`"),
  new Row("{\"rules\":[{\"allow\":{\"claims\":{\"tenant\":3}}}]}", "field `rules[0].allow.claims.tenant`: expected a string or an array of strings"),
];

describe("parseConfig (table)", () => {
  it("accepts or rejects each row with the field named", () => {
    expectConfigRows(ROWS, parse);
  });

  it("fills defaults", () => {
    const r = parseConfig(Uint8Array.wrap(String.UTF8.encode("{\"consumers\":[{\"name\":\"A b\",\"groups\":[\"g\"],\"attributes\":{\"tenant\":\"t\",\"plan\":\"p\"}}],\"api_keys\":{\"keys\":[{\"consumer\":\"A b\",\"key\":\"k\"}]}}")));
    const c = r.config!;
    expect(c.realm).toBe("aigw");
    expect(c.defaultMode).toBe(Mode.REQUIRED);
    expect(c.consumerHeader).toBe("x-aigw-consumer");
    expect(c.forwardCredential).toBe(false);
    expect(c.apiKeys!.sources[0].kind).toBe(SourceKind.HEADER);
    expect(c.apiKeys!.sources[0].name).toBe("authorization");
    expect(c.apiKeys!.sources[0].prefix).toBe("Bearer ");
    expect(c.consumers[0].label).toBe("a_b");
    expect(c.consumers[0].attributesJson).toBe("{\"tenant\":\"t\",\"plan\":\"p\"}");
    expect(c.consumers[0].tenant).toBe("t");
    expect(r.keyStore.lookup("k")!.name).toBe("A b");
    expect(r.keyStore.lookup("K")).toBeNull();
  });
});

describe("rules", () => {
  it("first matching rule by route, prefix, host", () => {
    const c = parseConfig(Uint8Array.wrap(String.UTF8.encode("{\"rules\":[{\"route\":\"r\",\"mode\":\"off\"},{\"prefix\":\"/p/\",\"host\":\"*.a.com\",\"mode\":\"optional\"}]}"))).config!;
    expect(selectRule(c, "r", "/x", "h")!.mode).toBe(Mode.OFF);
    // selectRule takes canonical forms (filters/common/assembly/route/): the stream computes them.
    expect(selectRule(c, "", "/p/x", "b.a.com")!.mode).toBe(Mode.OPTIONAL);
    expect(selectRule(c, "", "/p/x", "a.com")).toBeNull();
    expect(selectRule(c, "", "/q", "x.a.com")).toBeNull();
  });
  it("rule prefixes and hosts are canonicalised at configure time; unusable ones are refused", () => {
    const c = parseConfig(Uint8Array.wrap(String.UTF8.encode("{\"rules\":[{\"prefix\":\"/v1//%65mbeddings/./\",\"host\":\"*.A.com.\"}]}"))).config!;
    expect(c.rules[0].prefix).toBe("/v1/embeddings/");
    expect(c.rules[0].host).toBe("*.a.com");
    const bad = parseConfig(Uint8Array.wrap(String.UTF8.encode("{\"rules\":[{\"prefix\":\"/v1%2Fx\"}]}")));
    expect(bad.config).toBeNull();
    expect(bad.error).toBe("field `rules[0].prefix`: cannot be canonicalised: encoded slash or backslash (%2F, %5C)");
    const badHost = parseConfig(Uint8Array.wrap(String.UTF8.encode("{\"rules\":[{\"host\":\"a.com:443\"}]}")));
    expect(badHost.config).toBeNull();
    const v6 = parseConfig(Uint8Array.wrap(String.UTF8.encode("{\"rules\":[{\"host\":\"[2001:DB8::1]\"}]}"))).config!;
    expect(v6.rules[0].host).toBe("[2001:db8::1]");
  });
  it("anonymous identity is never matched by allow lists", () => {
    const c = parseConfig(Uint8Array.wrap(String.UTF8.encode("{\"rules\":[{\"allow\":{\"consumers\":[\"anonymous\"]}}]}"))).config!;
    const id = Identity.anonymous();
    id.method = "api_key";
    expect(authorize(c.rules[0], id)).toBe("");
  });
});

describe("credentials", () => {
  it("scheme, cookie and query extraction", () => {
    expect(stripScheme("Bearer abc", "Bearer ").value).toBe("abc");
    expect(stripScheme("Basic abc", "Bearer ").status).toBe(Found.MALFORMED);
    expect(stripScheme("Bearer a b", "Bearer ").status).toBe(Found.MALFORMED);
    expect(stripScheme("Bearerabc", "Bearer ").status).toBe(Found.MALFORMED);
    expect(cookieValue("a=1; k=\"v\"", "k").value).toBe("v");
    expect(cookieValue("a=1", "k").status).toBe(Found.NONE);
    const t = takeQueryParam("/p?a=1&k=v#f", "k");
    expect(t.found.value).toBe("v");
    expect(t.path).toBe("/p?a=1#f");
    expect(takeQueryParam("/p?k=%zz", "k").found.status).toBe(Found.MALFORMED);
  });
});
