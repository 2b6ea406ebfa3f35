// The SigV4 headers of a Bedrock request the filter signs itself (provider with access keys in the
// configuration): x-amz-date, x-amz-security-token (temporary credentials), authorization. Signed
// headers: content-type, host, x-amz-date (and the token); the payload hash covers the body as
// rewritten, so nothing after the filter may change the body (Envoy's retries resend it as is).
import { Provider } from "./model";
import { HeaderEdit } from "./upstream";
import { SignInput, amzDate, sign } from "./sigv4";

export function bedrockHeaders(p: Provider, pathAndQuery: string, body: Uint8Array, length: i32, nowMs: i64): Array<HeaderEdit> {
  const q = pathAndQuery.indexOf("?");
  const i = new SignInput();
  i.method = "POST";
  i.path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
  i.query = q < 0 ? "" : pathAndQuery.substring(q + 1);
  i.date = amzDate(nowMs);
  i.names = ["content-type", "host", "x-amz-date"];
  i.values = ["application/json", p.host, i.date];
  if (p.sessionToken.length) { i.names.push("x-amz-security-token"); i.values.push(p.sessionToken); }
  const payload = new Uint8Array(length);
  memory.copy(payload.dataStart, body.dataStart, <usize>length);
  i.payload = payload;
  i.region = p.region;
  i.service = "bedrock";
  i.accessKeyId = p.accessKeyId;
  i.secretAccessKey = p.secretAccessKey;
  const s = sign(i);
  const out = new Array<HeaderEdit>();
  out.push(new HeaderEdit("x-amz-date", i.date));
  if (p.sessionToken.length) out.push(new HeaderEdit("x-amz-security-token", p.sessionToken));
  out.push(new HeaderEdit("authorization", s.authorization));
  return out;
}
