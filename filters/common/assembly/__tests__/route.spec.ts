// Canonical path and host for per-route rules (filters/common/assembly/route/).
import { canonicalPath, lastPathError, PathError } from "../route/path";
import { canonicalHost } from "../route/host";

function canon(p: string): string { const c = canonicalPath(p); return c === null ? "<refused>" : c; }

describe("canonicalPath", () => {
  it("keeps canonical paths as they are", () => {
    expect(canon("/")).toBe("/");
    expect(canon("/v1/embeddings")).toBe("/v1/embeddings");
    expect(canon("/v1/")).toBe("/v1/");
    expect(canon("/v1/chat/completions?x=%2F#frag")).toBe("/v1/chat/completions");
  });
  it("merges slashes and removes dot-segments (RFC 3986 section 5.2.4)", () => {
    expect(canon("//v1///embeddings")).toBe("/v1/embeddings");
    expect(canon("/v1/./embeddings")).toBe("/v1/embeddings");
    expect(canon("/v1/x/../embeddings")).toBe("/v1/embeddings");
    expect(canon("/v1/x/..")).toBe("/v1/");
    expect(canon("/v1/.")).toBe("/v1/");
    expect(canon("/./v1/%2e/x/%2E%2e/embeddings")).toBe("/v1/embeddings");
    expect(canon("/v1/..x/.x/x..")).toBe("/v1/..x/.x/x..");
  });
  it("decodes printable ASCII escapes (not %25), upper-cases the others, drops ; parameters", () => {
    expect(canon("/v1/%65mbeddings")).toBe("/v1/embeddings");
    expect(canon("/%761/%7e%5F%2D")).toBe("/v1/~_-");
    expect(canon("/v1/a%3ab%40")).toBe("/v1/a:b@");
    expect(canon("/v1beta/models/gemini-pro%3AgenerateContent")).toBe("/v1beta/models/gemini-pro:generateContent");
    expect(canon("/v1/a%20b%e9%25")).toBe("/v1/a%20b%E9%25");
    expect(canon("/v1;x=1/embeddings;y")).toBe("/v1/embeddings");
    expect(canon("/v1/x/..;/embeddings")).toBe("/v1/embeddings");
    expect(canon("/v1/a%3Bb/c")).toBe("/v1/a;b/c");
  });
  it("refuses what has no single meaning", () => {
    expect(canon("/v1%2Fembeddings")).toBe("<refused>");
    expect(lastPathError()).toBe(PathError.ENCODED_SLASH);
    expect(canon("/v1%5cembeddings")).toBe("<refused>");
    expect(canon("/v1\\embeddings")).toBe("<refused>");
    expect(lastPathError()).toBe(PathError.BACKSLASH);
    expect(canon("/v1/%00")).toBe("<refused>");
    expect(canon("/v1/a b")).toBe("<refused>");
    expect(canon("/v1/\u00e9")).toBe("<refused>");
    expect(canon("/v1/%zz")).toBe("<refused>");
    expect(lastPathError()).toBe(PathError.BAD_ESCAPE);
    expect(canon("/v1/%6")).toBe("<refused>");
    expect(canon("/v1/%6?x")).toBe("<refused>");
    expect(canon("/v1/%252Fx")).toBe("<refused>");
    expect(lastPathError()).toBe(PathError.DOUBLE_ENCODED);
    expect(canon("/v1/%252e%252E/x")).toBe("<refused>");
    expect(canon("/v1/100%25")).toBe("/v1/100%25");
    expect(canon("/v1/100%25x")).toBe("/v1/100%25x");
    expect(canon("/../v1")).toBe("<refused>");
    expect(lastPathError()).toBe(PathError.ABOVE_ROOT);
    expect(canon("/v1/../../x")).toBe("<refused>");
    expect(canon("v1/x")).toBe("<refused>");
    expect(canon("")).toBe("<refused>");
    expect(canon("*")).toBe("<refused>");
  });
});

function host(a: string): string { const c = canonicalHost(a); return c === null ? "<refused>" : c; }

describe("canonicalHost", () => {
  it("lower case, no port, no trailing dot; IPv6 literals keep their brackets", () => {
    expect(host("API.Internal.Example.com.")).toBe("api.internal.example.com");
    expect(host("api.example.com:8443")).toBe("api.example.com");
    expect(host("api.example.com.:443")).toBe("api.example.com");
    expect(host("[2001:DB8::1]:8080")).toBe("[2001:db8::1]");
    expect(host("127.0.0.1:80")).toBe("127.0.0.1");
  });
  it("refuses hosts with no single meaning", () => {
    expect(host("")).toBe("<refused>");
    expect(host("a..b")).toBe("<refused>");
    expect(host("a.com..")).toBe("<refused>");
    expect(host("user@a.com")).toBe("<refused>");
    expect(host("a.com:x")).toBe("<refused>");
    expect(host("a%2ecom")).toBe("<refused>");
    expect(host("[::1")).toBe("<refused>");
    expect(host("[::1]x")).toBe("<refused>");
    expect(host(".")).toBe("<refused>");
  });
});
