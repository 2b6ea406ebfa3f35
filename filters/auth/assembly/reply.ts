// The filter's refusals: 401 (no or bad credential), 403 (a rule denies a known identity) and
// 503 (keys to verify a token could not be obtained). Bodies are OpenAI-shaped errors (what
// OpenAI clients parse); 401/403 carry WWW-Authenticate as RFC 6750 section 3 describes.
// Nothing here ever echoes the credential.
import { HeaderPair } from "../../common/sdk";
import { sendOpenAIError } from "../../common/assembly/reply";
import { OpenAIErrorType } from "../../common/assembly/errors/openai";

function message(reason: string): string {
  if (reason == "missing_credential") return "Missing credentials: send an API key or a bearer token.";
  if (reason == "duplicate_credential") return "The credential was sent more than once.";
  if (reason == "unknown_api_key") return "Incorrect API key provided.";
  if (reason == "expired") return "The token has expired.";
  if (reason == "not_yet_valid" || reason == "iat_in_future") return "The token is not valid yet.";
  if (reason == "wrong_audience") return "The token is not meant for this service.";
  if (reason == "wrong_issuer" || reason == "unknown_issuer") return "The token's issuer is not trusted.";
  if (reason == "token_too_large") return "The token is too large.";
  if (reason == "jwks_unavailable") return "The keys to verify the token are not available; retry later.";
  if (reason == "method_not_allowed") return "This kind of credential is not accepted here.";
  if (reason == "invalid_path") return "The request path cannot be read unambiguously (encoded slash, backslash, control character, bad percent-encoding or a dot-segment above the root).";
  if (reason == "invalid_host") return "The request host is not a valid host name.";
  if (reason == "denied_by_rule" || reason == "not_allowed") return "You are not allowed to access this resource.";
  return "Invalid credentials.";
}

/** 401: the RFC 6750 section 3.1 `invalid_token` error unless no credential was sent at all. */
export function sendUnauthorized(realm: string, reason: string): void {
  let challenge = "Bearer realm=\"" + realm + "\"";
  if (reason != "missing_credential") {
    challenge += ", error=\"" + (reason == "duplicate_credential" || reason == "malformed_credential" ? "invalid_request" : "invalid_token") + "\"";
    challenge += ", error_description=\"" + reason + "\"";
  }
  const h = new Array<HeaderPair>(0);
  h.push(new HeaderPair("www-authenticate", challenge));
  sendOpenAIError(401, "aigw_auth_" + reason, message(reason), reason == "unknown_api_key" ? "invalid_api_key" : reason, null, h,
    OpenAIErrorType.AUTHENTICATION);
}

/** 403: the identity is valid but a rule refuses it (RFC 6750 section 3.1 insufficient_scope). */
export function sendForbidden(realm: string, reason: string): void {
  const h = new Array<HeaderPair>(0);
  h.push(new HeaderPair("www-authenticate", "Bearer realm=\"" + realm + "\", error=\"insufficient_scope\""));
  sendOpenAIError(403, "aigw_auth_" + reason, message(reason), reason, null, h, OpenAIErrorType.PERMISSION);
}

/** 503: keys could not be fetched in time; a retry may succeed. */
export function sendUnavailable(reason: string): void {
  const h = new Array<HeaderPair>(0);
  h.push(new HeaderPair("retry-after", "5"));
  sendOpenAIError(503, "aigw_auth_" + reason, message(reason), reason, null, h, OpenAIErrorType.SERVER);
}

/** 400: the request's path or host has no single canonical form, so no rule could be applied to it
 *  with certainty (filters/common/assembly/route/). */
export function sendBadRequest(reason: string): void {
  sendOpenAIError(400, "aigw_auth_" + reason, message(reason), reason, null, null, OpenAIErrorType.INVALID_REQUEST);
}
