// What Envoy's HTTP connection manager does to a request's target, :authority and header names
// before any filter or route sees them, with the options tools/compose writes: absolute-form
// targets (HTTP/1 codec), #fragment refused (http_reject_path_with_fragment, on by default),
// path_with_escaped_slashes_action: REJECT_REQUEST, normalize_path, merge_slashes,
// strip_trailing_host_dot, strip_any_host_port, headers_with_underscores_action: REJECT_REQUEST.
// References: Envoy source/common/http/conn_manager_utility.cc maybeNormalizePath /
// maybeNormalizeHost, path_utility.cc, header_utility.cc, and the Chromium URL path canonicaliser
// Envoy uses (url_canon_path.cc, the version with Envoy's legacy table: unreserved escapes are
// decoded, an escaped NUL fails the request). Envoy builds newer than the googleurl change of
// December 2023 (crbug.com/1509295) keep unreserved escapes as they are and escape a NUL instead of
// failing: the upstream may then see `%65` where this host sends `e`. The filters' decisions do not
// change (auth decodes them itself, filters/common/assembly/route/path.ts).

export type Normalized = { ok: true; path: string; authority: string } | { ok: false; status: number; details: string };

// Chromium's path character classes.
const SPECIAL = 1, ESCAPE_BIT = 2, UNESCAPE = 4, INVALID_BIT = 8;
const ESCAPE = ESCAPE_BIT | SPECIAL, INVALID = INVALID_BIT | SPECIAL, PASS = 0;

const TABLE: number[] = (() => {
  const t = new Array<number>(256).fill(ESCAPE);
  t[0] = INVALID;
  for (const c of "!$&'()*+,/:;=@[]") t[c.charCodeAt(0)] = PASS;
  for (const c of "-_~") t[c.charCodeAt(0)] = UNESCAPE;
  for (let c = 0x30; c <= 0x39; c++) t[c] = UNESCAPE;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = UNESCAPE;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = UNESCAPE;
  t[0x2e] = SPECIAL; // '.'
  return t;
})();

const isSlash = (c: string | undefined) => c === "/" || c === "\\";
const hex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** Length of a dot at s[i] ("." or "%2e"), or 0. */
function dotAt(s: string, i: number): number {
  if (s[i] === ".") return 1;
  if (s[i] === "%" && s[i + 1] === "2" && (s[i + 2] === "e" || s[i + 2] === "E")) return 3;
  return 0;
}

/** Chromium CanonicalizePath on the path component (no query); null when it reports failure. */
export function canonicalizePath(spec: string): string | null {
  const out: string[] = [];
  if (spec.length === 0) return "/";
  if (!isSlash(spec[0])) out.push("/");
  let ok = true;
  let lastInvalidPercent = -Infinity; // output index of a '%' that began no valid escape
  const backUp = () => {
    let i = out.length - 1;
    if (i === 0) return;
    i--;
    while (out[i] !== "/" && i > 0) i--;
    out.length = i + 1;
  };
  for (let i = 0; i < spec.length; i++) {
    const ch = spec[i];
    const code = ch.charCodeAt(0) & 0xff;
    const flags = TABLE[code];
    if (!(flags & SPECIAL)) { out.push(ch); continue; }
    const dot = dotAt(spec, i);
    if (dot > 0) {
      if (out.length > 0 && out[out.length - 1] === "/") {
        const after = i + dot;
        let kind: "name" | "cur" | "up" = "name", consumed = 0;
        if (after === spec.length) kind = "cur";
        else if (isSlash(spec[after])) { kind = "cur"; consumed = 1; }
        else {
          const second = dotAt(spec, after);
          if (second) {
            const after2 = after + second;
            if (after2 === spec.length) { kind = "up"; consumed = second; }
            else if (isSlash(spec[after2])) { kind = "up"; consumed = second + 1; }
          }
        }
        if (kind === "name") { out.push("."); i += dot - 1; }
        else { if (kind === "up") backUp(); i += dot + consumed - 1; }
      } else { out.push("."); i += dot - 1; }
    } else if (ch === "\\") {
      out.push("/");
    } else if (ch === "%") {
      if (hex(spec[i + 1]) && hex(spec[i + 2])) {
        const v = parseInt(spec.slice(i + 1, i + 3), 16);
        if (TABLE[v] & UNESCAPE) {
          out.push(String.fromCharCode(v));
          // CheckForNestedEscapes: "%%30" + "0" must not become the escape "%00"; the first '%'
          // becomes "%25" when what follows it now reads as an escape.
          if (lastInvalidPercent >= out.length - 3) {
            const appendNext = lastInvalidPercent === out.length - 2;
            const tail = out.slice(lastInvalidPercent + 1).join("") + (appendNext ? spec[i + 3] ?? "" : "");
            if ((!appendNext || (spec[i + 3] !== undefined && spec.charCodeAt(i + 3) < 0x80)) && tail.length === 2 && hex(tail[0]) && hex(tail[1])) {
              out[lastInvalidPercent] = "%25";
            }
          }
        } else { out.push("%", spec[i + 1], spec[i + 2]); if (TABLE[v] & INVALID_BIT) ok = false; }
        i += 2;
      } else { lastInvalidPercent = out.length; out.push("%"); }
    } else {
      out.push("%" + code.toString(16).toUpperCase().padStart(2, "0"));
      if (flags & INVALID_BIT) ok = false;
    }
  }
  return ok ? out.join("") : null;
}

/** Envoy PathTransformer::mergeSlashes: runs of "/" in the path (not the query) become one. */
export function mergeSlashes(pathAndQuery: string): string {
  const q = pathAndQuery.indexOf("?");
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  const query = q < 0 ? "" : pathAndQuery.slice(q);
  if (!path.includes("//")) return pathAndQuery;
  return (path.startsWith("/") ? "/" : "") + path.split("/").filter((s) => s).join("/") + (path.endsWith("/") ? "/" : "") + query;
}

/** :authority after strip_trailing_host_dot and strip_any_host_port (header_utility.cc). */
export function normalizeAuthority(authority: string): string {
  let host = authority, port = "";
  const m = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(authority);
  if (m) { host = m[1]; port = m[2] ?? ""; }
  if (host.endsWith(".")) host = host.slice(0, -1);
  return m ? host : host + port;
}

/** The request as the filters and the router see it, or the 400 Envoy answers instead. */
export function normalizeRequest(target: string, authority: string): Normalized {
  let path = target;
  // HTTP/1 absolute-form (RFC 9112 section 3.2.2): the target's authority replaces Host.
  const abs = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)(.*)$/.exec(target);
  if (abs) {
    authority = abs[1];
    path = abs[2] === "" || abs[2].startsWith("?") ? "/" + abs[2] : abs[2];
    if (authority === "" || authority.includes("@")) return { ok: false, status: 400, details: "http1.codec_error" };
  } else if (!target.startsWith("/")) {
    return { ok: false, status: 400, details: "http1.codec_error" };
  }
  const bad = { ok: false as const, status: 400, details: "path_normalization_failed" };
  if (path.includes("#")) return bad;
  const q = path.indexOf("?");
  const pathOnly = q < 0 ? path : path.slice(0, q);
  if (/%(2f|5c)/i.test(pathOnly)) return bad;
  const canon = canonicalizePath(pathOnly);
  if (canon === null) return bad;
  return { ok: true, path: mergeSlashes(canon + (q < 0 ? "" : path.slice(q))), authority: normalizeAuthority(authority) };
}

/** The first header name with an underscore (headers_with_underscores_action: REJECT_REQUEST), or null. */
export function underscoreHeader(rawHeaders: string[]): string | null {
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i].includes("_")) return rawHeaders[i];
  return null;
}
