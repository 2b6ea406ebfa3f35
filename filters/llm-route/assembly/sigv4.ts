// AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html)
// for Bedrock requests, over filters/common's SHA-256 and HMAC. Checked against AWS's published
// SigV4 test-suite vectors (__tests__/sigv4.spec.ts).
import { HashAlg, sha256 } from "../../common/assembly/crypto/sha2";
import { hmac } from "../../common/assembly/crypto/hmac";

const HEX = "0123456789abcdef";

export function hex(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += HEX.charAt(b[i] >> 4) + HEX.charAt(b[i] & 15);
  return s;
}

function utf8(s: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(s)); }

function pad(n: i64, w: i32): string {
  let s = n.toString();
  while (s.length < w) s = "0" + s;
  return s;
}

/** `YYYYMMDDTHHMMSSZ` for milliseconds since the epoch (civil-from-days, H. Hinnant's algorithm). */
export function amzDate(ms: i64): string {
  const secs = ms / 1000;
  let days = secs / 86400;
  let rem = secs % 86400;
  if (rem < 0) { rem += 86400; days -= 1; }
  const z = days + 719468;
  const era = (z >= 0 ? z : z - 146096) / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const d = doy - (153 * mp + 2) / 5 + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return pad(y, 4) + pad(m, 2) + pad(d, 2) + "T" + pad(rem / 3600, 2) + pad((rem % 3600) / 60, 2) + pad(rem % 60, 2) + "Z";
}

/** Canonical URI for services other than S3: each segment of the (already encoded) path is
 *  URI-encoded once more (so `%3A` in a Bedrock model id is signed as `%253A`). */
export function canonicalUri(path: string): string {
  if (path.length == 0) return "/";
  let out = "";
  const b = utf8(path);
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x2e || c == 0x5f || c == 0x7e || c == 0x2f) {
      out += String.fromCharCode(c);
    } else out += "%" + HEX.charAt(c >> 4).toUpperCase() + HEX.charAt(c & 15).toUpperCase();
  }
  return out;
}

/** Canonical query string: each name=value pair sorted by name then value (already encoded pairs). */
export function canonicalQuery(query: string): string {
  if (query.length == 0) return "";
  const pairs = query.split("&");
  pairs.sort((a: string, b: string): i32 => {
    const ea = a.indexOf("="), eb = b.indexOf("=");
    const na = ea < 0 ? a : a.substring(0, ea), nb = eb < 0 ? b : b.substring(0, eb);
    if (na != nb) return na < nb ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  for (let i = 0; i < pairs.length; i++) if (pairs[i].indexOf("=") < 0) pairs[i] += "=";
  return pairs.join("&");
}

export class SignInput {
  method: string = "POST";
  /** The request path as sent (encoded once), without the query. */
  path: string = "/";
  query: string = "";
  /** Headers to sign: lowercase names; values are trimmed and inner spaces collapsed here. */
  names: Array<string> = new Array<string>();
  values: Array<string> = new Array<string>();
  payload: Uint8Array = new Uint8Array(0);
  date: string = ""; // YYYYMMDDTHHMMSSZ, also the x-amz-date header among the signed ones
  region: string = "";
  service: string = "";
  accessKeyId: string = "";
  secretAccessKey: string = "";
}

function trimAll(v: string): string {
  let s = v.trim();
  while (s.indexOf("  ") >= 0) s = s.replaceAll("  ", " ");
  return s;
}

export class Signature {
  canonicalRequest: string = "";
  stringToSign: string = "";
  signature: string = "";
  signedHeaders: string = "";
  authorization: string = "";
}

export function signingKey(secret: string, day: string, region: string, service: string): Uint8Array {
  const kDate = hmac(HashAlg.SHA256, utf8("AWS4" + secret), utf8(day));
  const kRegion = hmac(HashAlg.SHA256, kDate, utf8(region));
  const kService = hmac(HashAlg.SHA256, kRegion, utf8(service));
  return hmac(HashAlg.SHA256, kService, utf8("aws4_request"));
}

export function sign(input: SignInput): Signature {
  // Headers sorted by name (they are few; insertion sort keeps names and values together).
  const names = input.names.slice(0);
  const values = input.values.slice(0);
  for (let i = 1; i < names.length; i++) {
    const n = names[i], v = values[i];
    let j = i - 1;
    while (j >= 0 && names[j] > n) { names[j + 1] = names[j]; values[j + 1] = values[j]; j--; }
    names[j + 1] = n; values[j + 1] = v;
  }
  let canonHeaders = "";
  for (let i = 0; i < names.length; i++) canonHeaders += names[i] + ":" + trimAll(values[i]) + "\n";
  const signed = names.join(";");
  const cr = input.method + "\n" + canonicalUri(input.path) + "\n" + canonicalQuery(input.query) + "\n" +
    canonHeaders + "\n" + signed + "\n" + hex(sha256(input.payload));
  const day = input.date.substring(0, 8);
  const scope = day + "/" + input.region + "/" + input.service + "/aws4_request";
  const sts = "AWS4-HMAC-SHA256\n" + input.date + "\n" + scope + "\n" + hex(sha256(utf8(cr)));
  const sig = hex(hmac(HashAlg.SHA256, signingKey(input.secretAccessKey, day, input.region, input.service), utf8(sts)));
  const r = new Signature();
  r.canonicalRequest = cr;
  r.stringToSign = sts;
  r.signature = sig;
  r.signedHeaders = signed;
  r.authorization = "AWS4-HMAC-SHA256 Credential=" + input.accessKeyId + "/" + scope + ", SignedHeaders=" + signed + ", Signature=" + sig;
  return r;
}
