// The detection engine through the compiled harness: validators reject look-alikes, spans are UTF-8
// byte offsets, custom patterns run in linear time, chunked scanning finds split entities.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Harness, ENTITY_NAMES, type Span } from "./fixtures/detect-harness/load.ts";

const h = new Harness();
const enc = new TextEncoder();
const name = (t: number) => ENTITY_NAMES[t] ?? `CUSTOM_${t}`;
function found(text: string): string[] {
  const b = enc.encode(text);
  return h.scanBytes(b).map((m) => `${name(m.type)}:${new TextDecoder().decode(b.slice(m.start, m.end))}`);
}

test("valid entities are found with their exact value", () => {
  assert.deepEqual(found("card 4111 1111 1111 1111 ok"), ["CREDIT_CARD:4111 1111 1111 1111"]);
  assert.deepEqual(found("amex 3782-822463-10005."), ["CREDIT_CARD:3782-822463-10005"]);
  assert.deepEqual(found("IBAN DE89 3704 0044 0532 0130 00 please"), ["IBAN:DE89 3704 0044 0532 0130 00"]);
  assert.deepEqual(found("GB82WEST12345698765432"), ["IBAN:GB82WEST12345698765432"]);
  assert.deepEqual(found("ssn 123-45-6789"), ["US_SSN:123-45-6789"]);
  assert.deepEqual(found("from [2001:db8::1]:8443"), ["IPV6:2001:db8::1"]);
  assert.deepEqual(found("host 192.168.0.1, next"), ["IPV4:192.168.0.1"]);
  assert.deepEqual(found("mail: jane.doe+x@mail.example.co.uk."), ["EMAIL:jane.doe+x@mail.example.co.uk"]);
  assert.deepEqual(found("call (415) 555-0123 now"), ["PHONE:(415) 555-0123"]);
  assert.deepEqual(found("call +44 20 7946 0958 now"), ["PHONE:+44 20 7946 0958"]);
});

test("validators reject look-alikes", () => {
  assert.deepEqual(found("card 4111 1111 1111 1112"), [], "Luhn failure");
  assert.deepEqual(found("card 9111 1111 1111 1116"), [], "no issuer with prefix 9");
  assert.deepEqual(found("IBAN DE89 3704 0044 0532 0130 01"), [], "bad mod-97");
  assert.deepEqual(found("IBAN XX89370400440532013000"), [], "unknown country");
  assert.deepEqual(found("IBAN DE8937040044053201300"), [], "wrong length for DE");
  for (const s of ["000-12-3456", "666-12-3456", "900-12-3456", "987-65-4321", "123-00-4567", "123-45-0000"]) {
    assert.deepEqual(found(`ssn ${s} x`), [], s);
  }
  assert.deepEqual(found("ip 256.1.1.1 and 10.0.0.300"), [], "octet > 255");
  assert.deepEqual(found("version v1.2.3.4 released"), [], "v-prefixed version");
  assert.deepEqual(found("oid 1.2.3.4.5"), [], "more than four octets");
  assert.deepEqual(found("commit a5c40b5564265c96668817ceae34f8fd090210c8"), [], "git SHA");
  assert.deepEqual(found("key sk-... and AKIA... and password=${DB_PASSWORD}"), [], "placeholders");
  assert.deepEqual(found("id 550e8400-e29b-41d4-a716-446655440000"), [], "UUID");
  assert.deepEqual(found("epoch 1735071166123 ts 2024-01-15T10:30:00Z"), [], "timestamps");
  assert.deepEqual(found("sk_test_4eC39HqLyjWDarjtT1zdp7dc pk_live_4eC39HqLyjWDarjtT1zdp7dc"), [], "test/publishable Stripe keys");
  assert.deepEqual(found("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----"), [], "public key");
  assert.deepEqual(found("eyJzdWIiOiIxIn0.eyJzdWIiOiIxIn0.abc"), [], "JWT header without alg");
});

test("offsets are UTF-8 byte offsets after multi-byte text", () => {
  const text = "Grüße 👋 — 電話 user@example.com";
  const b = enc.encode(text);
  const [m] = h.scanBytes(b);
  assert.equal(name(m.type), "EMAIL");
  assert.equal(m.start, b.length - "user@example.com".length);
  assert.equal(m.end, b.length);
});

test("never traps on invalid UTF-8 and random bytes", () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  for (let round = 0; round < 20; round++) {
    const b = new Uint8Array(4096);
    for (let i = 0; i < b.length; i++) b[i] = round % 2 ? rnd() : "0123456789-. @:=+(ABCDEFabcdef\xff\xc3"[rnd() % 32].charCodeAt(0) & 0xff;
    const ms = h.scanBytes(b);
    let last = 0;
    for (const m of ms) { assert.ok(m.start >= last && m.end > m.start && m.end <= b.length); last = m.end; }
  }
});

test("custom patterns: leftmost-longest, word boundaries, case-insensitive", () => {
  const hh = new Harness();
  hh.x.setEnabled(0);
  assert.equal(hh.addPattern("\\bPRJ-\\d{3,5}\\b", 40), "");
  assert.equal(hh.addPattern("(?i)acme(corp|)", 41), "");
  const b = enc.encode("see PRJ-1234, not XPRJ-1234 or PRJ-12; ACMECorp and acme.");
  const got = hh.scanBytes(b).map((m) => [m.type, new TextDecoder().decode(b.slice(m.start, m.end))]);
  assert.deepEqual(got, [[40, "PRJ-1234"], [41, "ACMECorp"], [41, "acme"]]);
});

test("custom patterns: compile errors name the problem", () => {
  assert.match(h.checkPattern("(ab"), /missing '\)'/);
  assert.match(h.checkPattern("ab)"), /unbalanced '\)'/);
  assert.match(h.checkPattern("[z-a]"), /out of order/);
  assert.match(h.checkPattern("a{5,2}"), /n < m/);
  assert.match(h.checkPattern("*a"), /nothing to repeat/);
  assert.match(h.checkPattern("a*"), /empty string/);
  assert.match(h.checkPattern("(a|b)*a(a|b){14}"), /too complex: automaton exceeds \d+ states/);
  assert.match(h.checkPattern("(\\1)"), /backreferences/);
});

test("custom patterns run in linear time on adversarial input ((a*)*b over 1 MB of 'a')", () => {
  const hh = new Harness();
  hh.x.setEnabled(0);
  assert.equal(hh.addPattern("(a*)*b", 42), "");
  const b = new Uint8Array(1 << 20).fill(0x61);
  assert.deepEqual(hh.scanBytes(b), []);
  b[b.length - 1] = 0x62;
  // The one (1 MB) match is longer than maxLength (256): it is reported as adjacent pieces covering it all.
  const ms = hh.scanBytes(b);
  assert.equal(ms.length, b.length / 256);
  ms.forEach((m, i) => { assert.equal(m.start, i * 256); assert.equal(m.end, (i + 1) * 256); });
  b.fill(0x62, 1000, 1001);
  const ms2 = hh.scanBytes(b.subarray(0, 2000));
  assert.deepEqual(ms2.slice(-1).map((m) => m.end), [1001], "a match ends at the first b");
});

test("dictionaries: case-insensitive whole words, longest first", () => {
  const hh = new Harness();
  hh.x.setEnabled(0);
  assert.equal(hh.addDictionary(["Project Falcon", "Falcon", "Globex"], 50), "");
  const b = enc.encode("project falcon and FALCON, not Falconry or globexcorp; Globex.");
  const got = hh.scanBytes(b).map((m) => new TextDecoder().decode(b.slice(m.start, m.end)));
  assert.deepEqual(got, ["project falcon", "FALCON", "Globex"]);
});

test("custom detectors share the built-in pass: inside words, next to built-ins, around PEM blocks", () => {
  const hh = new Harness();
  assert.equal(hh.addPattern("EMP-\\d{6}", 40), "");
  assert.equal(hh.addDictionary(["Globex", "C++"], 41), "");
  const pem = "-----BEGIN EC PRIVATE KEY-----\nGlobex EMP-000001\n-----END EC PRIVATE KEY-----";
  const text = `xEMP-123456 mail a@globex.com _Globex -Globex C++x ${pem} EMP-654321!Globex`;
  const b = enc.encode(text);
  const got = hh.scanBytes(b).map((m) => `${name(m.type)}:${new TextDecoder().decode(b.slice(m.start, m.end))}`);
  assert.deepEqual(got, [
    "CUSTOM_40:EMP-123456", // no \b in the pattern: found inside a letter run
    "EMAIL:a@globex.com", // the built-in span covers the dictionary word (the earlier start wins)
    "CUSTOM_41:Globex", // after '-' (not after '_', a word byte)
    "CUSTOM_41:C++", // a word ending in a non-word byte needs no boundary after it
    `PRIVATE_KEY:${pem}`, // custom matches inside the block are part of it
    "CUSTOM_40:EMP-654321",
    "CUSTOM_41:Globex",
  ]);
});

test("custom detectors give the same matches when adversarial input sends them to their own pass", () => {
  const hh = new Harness();
  hh.x.setEnabled(0);
  const long = Array(40).fill("a").join(" ") + " b";
  assert.equal(hh.addDictionary([long, "a b", "zeta"], 50), "");
  assert.equal(hh.addPattern("q[a ]*r", 51), "");
  const tail = "zeta a b q a r";
  const expectTail = [[50, "zeta"], [50, "a b"], [51, "q a r"]];
  const spans = (b: Uint8Array, from: number) => hh.scanBytes(b).filter((m) => m.start >= from)
    .map((m) => [m.type, new TextDecoder().decode(b.slice(m.start, m.end))]);
  // Short input: anchored attempts in the shared pass.
  assert.deepEqual(spans(enc.encode(tail), 0), expectTail);
  assert.equal(hh.x.customFallbacks(), 0);
  // Before it, 20k words "a": every word start is a dictionary attempt walking 80 bytes (over budget);
  // then "q" and 400 bytes of [a ]: the pattern cannot tell within maxLength (256) whether a match starts.
  const head = "a ".repeat(20000) + "q " + "a ".repeat(200);
  const b = enc.encode(head + tail);
  assert.deepEqual(spans(b, head.length), expectTail);
  assert.equal(hh.x.customFallbacks(), 2);
});

test("chunked scanning finds entities split at every split point", () => {
  const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
  const text = `Mail me at jane@example.org, card 4111-1111-1111-1111, token=${jwt} and ip 10.1.2.3 — ok`;
  const full = enc.encode(text);
  const expected = h.scanBytes(full).map((m) => `${m.type}:${m.start}:${m.end}`);
  assert.equal(expected.length, 4);
  const maxLen = h.x.maxEntityLength();
  for (let split = 1; split < full.length; split++) {
    // Two chunks: scan the first as a non-final buffer, carry the tail, then scan tail + second chunk.
    const got: string[] = [];
    h.load(full.slice(0, split));
    const r1 = h.scanStream(0, 0, split, false);
    for (const m of r1.matches) got.push(`${m.type}:${m.start}:${m.end}`);
    const carryFrom = Math.max(0, r1.cut - 128);
    h.load(full.slice(carryFrom));
    const r2 = h.scanStream(0, r1.cut - carryFrom, full.length - carryFrom, true);
    for (const m of r2.matches) got.push(`${m.type}:${m.start + carryFrom}:${m.end + carryFrom}`);
    assert.deepEqual(got, expected, `split at ${split}`);
    assert.ok(r1.cut <= split && split - r1.cut <= maxLen + 128 + 200);
  }
});

/** Feeds `full` to scanStream in `chunk`-sized pieces the way a stream does (carry the tail, new buffer). */
function streamed(hh: Harness, full: Uint8Array, chunk: number): { spans: string[]; maxHeld: number } {
  const spans: string[] = [];
  let carry = new Uint8Array(0), base = 0, from = 0, pos = 0, maxHeld = 0;
  for (;;) {
    const next = Math.min(full.length, pos + chunk);
    const buf = new Uint8Array(carry.length + next - pos);
    buf.set(carry); buf.set(full.subarray(pos, next), carry.length);
    const last = next === full.length;
    hh.load(buf);
    const r = hh.scanStream(0, from, buf.length, last);
    for (const m of r.matches) spans.push(`${m.type}:${m.start + base}:${m.end + base}`);
    if (last) return { spans, maxHeld };
    maxHeld = Math.max(maxHeld, buf.length - r.cut);
    const keep = Math.max(0, r.cut - 128);
    carry = buf.slice(keep); base += keep; from = r.cut - keep; pos = next;
  }
}

test("streamed in chunks of any size, matches equal the buffered scan (PEM blocks and JWTs across chunks)", () => {
  const hh = new Harness();
  assert.equal(hh.addPattern("\\bEMP-\\d{6}\\b", 40), "");
  assert.equal(hh.addDictionary(["Acme Corp", "Globex"], 41), "");
  const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
  const pem = `-----BEGIN RSA PRIVATE KEY-----\n${"MIIEowIBAAKCAQEA7bq".repeat(90)}\n-----END RSA PRIVATE KEY-----`;
  // Longer than the short-entity reach: a 1.5 KB JWT and a 300-character project key.
  const bigJwt = `eyJhbGciOiJIUzI1NiJ9.${"eyJzdWIiOiIxMjM0NTY3ODkwIn0".repeat(55)}.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U`;
  const projKey = `sk-proj-${"Ab3dE5gH7jK9mN1pQ".repeat(18)}`;
  const parts = [`jwt ${bigJwt} `, `OPENAI_API_KEY=${projKey} `,
    "Please summarise the meeting notes below and list the action items. ", `token ${jwt} `, `key:\n${pem}\n`,
    "Mail jane.doe@example.com or call +44 20 7946 0958. ", "card 4111 1111 1111 1111 ", "EMP-204518 at Globex and Acme Corp. ",
    "password=Xk9#mPq2$vLw7!Rt ", "server 10.20.30.40 and [2001:db8::1]:8443 ", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 ",
  ];
  let seed = 5, text = "";
  while (text.length < 60000) { seed = (seed * 1103515245 + 12345) >>> 0; text += parts[(seed >>> 8) % parts.length]; }
  const full = enc.encode(text);
  const want = hh.scanBytes(full).map((m) => `${m.type}:${m.start}:${m.end}`);
  assert.ok(want.length > 200);
  for (const chunk of [97, 700, 4096, 10007, 16384]) {
    const got = streamed(hh, full, chunk);
    assert.deepEqual(got.spans, want, `chunk ${chunk}`);
    assert.ok(got.maxHeld <= hh.x.maxEntityLength() + 128 + 200, `chunk ${chunk}: held ${got.maxHeld}`);
  }
});

test("streaming holds back little unless a PEM block or JWT is still open", () => {
  const hh = new Harness();
  const prose = enc.encode("Explain the difference between TCP and UDP, with examples. ".repeat(400));
  hh.load(prose);
  const r = hh.scanStream(0, 0, prose.length, false);
  assert.ok(prose.length - r.cut <= 512, `held ${prose.length - r.cut} bytes of plain text`);
  for (const open of ["-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY", "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIx"]) {
    const b = enc.encode(new TextDecoder().decode(prose) + open);
    const at = b.length - enc.encode(open).length + (open.startsWith("token") ? 6 : 0);
    hh.load(b);
    const s = hh.scanStream(0, 0, b.length, false);
    assert.ok(s.cut <= at, `cut ${s.cut} must stay before the open entity at ${at}`);
  }
});

test("PEM blocks with JSON-escaped newlines, and no END means no match", () => {
  const pem = "-----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\nAAAA\\n-----END RSA PRIVATE KEY-----";
  assert.deepEqual(found(`key: ${pem} done`), [`PRIVATE_KEY:${pem}`]);
  const many = "-----BEGIN EC PRIVATE KEY-----\nAAAA\n".repeat(5000);
  assert.deepEqual(found(many), []);
});

test("issue 11 edges: typed secrets end where they end, no PHONE inside group numbers, IPv6 before a full stop, adjacent cards", () => {
  assert.deepEqual(found("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, region=eu"), ["AWS_SECRET_KEY:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]);
  const only = new Harness();
  only.x.setEnabled(1 << ENTITY_NAMES.indexOf("AWS_SECRET_KEY"));
  const b = enc.encode("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY; region=eu");
  assert.equal(only.scanBytes(b).length, 1, "found with GENERIC_SECRET off");
  const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
  assert.deepEqual(found(`GET /cb?access_token=${jwt}&lang=de`), [`JWT:${jwt}`]);
  assert.deepEqual(found("shipment 0000-4793-3845-4461 sent"), []);
  assert.deepEqual(found("Host 2001:db8::1."), ["IPV6:2001:db8::1"]);
  assert.deepEqual(found("cards 4012888888881881 4111111111111111"), ["CREDIT_CARD:4012888888881881", "CREDIT_CARD:4111111111111111"]);
  assert.deepEqual(found("bad 2001::db8::1 here"), []);
});

test("issue 11 coverage: IBAN registry countries, card brands, phone forms, IDN e-mail, CIDR and zone ids", () => {
  for (const iban of ["NO9386011117947", "SA0380000000608010167519", "MT84MALT011000012345MTLCAST001S", "BR1800360305000010009795493C1", "UA213223130000026007233566001", "LC55HEMM000100010012001200023015", "RU0204452560040702810412345678901"]) {
    assert.deepEqual(found(`iban ${iban} ok`), [`IBAN:${iban}`], iban);
  }
  assert.deepEqual(found("pay with 30569309025904 or 3056 930902 5904"), ["CREDIT_CARD:30569309025904", "CREDIT_CARD:3056 930902 5904"], "Diners 14");
  assert.deepEqual(found("maestro 6759649826438453, dankort 5019717010103742"), ["CREDIT_CARD:6759649826438453", "CREDIT_CARD:5019717010103742"]);
  assert.deepEqual(found("uatp 135410014004955 ok"), ["CREDIT_CARD:135410014004955"], "15-digit non-Amex");
  assert.deepEqual(found("visa 4111 1111 1111 1111 003 ok"), ["CREDIT_CARD:4111 1111 1111 1111 003"]);
  assert.deepEqual(found("call (415)555-0132 or 415.555.0132 or 01.23.45.67.89"), ["PHONE:(415)555-0132", "PHONE:415.555.0132", "PHONE:01.23.45.67.89"]);
  assert.deepEqual(found("mail user@xn--bcher-kva.de or x@example.xn--p1ai or josé@bücher.de."), ["EMAIL:user@xn--bcher-kva.de", "EMAIL:x@example.xn--p1ai", "EMAIL:josé@bücher.de"]);
  assert.deepEqual(found("net 10.0.0.0/8, fe80::1%eth0 and 2001:db8::/32."), ["IPV4:10.0.0.0/8", "IPV6:fe80::1%eth0", "IPV6:2001:db8::/32"]);
  assert.deepEqual(found("not a prefix 10.1.2.3/33 or 8080/80"), ["IPV4:10.1.2.3"]);
});
