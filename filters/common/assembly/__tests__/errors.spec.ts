import { openAIErrorBody, openAIErrorTypeForStatus, OpenAIErrorType } from "../errors/openai";
import { jsonStringBytes } from "../json/escape";

function str(b: Uint8Array): string { return String.UTF8.decode(b.buffer); }

describe("openAIErrorBody", () => {
  it("builds the OpenAI error shape with nulls", () => {
    expect(str(openAIErrorBody("Rate limit reached", OpenAIErrorType.RATE_LIMIT))).toBe(
      '{"error":{"message":"Rate limit reached","type":"rate_limit_error","param":null,"code":null}}',
    );
  });
  it("fills param and code", () => {
    expect(str(openAIErrorBody("bad model", "invalid_request_error", "model", "model_not_found"))).toBe(
      '{"error":{"message":"bad model","type":"invalid_request_error","param":"model","code":"model_not_found"}}',
    );
  });
  it("escapes quotes, backslashes, control characters and keeps non-ASCII", () => {
    expect(str(openAIErrorBody('say "hi"\\\n\t\u0001 \u00e9\uD83D\uDE00', "x"))).toBe(
      '{"error":{"message":"say \\"hi\\"\\\\\\n\\t\\u0001 \u00e9\uD83D\uDE00","type":"x","param":null,"code":null}}',
    );
  });
  it("replaces lone surrogates so the body stays valid UTF-8", () => {
    expect(str(jsonStringBytes("a\uD800b"))).toBe('"a\uFFFDb"');
  });
  it("maps statuses to types", () => {
    expect(openAIErrorTypeForStatus(401)).toBe("authentication_error");
    expect(openAIErrorTypeForStatus(403)).toBe("permission_error");
    expect(openAIErrorTypeForStatus(429)).toBe("rate_limit_error");
    expect(openAIErrorTypeForStatus(503)).toBe("server_error");
    expect(openAIErrorTypeForStatus(413)).toBe("invalid_request_error");
  });
});
