// Header name and value syntax (RFC 9110 section 5).
import { asciiLowerCase, isLowercaseHeaderName, isSafeHeaderValue } from "../http/header";

describe("isLowercaseHeaderName", () => {
  it("accepts lowercase tokens with every tchar", () => {
    expect(isLowercaseHeaderName("x-aigw-consumer")).toBe(true);
    expect(isLowercaseHeaderName("a!#$%&'*+-.^_`|~0")).toBe(true);
  });
  it("refuses empty, upper case, separators, spaces, controls and non-ASCII", () => {
    expect(isLowercaseHeaderName("")).toBe(false);
    expect(isLowercaseHeaderName("X-Aigw")).toBe(false);
    expect(isLowercaseHeaderName(":path")).toBe(false);
    expect(isLowercaseHeaderName("a b")).toBe(false);
    expect(isLowercaseHeaderName("a\"b")).toBe(false);
    expect(isLowercaseHeaderName("a\nb")).toBe(false);
    expect(isLowercaseHeaderName("é")).toBe(false);
  });
});

describe("isSafeHeaderValue", () => {
  it("accepts text, spaces, tabs and non-ASCII", () => {
    expect(isSafeHeaderValue("")).toBe(true);
    expect(isSafeHeaderValue("Bearer a\tb é")).toBe(true);
  });
  it("refuses CR, LF, NUL and DEL", () => {
    expect(isSafeHeaderValue("a\r\nx-evil: 1")).toBe(false);
    expect(isSafeHeaderValue("a\nb")).toBe(false);
    expect(isSafeHeaderValue("a\u0000")).toBe(false);
    expect(isSafeHeaderValue("a\u007f")).toBe(false);
  });
});

describe("asciiLowerCase", () => {
  it("lowercases A-Z and keeps every other character", () => {
    expect(asciiLowerCase("Text/Event-Stream; Charset=UTF-8")).toBe("text/event-stream; charset=utf-8");
    expect(asciiLowerCase("API.Example.COM:443")).toBe("api.example.com:443");
    expect(asciiLowerCase("ÉTÉ Ärger")).toBe("ÉtÉ Ärger");
    expect(asciiLowerCase("")).toBe("");
  });
  it("returns an all-lowercase string as it is", () => {
    const s = "already-lower";
    expect(changetype<usize>(asciiLowerCase(s))).toBe(changetype<usize>(s));
  });
});
