// Header name and value syntax (RFC 9110 section 5).
import { asciiLowerCase, isLowercaseHeaderName, isSafeHeaderValue } from "../http/header";
import { mediaType, isEncodedBody } from "../http/media";

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

describe("mediaType and isEncodedBody", () => {
  it("reads the media type without parameters, in lower case", () => {
    expect(mediaType("Application/JSON; charset=utf-8")).toBe("application/json");
    expect(mediaType(" text/event-stream ")).toBe("text/event-stream");
    expect(mediaType(null)).toBe("");
    expect(mediaType(";x")).toBe("");
  });
  it("counts any encoding but none, empty or identity", () => {
    expect(isEncodedBody(null)).toBe(false);
    expect(isEncodedBody("")).toBe(false);
    expect(isEncodedBody("  ")).toBe(false);
    expect(isEncodedBody(" Identity ")).toBe(false);
    expect(isEncodedBody("gzip")).toBe(true);
    expect(isEncodedBody("GZIP, br")).toBe(true);
  });
});
