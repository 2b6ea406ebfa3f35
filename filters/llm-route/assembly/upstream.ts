// Where a chosen candidate is reached: the path on the provider (base path, model in the path for
// Azure, Gemini and Bedrock) and the credential headers the filter writes when the provider has
// one in the configuration (the recommended path is Envoy's credential injector after the filters).
import { Kind, Provider } from "./model";

export namespace Endpoint {
  export const CHAT = 0; // /v1/chat/completions or /v1/messages
  export const EMBEDDINGS = 1;
  export const COMPLETIONS = 2;
  export const RESPONSES = 3;
  export const MODELS = 4;
}

const SUFFIX: StaticArray<string> = ["/chat/completions", "/embeddings", "/completions", "/responses", "/models"];

/** RFC 3986 unreserved characters stay, everything else is %XX (UTF-8): a model id in a path. */
export function uriEncode(s: string, keepSlash: bool = false): string {
  const b = Uint8Array.wrap(String.UTF8.encode(s));
  let out = "";
  const hex = "0123456789ABCDEF";
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x2e || c == 0x5f || c == 0x7e || (keepSlash && c == 0x2f)) {
      out += String.fromCharCode(c);
    } else out += "%" + hex.charAt(c >> 4) + hex.charAt(c & 15);
  }
  return out;
}

/** The provider's path for one request. */
export function upstreamPath(p: Provider, endpoint: i32, model: string, stream: bool): string {
  const k = p.kind;
  if (k == Kind.ANTHROPIC) return p.basePath + "/messages";
  if (k == Kind.GEMINI || k == Kind.VERTEX) {
    return p.basePath + "/models/" + uriEncode(model) + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
  }
  if (k == Kind.BEDROCK) return p.basePath + "/model/" + uriEncode(model) + (stream ? "/converse-stream" : "/converse");
  if (k == Kind.AZURE) {
    return p.basePath + "/deployments/" + uriEncode(model) + SUFFIX[endpoint] + "?api-version=" + p.apiVersion;
  }
  return p.basePath + SUFFIX[endpoint];
}

/** Credential headers of every kind: removed before the filter writes its own. */
export const CREDENTIAL_HEADERS: StaticArray<string> = ["authorization", "x-api-key", "api-key", "x-goog-api-key"];

export class HeaderEdit {
  constructor(public name: string, public value: string) {}
}

/** The credential header for a provider with `api_key` configured (none for Bedrock: SigV4). */
export function credentialHeader(p: Provider): HeaderEdit | null {
  if (p.apiKey.length == 0) return null;
  const k = p.kind;
  if (k == Kind.AZURE) return new HeaderEdit("api-key", p.apiKey);
  if (k == Kind.ANTHROPIC) return new HeaderEdit("x-api-key", p.apiKey);
  if (k == Kind.GEMINI) return new HeaderEdit("x-goog-api-key", p.apiKey);
  if (k == Kind.BEDROCK) return null;
  return new HeaderEdit("authorization", "Bearer " + p.apiKey); // openai, compatible, vertex (access token)
}
