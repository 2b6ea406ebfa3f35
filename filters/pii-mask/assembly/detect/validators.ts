// Validators: checks a candidate must pass beyond its shape, so look-alikes pass through.
// All work on raw bytes [a, b) at pointer p; none allocates or traps.

@inline export function byteAt(p: usize, i: i32): u32 {
  return <u32>load<u8>(p + <usize>i);
}

@inline export function isDigit(c: u32): bool { return c - 0x30 < 10; }
@inline export function isUpper(c: u32): bool { return c - 0x41 < 26; }
@inline export function isLower(c: u32): bool { return c - 0x61 < 26; }
@inline export function isAlpha(c: u32): bool { return ((c | 0x20) - 0x61) < 26; }
@inline export function isAlnum(c: u32): bool { return isDigit(c) || isAlpha(c); }
@inline export function isHex(c: u32): bool { return isDigit(c) || ((c | 0x20) - 0x61) < 6; }
/** base64url alphabet (RFC 4648 section 5). */
@inline export function isB64Url(c: u32): bool { return isAlnum(c) || c == 0x2d || c == 0x5f; }

/** Luhn check over the digits in [a, b), skipping separators. */
export function luhnOk(p: usize, a: i32, b: i32): bool {
  let sum: u32 = 0;
  let dbl = false;
  for (let i = b - 1; i >= a; i--) {
    const c = byteAt(p, i);
    if (!isDigit(c)) continue;
    let d = c - 0x30;
    if (dbl) { d <<= 1; if (d > 9) d -= 9; }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

/**
 * Issuer prefix (IIN) for a card of `len` digits whose first six digits are `first6`:
 *   14  Diners Club International 300-305, 309, 36, 38-39
 *   15  Amex 34/37; UATP 1; Diners enRoute 2014/2149; JCB 1800/2131
 *   16  Visa 4, Mastercard 51-55 / 2221-2720, Discover 6011/644-649/65, JCB 3528-3589, Diners 36/38-39,
 *       Dankort 5019, Maestro 50/56-69 (incl. 6304, 6759, 6761-6763), UnionPay 62, Mir 2200-2204,
 *       RuPay 60/65/81/82/508, Troy 9792
 *   19  Visa 4, Maestro 50/56-69, Discover 6011/65, UnionPay 62, JCB 3528-3589, Mir 2200-2204
 */
export function cardPrefixOk(first6: u32, len: i32): bool {
  const d1 = first6 / 100000;
  const d2 = first6 / 10000;
  const d3 = first6 / 1000;
  const d4 = first6 / 100;
  if (len == 14) return (d3 >= 300 && d3 <= 305) || d3 == 309 || d2 == 36 || d2 == 38 || d2 == 39;
  if (len == 15) return d2 == 34 || d2 == 37 || d1 == 1 || d4 == 2014 || d4 == 2149 || d4 == 1800 || d4 == 2131;
  const maestro = d2 == 50 || (d2 >= 56 && d2 <= 69);
  if (len == 19) return d1 == 4 || maestro || d4 == 6011 || d2 == 65 || d2 == 62 || (d4 >= 3528 && d4 <= 3589) || (d4 >= 2200 && d4 <= 2204);
  if (len != 16) return false;
  if (d1 == 4) return true;
  if (d2 >= 51 && d2 <= 55) return true;
  if (d4 >= 2221 && d4 <= 2720) return true;
  if (d4 == 6011 || d2 == 65 || (d3 >= 644 && d3 <= 649)) return true;
  if (d4 >= 3528 && d4 <= 3589) return true;
  if (d2 == 36 || d2 == 38 || d2 == 39) return true;
  if (maestro || d2 == 62 || d2 == 60 || d2 == 81 || d2 == 82 || d3 == 508) return true;
  if (d4 >= 2200 && d4 <= 2204) return true;
  if (d4 == 9792) return true;
  return false;
}

/** US SSN: area 001-899 except 666, group 01-99, serial 0001-9999. */
export function ssnOk(area: i32, group: i32, serial: i32): bool {
  if (area <= 0 || area == 666 || area >= 900) return false;
  return group > 0 && serial > 0;
}

/**
 * IBAN length per country of the SWIFT IBAN registry (ISO 13616; 0 = not a registry country: not an
 * IBAN). Territories that use their parent's IBAN (e.g. French overseas departments: FR) need no entry.
 */
export function ibanLength(c0: u32, c1: u32): i32 {
  switch ((c0 << 8) | c1) {
    case 0x4144: return 24; // AD
    case 0x4145: return 23; // AE
    case 0x414c: return 28; // AL
    case 0x4154: return 20; // AT
    case 0x415a: return 28; // AZ
    case 0x4241: return 20; // BA
    case 0x4245: return 16; // BE
    case 0x4247: return 22; // BG
    case 0x4248: return 22; // BH
    case 0x4249: return 27; // BI
    case 0x4252: return 29; // BR
    case 0x4259: return 28; // BY
    case 0x4348: return 21; // CH
    case 0x4352: return 22; // CR
    case 0x4359: return 28; // CY
    case 0x435a: return 24; // CZ
    case 0x4445: return 22; // DE
    case 0x444a: return 27; // DJ
    case 0x444b: return 18; // DK
    case 0x444f: return 28; // DO
    case 0x4545: return 20; // EE
    case 0x4547: return 29; // EG
    case 0x4553: return 24; // ES
    case 0x4649: return 18; // FI
    case 0x464b: return 18; // FK
    case 0x464f: return 18; // FO
    case 0x4652: return 27; // FR
    case 0x4742: return 22; // GB
    case 0x4745: return 22; // GE
    case 0x4749: return 23; // GI
    case 0x474c: return 18; // GL
    case 0x4752: return 27; // GR
    case 0x4754: return 28; // GT
    case 0x484e: return 28; // HN
    case 0x4852: return 21; // HR
    case 0x4855: return 28; // HU
    case 0x4945: return 22; // IE
    case 0x494c: return 23; // IL
    case 0x4951: return 23; // IQ
    case 0x4953: return 26; // IS
    case 0x4954: return 27; // IT
    case 0x4a4f: return 30; // JO
    case 0x4b57: return 30; // KW
    case 0x4b5a: return 20; // KZ
    case 0x4c42: return 28; // LB
    case 0x4c43: return 32; // LC
    case 0x4c49: return 21; // LI
    case 0x4c54: return 20; // LT
    case 0x4c55: return 20; // LU
    case 0x4c56: return 21; // LV
    case 0x4c59: return 25; // LY
    case 0x4d43: return 27; // MC
    case 0x4d44: return 24; // MD
    case 0x4d45: return 22; // ME
    case 0x4d4b: return 19; // MK
    case 0x4d4e: return 20; // MN
    case 0x4d52: return 27; // MR
    case 0x4d54: return 31; // MT
    case 0x4d55: return 30; // MU
    case 0x4e49: return 28; // NI
    case 0x4e4c: return 18; // NL
    case 0x4e4f: return 15; // NO
    case 0x4f4d: return 23; // OM
    case 0x504b: return 24; // PK
    case 0x504c: return 28; // PL
    case 0x5053: return 29; // PS
    case 0x5054: return 25; // PT
    case 0x5141: return 29; // QA
    case 0x524f: return 24; // RO
    case 0x5253: return 22; // RS
    case 0x5255: return 33; // RU
    case 0x5341: return 24; // SA
    case 0x5343: return 31; // SC
    case 0x5344: return 18; // SD
    case 0x5345: return 24; // SE
    case 0x5349: return 19; // SI
    case 0x534b: return 24; // SK
    case 0x534d: return 27; // SM
    case 0x534f: return 23; // SO
    case 0x5354: return 25; // ST
    case 0x5356: return 28; // SV
    case 0x544c: return 23; // TL
    case 0x544e: return 24; // TN
    case 0x5452: return 26; // TR
    case 0x5541: return 29; // UA
    case 0x5641: return 22; // VA
    case 0x5647: return 24; // VG
    case 0x584b: return 20; // XK
    case 0x5945: return 30; // YE
    default: return 0;
  }
}

/**
 * ISO 13616 / ISO 7064 mod-97-10 over the IBAN characters (separators skipped): move the first four
 * characters to the end, letters become 10..35, the number mod 97 must be 1.
 */
export function ibanMod97Ok(p: usize, a: i32, b: i32): bool {
  let rem: u32 = 0;
  let skipped = 0;
  // Pass 1: everything after the first four characters; pass 2: the first four.
  for (let pass = 0; pass < 2; pass++) {
    let n = 0;
    for (let i = a; i < b; i++) {
      const c = byteAt(p, i);
      if (c == 0x20) continue;
      const inHead = n < 4;
      n++;
      if ((pass == 0) == inHead) continue;
      if (isDigit(c)) rem = (rem * 10 + (c - 0x30)) % 97;
      else if (isUpper(c)) rem = (rem * 100 + (c - 0x41 + 10)) % 97;
      else return false;
    }
    skipped = n;
  }
  return skipped >= 5 && rem == 1;
}

const entropyCounts = new StaticArray<i32>(256);

/** Shannon entropy of bytes [a, b) in bits per byte. */
export function shannonEntropy(p: usize, a: i32, b: i32): f64 {
  const n = b - a;
  if (n <= 0) return 0;
  // Shared scratch table, left all-zero after each call (no allocation on the hot path).
  const counts = entropyCounts;
  for (let i = a; i < b; i++) unchecked(counts[byteAt(p, i)]++);
  let h: f64 = 0;
  for (let i = a; i < b; i++) {
    const k = byteAt(p, i);
    const c = unchecked(counts[k]);
    if (c == 0) continue;
    const f = <f64>c / <f64>n;
    h -= f * Math.log2(f);
    unchecked(counts[k] = 0);
  }
  return h;
}

/** Number of character classes (lower, upper, digit, symbol) present in [a, b). */
export function charClassCount(p: usize, a: i32, b: i32): i32 {
  let mask = 0;
  for (let i = a; i < b; i++) {
    const c = byteAt(p, i);
    if (isLower(c)) mask |= 1;
    else if (isUpper(c)) mask |= 2;
    else if (isDigit(c)) mask |= 4;
    else mask |= 8;
  }
  return popcnt(mask);
}

/** c * log2(c) for c = 0..ENTROPY_TABLE_MAX (0 for c = 0). */
const ENTROPY_TABLE_MAX: i32 = 256;
const CLOGC = new StaticArray<f64>(ENTROPY_TABLE_MAX + 1);
for (let c = 1; c <= ENTROPY_TABLE_MAX; c++) unchecked(CLOGC[c] = <f64>c * Math.log2(<f64>c));

/**
 * shannonEntropy(p, a, b) >= bits without a logarithm per byte value: H = log2(n) - sum(c log2 c) / n
 * from a table. The two formulas round differently, so within 1e-9 of the threshold the decision is
 * left to shannonEntropy (the same answer as before, bit for bit).
 */
export function entropyAtLeast(p: usize, a: i32, b: i32, bits: f64): bool {
  const n = b - a;
  if (n <= 0 || n > ENTROPY_TABLE_MAX) return shannonEntropy(p, a, b) >= bits;
  const counts = entropyCounts;
  for (let i = a; i < b; i++) unchecked(counts[byteAt(p, i)]++);
  let sum: f64 = 0;
  for (let i = a; i < b; i++) {
    const k = byteAt(p, i);
    const c = unchecked(counts[k]);
    if (c == 0) continue;
    sum += unchecked(CLOGC[c]);
    unchecked(counts[k] = 0);
  }
  const h = unchecked(CLOGC[n]) / <f64>n - sum / <f64>n;
  if (Math.abs(h - bits) < 1e-9) return shannonEntropy(p, a, b) >= bits;
  return h >= bits;
}

/** GENERIC_SECRET value rule: >= 14 bytes, >= 3 character classes, Shannon entropy >= 3.0 bits/char. */
export function highEntropySecret(p: usize, a: i32, b: i32): bool {
  if (b - a < 14) return false;
  if (charClassCount(p, a, b) < 3) return false;
  return entropyAtLeast(p, a, b, 3.0);
}

function b64val(c: u32): i32 {
  if (isUpper(c)) return <i32>(c - 0x41);
  if (isLower(c)) return <i32>(c - 0x61 + 26);
  if (isDigit(c)) return <i32>(c - 0x30 + 52);
  if (c == 0x2d || c == 0x2b) return 62; // '-' (url) or '+'
  if (c == 0x5f || c == 0x2f) return 63; // '_' (url) or '/'
  return -1;
}

const JWT_HEADER_MAX: i32 = 2048;
const jwtScratch = new StaticArray<u8>(JWT_HEADER_MAX);

/**
 * JWT header check (RFC 7519 section 7.2): the first segment must base64url-decode to a JSON object
 * with an "alg" member.
 */
export function jwtHeaderOk(p: usize, a: i32, b: i32): bool {
  if (b - a > JWT_HEADER_MAX || b - a < 4) return false;
  let acc: u32 = 0;
  let bits = 0;
  let n = 0;
  for (let i = a; i < b; i++) {
    const v = b64val(byteAt(p, i));
    if (v < 0) return false;
    acc = (acc << 6) | <u32>v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      unchecked(jwtScratch[n++] = <u8>((acc >> <u32>bits) & 0xff));
    }
  }
  // Leading whitespace is allowed in JSON text; the first value must be an object.
  let k = 0;
  while (k < n && (unchecked(jwtScratch[k]) == 0x20 || unchecked(jwtScratch[k]) == 0x0a || unchecked(jwtScratch[k]) == 0x0d || unchecked(jwtScratch[k]) == 0x09)) k++;
  if (k >= n || unchecked(jwtScratch[k]) != 0x7b) return false;
  // Look for the member name "alg" followed by ':' (a top-level-looking key; good enough for headers).
  for (let i = k + 1; i + 5 <= n; i++) {
    if (unchecked(jwtScratch[i]) == 0x22 && unchecked(jwtScratch[i + 1]) == 0x61 && unchecked(jwtScratch[i + 2]) == 0x6c &&
        unchecked(jwtScratch[i + 3]) == 0x67 && unchecked(jwtScratch[i + 4]) == 0x22) {
      let j = i + 5;
      while (j < n && (unchecked(jwtScratch[j]) == 0x20 || unchecked(jwtScratch[j]) == 0x09)) j++;
      if (j < n && unchecked(jwtScratch[j]) == 0x3a) return true;
    }
  }
  return false;
}
