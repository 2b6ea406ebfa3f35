// What filters read from a body's content headers: its media type and whether it is encoded.
// Header values are ASCII (RFC 9110 section 5.5), so the case folding is ASCII's.
import { asciiLowerCase } from "./header";

/** The media type of a content-type value, lowercase, without its parameters or the spaces around
 *  it ("" for none): "Application/JSON; charset=utf-8" → "application/json". */
export function mediaType(ct: string | null): string {
  if (ct === null) return "";
  let t = asciiLowerCase(ct);
  const semi = t.indexOf(";");
  if (semi >= 0) t = t.substring(0, semi);
  return t.trim();
}

/** Whether a content-encoding value says the bytes are encoded: anything but none, empty or
 *  `identity` (any case, spaces around it ignored). */
export function isEncodedBody(enc: string | null): bool {
  if (enc === null) return false;
  const e = asciiLowerCase(enc.trim());
  return e.length > 0 && e != "identity";
}
