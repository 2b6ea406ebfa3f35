// SigV4 against AWS's published Signature Version 4 test suite (the suite's example credentials
// AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 2015-08-30T12:36:00Z, us-east-1,
// service "service"; signing-key example from the SigV4 documentation for iam).
import { SignInput, amzDate, canonicalUri, hex, sign, signingKey } from "../sigv4";

const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

function suite(method: string, query: string, names: Array<string>, values: Array<string>, payload: string): string {
  const i = new SignInput();
  i.method = method;
  i.path = "/";
  i.query = query;
  i.names = names;
  i.values = values;
  i.payload = Uint8Array.wrap(String.UTF8.encode(payload));
  i.date = "20150830T123600Z";
  i.region = "us-east-1";
  i.service = "service";
  i.accessKeyId = "AKIDEXAMPLE";
  i.secretAccessKey = SECRET;
  return sign(i).authorization;
}

function authz(signed: string, sig: string): string {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=" + signed + ", Signature=" + sig;
}

describe("sigv4", () => {
  it("signing key (documentation example)", () => {
    expect(hex(signingKey(SECRET, "20150830", "us-east-1", "iam"))).toBe("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
  });
  it("get-vanilla", () => {
    expect(suite("GET", "", ["host", "x-amz-date"], ["example.amazonaws.com", "20150830T123600Z"], ""))
      .toBe(authz("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
  });
  it("post-vanilla", () => {
    expect(suite("POST", "", ["x-amz-date", "host"], ["20150830T123600Z", "example.amazonaws.com"], ""))
      .toBe(authz("host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"));
  });
  it("get-vanilla-query-order-key-case", () => {
    expect(suite("GET", "Param2=value2&Param1=value1", ["host", "x-amz-date"], ["example.amazonaws.com", "20150830T123600Z"], ""))
      .toBe(authz("host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"));
  });
  it("post-x-www-form-urlencoded (body and content-type signed)", () => {
    expect(suite("POST", "", ["content-type", "host", "x-amz-date"], ["application/x-www-form-urlencoded", "example.amazonaws.com", "20150830T123600Z"], "Param1=value1"))
      .toBe(authz("content-type;host;x-amz-date", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"));
  });
  it("post-header-key-sort", () => {
    expect(suite("POST", "", ["host", "my-header1", "x-amz-date"], ["example.amazonaws.com", "value1", "20150830T123600Z"], ""))
      .toBe(authz("host;my-header1;x-amz-date", "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"));
  });
  it("dates and canonical paths", () => {
    expect(amzDate(1440938160000)).toBe("20150830T123600Z");
    expect(amzDate(951782400000)).toBe("20000229T000000Z");
    expect(amzDate(0)).toBe("19700101T000000Z");
    expect(canonicalUri("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse")).toBe("/model/anthropic.claude-3-haiku-20240307-v1%253A0/converse");
  });
});
