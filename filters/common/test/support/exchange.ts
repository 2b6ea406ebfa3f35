// Driving one stream of a filter loaded in host-test the way Envoy delivers it: a request body in
// pieces, an answer in chunks. Filter-specific request builders (headers, filter state) stay in
// each filter's test/helpers.ts.
import type { StreamTester } from "../../../../host-test/src/index.ts";

/**
 * Sends `bytes` as the request body, cut at the byte offsets `cuts` (ascending), end_of_stream on
 * the last piece; stops as soon as the filter sent a local reply (Envoy delivers no more body).
 */
export function sendRequestBody(s: StreamTester, bytes: Uint8Array, cuts: number[] = []): void {
  let at = 0;
  for (const c of cuts) {
    if (s.localReply) break;
    s.requestBody(bytes.subarray(at, c), false);
    at = c;
  }
  if (!s.localReply) s.requestBody(bytes.subarray(at), true);
}

/** Plays the provider's answer: headers, then `chunks` (end_of_stream on the last); the client's body. */
export function respond(s: StreamTester, chunks: Array<string | Uint8Array>, headers: Record<string, string> = { ":status": "200", "content-type": "application/json" }): string {
  s.responseHeaders(headers, chunks.length === 0);
  chunks.forEach((c, i) => s.responseBody(c, i === chunks.length - 1));
  return s.client.body;
}
