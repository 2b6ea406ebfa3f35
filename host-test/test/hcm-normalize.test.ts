// The local gateway's copy of what Envoy's connection manager does to the target, the host and
// header names with compose's options (host-test/src/hcm-normalize.ts). Expected values follow
// Envoy's path_utility / conn_manager_utility behaviour and its Chromium path canonicaliser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalizePath, mergeSlashes, normalizeAuthority, normalizeRequest, underscoreHeader } from "../src/hcm-normalize.ts";

test("normalize_path: dot-segments (also %2e), backslash as slash, unreserved escapes decoded, others kept, controls escaped", () => {
  const cases: Array<[string, string | null]> = [
    ["/v1/./embeddings", "/v1/embeddings"], ["/v1/x/../embeddings", "/v1/embeddings"], ["/v1/x/%2E%2e/e", "/v1/e"],
    ["/../v1", "/v1"], ["/v1/..", "/"], ["/v1\\embeddings", "/v1/embeddings"], ["/%761/%7e", "/v1/~"],
    ["/a%3ab", "/a%3ab"], ["/a b", "/a%20b"], ["/a\"<>`{}|^", "/a%22%3C%3E%60%7B%7D%7C%5E"], ["/\u00e9", "/%E9"],
    ["/v1/%zz", "/v1/%zz"], ["/a%00", null], ["/a\u0000", null], ["/a;b=1/..;/c", "/a;b=1/..;/c"], ["", "/"],
    ["/%%300", "/%2500"], ["/a/..x/.b", "/a/..x/.b"],
  ];
  for (const [input, want] of cases) assert.equal(canonicalizePath(input), want, JSON.stringify(input));
});

test("merge_slashes keeps the query, and the request-level order: #fragment and %2F/%5C refused, then normalise, then merge", () => {
  assert.equal(mergeSlashes("//v1///x/?a=//b"), "/v1/x/?a=//b");
  assert.deepEqual(normalizeRequest("//v1/.//x?q=%2F", "h"), { ok: true, path: "/v1/x?q=%2F", authority: "h" });
  for (const t of ["/v1%2Fx", "/v1%2fx", "/v1%5Cx", "/a#frag", "/a%00"]) assert.deepEqual(normalizeRequest(t, "h"), { ok: false, status: 400, details: "path_normalization_failed" }, t);
  assert.deepEqual(normalizeRequest("v1/x", "h"), { ok: false, status: 400, details: "http1.codec_error" });
});

test("absolute-form targets: the URL's authority replaces Host; strip_trailing_host_dot and strip_any_host_port", () => {
  assert.deepEqual(normalizeRequest("http://API.example.com.:8080/v1//x?y=1", "other"), { ok: true, path: "/v1/x?y=1", authority: "API.example.com" });
  assert.deepEqual(normalizeRequest("https://a.example.com?x", "other"), { ok: true, path: "/?x", authority: "a.example.com" });
  assert.equal(normalizeAuthority("a.example.com.:443"), "a.example.com");
  assert.equal(normalizeAuthority("[::1]:8080"), "[::1]");
  assert.equal(normalizeAuthority("a.example.com"), "a.example.com");
});

test("headers_with_underscores_action: REJECT_REQUEST finds any underscore name", () => {
  assert.equal(underscoreHeader(["Host", "a", "X_Aigw_Consumer", "bob"]), "X_Aigw_Consumer");
  assert.equal(underscoreHeader(["Host", "a", "x-aigw-consumer", "bob"]), null);
});
