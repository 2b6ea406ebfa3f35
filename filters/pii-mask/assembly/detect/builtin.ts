// The built-in detectors, all in ONE pass over the bytes (custom detectors join the same pass: custom.ts).
//
// The loop looks at eight bytes per step: a class table indexed by each byte and the byte after it says
// whether the byte is a letter/digit, a trigger, or the start of something a detector may begin with.
// An "event" is a trigger byte or such a start at the first byte of a letter/digit run; steps without
// an event cost eight table loads and a few ALU operations. Events dispatch only the detectors that can
// begin there: digits (card/SSN/phone/IPv4; plain numbers are rejected after reading the run), letter
// pairs (key prefixes, IBAN, JWT), '@' (email, looks back for the local part), '=', ':' and '|' (key/value
// secrets, '|' in table rows: value length first, then the label behind; ':' also anchors IPv6), '+' and '(' (phones),
// '-' (PEM "-----BEGIN"). Every candidate is validated before it is recorded.
import {
  byteAt, isDigit, isUpper, isLower, isAlpha, isAlnum, isHex, isB64Url, luhnOk, cardPrefixOk, ssnOk,
  ibanLength, ibanMod97Ok, highEntropySecret, jwtHeaderOk,
} from "./validators";
import * as T from "./types";
import { Candidates } from "./candidates";
import { CustomDetectors, C_ANYWHERE, C_RUN_START } from "./custom";
import { foldTriggerPair, foldableAt } from "../../../common/assembly/unicode/fold";

export { Candidates };

// Class table for the main loop, indexed by a byte and the byte after it (one little-endian u16 load):
// bit 0 letter/digit, bit 1 "a detector may start a run here" (a digit, or a letter pair that begins a
// key prefix or an IBAN: see letterPair), bit 2 trigger (@ = : + ( - |). An event is a trigger, or a start
// whose previous byte is not a letter/digit. The previous byte's bits stay in a register, so iterations
// do not wait on each other's table loads. 64 KiB, filled once at module start.
const B_ALNUM: u32 = 1;
const B_START: u32 = 2;
const B_TRIG: u32 = 4;
const CLS2 = new StaticArray<u8>(65536);

const EV_TRIG8: u64 = 0x0404040404040404;
const EV_START8: u64 = 0x0202020202020202;
const EV_CANY8: u64 = 0x0808080808080808;  // C_ANYWHERE in every byte
const EV_CRUN8: u64 = 0x1010101010101010;  // C_RUN_START in every byte

/** Per byte of `w` (`b8` follows), the entry of the byte-pair table at `t`: class bytes (CLS2) or
 *  custom start bits (C_ANYWHERE, C_RUN_START) of a custom pair table. */
@inline function pairTable8(t: usize, w: u64, b8: u64): u64 {
  return <u64>load<u8>(t + <usize>(w & 0xffff))
    | (<u64>load<u8>(t + <usize>((w >> 8) & 0xffff)) << 8)
    | (<u64>load<u8>(t + <usize>((w >> 16) & 0xffff)) << 16)
    | (<u64>load<u8>(t + <usize>((w >> 24) & 0xffff)) << 24)
    | (<u64>load<u8>(t + <usize>((w >> 32) & 0xffff)) << 32)
    | (<u64>load<u8>(t + <usize>((w >> 40) & 0xffff)) << 40)
    | (<u64>load<u8>(t + <usize>((w >> 48) & 0xffff)) << 48)
    | (<u64>load<u8>(t + <usize>((w >> 56) | (b8 << 8))) << 56);
}

/** Class bytes of the eight bytes of `w` (little-endian: byte 0 is the lowest); `b8` is the byte after them. */
@inline function cls8(w: u64, b8: u64): u64 {
  return pairTable8(changetype<usize>(CLS2), w, b8);
}

/**
 * First two bytes of a letter run that a letter detector can start with: [A-Z][A-Z] (IBAN country code,
 * AKIA, ASIA, AIza), gh gi gl (GitHub, GitLab), xo (Slack), sk rk (Stripe, OpenAI, Anthropic), ey (JWT).
 * Other letter runs (almost every word of text) are no event at all.
 */
function letterPair(c0: u32, c1: u32): bool {
  if (isUpper(c0)) return isUpper(c1);
  if (c0 == 0x67) return c1 == 0x68 || c1 == 0x69 || c1 == 0x6c;
  if (c0 == 0x78) return c1 == 0x6f || c1 == 0x61;
  if (c0 == 0x73 || c0 == 0x72) return c1 == 0x6b;
  if (c0 == 0x65) return c1 == 0x79;
  if (c0 == 0x61) return c1 == 0x77; // aws_secret_access_key <value> (CLI form)
  return false;
}

function isTrigger(c: u32): bool {
  return c == 0x40 || c == 0x3d || c == 0x3a || c == 0x2b || c == 0x28 || c == 0x2d || c == 0x7c;
}

function initTables(): void {
  for (let c: u32 = 0; c < 256; c++) {
    let k: u32 = 0;
    if (isDigit(c)) k = B_ALNUM | B_START;
    else if (isAlpha(c)) k = B_ALNUM;
    else if (isTrigger(c)) k = B_TRIG;
    for (let d: u32 = 0; d < 256; d++) {
      let kk = letterPair(c, d) ? k | B_START : k;
      // Look-alike characters and escapes the detector folds (common/unicode/fold.ts) are events too.
      if (foldTriggerPair(c, d)) kk |= B_TRIG;
      unchecked(CLS2[c | (d << 8)] = <u8>kk);
    }
  }
}
initTables();

const PRIO_GENERIC: i32 = 0;
const PRIO_NORMAL: i32 = 2;

/** Digit groups read by readGroups (phones, cards, SSNs). */
class Groups {
  n: i32 = 0;
  total: i32 = 0;
  len: StaticArray<i32> = new StaticArray<i32>(10);
  end: StaticArray<i32> = new StaticArray<i32>(10);
  /** Separator byte before group k (0 = none), for k >= 1. */
  sep: StaticArray<u32> = new StaticArray<u32>(10);
  /** Whether group k was written in parentheses. */
  paren: StaticArray<bool> = new StaticArray<bool>(10);
}

@inline function isSep(c: u32): bool { return c == 0x20 || c == 0x2d || c == 0x2e || c == 0x2f; }

/** Whether the 4 bytes before `k` are an IBAN-style group ([A-Z0-9]{4}, at a token start). */
function afterIbanGroup(p: usize, lo: i32, k: i32): bool {
  if (k - 4 < lo) return false;
  for (let m = k - 4; m < k; m++) {
    const c = byteAt(p, m);
    if (!(isUpper(c) || isDigit(c))) return false;
  }
  return k - 5 < lo || !isAlnum(byteAt(p, k - 5));
}

export class BuiltinScanner {
  /** Bit i set = built-in type i enabled. */
  enabled: u32 = 0xffffffff;
  /**
   * With foldCheck, the scan stops at the first character or escape that folding changes and sets
   * foldSeen: the caller folds the text and scans that instead (Detector), so text without any costs
   * nothing extra.
   */
  foldCheck: bool = false;
  foldSeen: bool = false;
  private g: Groups = new Groups();
  /**
   * Earliest start of a long entity (PEM block, JWT) that could not be decided because the data ended
   * (i32.MAX_VALUE if none): a streaming caller must not treat bytes from there on as final.
   */
  pendingFrom: i32 = i32.MAX_VALUE;
  @inline private pend(i: i32): void { if (i < this.pendingFrom && i >= this.barrier) this.pendingFrom = i; }
  /** Candidates.barrier of the current scan (an entity starting before it cannot be open). */
  private barrier: i32 = i32.MIN_VALUE;
  /** No "-----END " exists in [pemSearchFrom, pemNoEndBefore): keeps PEM search linear. */
  private pemNoEndBefore: i32 = -1;

  @inline private on(t: i32): bool { return (this.enabled & (1 << t)) != 0; }

  /**
   * Scans bytes [lo, hi) at pointer p, appending validated candidates to `out`.
   * Bytes outside [lo, hi) are never read.
   */
  scan(p: usize, lo: i32, hi: i32, out: Candidates, custom: CustomDetectors | null = null): void {
    this.pemNoEndBefore = -1;
    this.pendingFrom = i32.MAX_VALUE;
    this.foldSeen = false;
    const foldCheck = this.foldCheck;
    this.barrier = out.barrier;
    let i = lo;
    let prev: u32 = 0; // class bits of the byte before i (none at lo: lo starts a run)
    // Custom detectors: their start bytes are events too (custom.table).
    const ctab = custom != null && custom.count > 0 ? changetype<usize>(custom.table) : 0;
    let skipTo = lo; // inside a PEM block built-in events are off (custom starts are still visited)
    while (i < hi) {
      // Eight bytes at a time: their class bytes packed into a u64 (eight independent table loads),
      // events computed for all eight at once; stop at the first event.
      while (i + 9 <= hi) {
        const w = load<u64>(p + <usize>i);
        const b8 = <u64>load<u8>(p + <usize>(i + 8));
        const K = cls8(w, b8);
        let ev = K & (EV_TRIG8 | (~(((K << 8) | <u64>prev) << 1) & EV_START8));
        if (ctab != 0) ev |= pairTable8(ctab, w, b8) & (EV_CANY8 | (~(((K << 8) | <u64>prev) << 4) & EV_CRUN8));
        if (ev != 0) {
          const j = <i32>(ctz(ev) >> 3);
          if (j > 0) prev = <u32>(K >> (<u64>(j - 1) << 3)) & 0xff;
          i += j;
          break;
        }
        prev = <u32>(K >> 56);
        i += 8;
      }
      if (i >= hi) break;
      const c = byteAt(p, i);
      const pair = c | (i + 1 < hi ? byteAt(p, i + 1) << 8 : 0);
      const k = <u32>unchecked(CLS2[pair]);
      const ev = k & (B_TRIG | (~(prev << 1) & B_START));
      if (ctab != 0 && (<u32>load<u8>(ctab + <usize>pair) & (C_ANYWHERE | (~(prev << 4) & C_RUN_START))) != 0) custom!.at(p, lo, i, hi);
      prev = k;
      if (ev == 0) { i++; continue; }
      if (c >= 0x80 || c == 0x25 || c == 0x5c || c == 0x26 || c < 0x20 || c == 0x7f) {
        if (foldCheck && foldableAt(p, i, hi)) { this.foldSeen = true; return; }
        i++;
        continue;
      }
      if (i < skipTo) { i++; continue; }
      if (ev == B_START) {
        if (isDigit(c)) this.digitStart(p, lo, i, hi, out);
        else if (i + 4 <= hi) this.letterStart(p, lo, i, hi, c, out);
      } else if (c == 0x40) { if (this.on(T.EMAIL)) this.email(p, lo, i, hi, out); }
      else if (c == 0x3d || c == 0x7c) this.keyValue(p, lo, i, hi, out);
      else if (c == 0x3a) {
        this.keyValue(p, lo, i, hi, out);
        if (this.on(T.IPV6)) {
          // IPv6 is anchored at its first ':' (cheaper than testing every hex-looking word): back up
          // over at most four hex digits to the address start; "::x" starts at the ':' itself.
          let s = i;
          while (s > lo && i - s < 5 && isHex(byteAt(p, s - 1))) s--;
          if (s < i || (i + 1 < hi && byteAt(p, i + 1) == 0x3a)) this.ipv6(p, lo, s, hi, out);
        }
      } else if (c == 0x2b) { if (this.on(T.PHONE)) this.phoneIntl(p, lo, i, hi, out); }
      else if (c == 0x28) { if (this.on(T.PHONE)) this.phoneNational(p, lo, i, hi, out); }
      else if (c == 0x2d) {
        if (this.on(T.PRIVATE_KEY) && i + 11 <= hi && byteAt(p, i + 1) == 0x2d && byteAt(p, i + 4) == 0x2d) {
          const e = this.pem(p, lo, i, hi);
          // The block is one entity: resume after it (the byte before is '-', so outside a run).
          if (e > 0 && !out.crosses(i, e)) {
            out.add(T.PRIVATE_KEY, i, e, PRIO_NORMAL);
            if (ctab == 0) { i = e; prev = 0; continue; }
            skipTo = e; // the last byte of the block is '-', so `prev` is right at e
          }
        }
      }
      i++;
    }
  }

  // ---------------------------------------------------------------- digits

  private digitStart(p: usize, lo: i32, i: i32, hi: i32, out: Candidates): void {
    // Quick reject (most numbers in text): every digit detector needs either a separator + digit after
    // the first digit group (IPv4, SSN, grouped cards and phones) or exactly 14-16 or 19 digits (compact card).
    let j = i + 1;
    while (j < hi && j - i < 20 && isDigit(byteAt(p, j))) j++;
    const run = j - i;
    // Nine digits in a row are an SSN only where the text says so (`SSN: 123456789`): unlabelled, they
    // are any number (an order, an account, a timestamp part).
    if (run == 9 && this.on(T.US_SSN)) this.compactSsn(p, lo, i, j, hi, out);
    if ((run < 14 || run > 16) && run != 19 && !(j + 1 < hi && isSep(byteAt(p, j)) && isDigit(byteAt(p, j + 1)))) return;
    const prev = i > lo ? byteAt(p, i - 1) : 0;
    // IPv4: not preceded by a letter, digit, '_' or '.'.
    if (this.on(T.IPV4) && prev != 0x2e && prev != 0x5f) this.ipv4(p, lo, i, hi, out);
    // Number groups must not continue a preceding digit group ("DE89 3704 ...", "12-345-678").
    // (A whole card number before it does not count: `4012888888881881 4111111111111111` is two cards.)
    const afterGroup = i - 2 >= lo && isSep(prev) && isDigit(byteAt(p, i - 2)) && !(prev == 0x20 && cardRunBefore(p, lo, i - 1)) && !(prev == 0x20 && otherNumberBefore(p, lo, i - 2));
    // A '_' right before or after is part of an identifier (`order_4111…`), unless it stands alone
    // at a word edge: Markdown emphasis (`_4111 1111 1111 1111_`, `__123-45-6789__`).
    if (afterGroup || (isSep(prev) && afterIbanGroup(p, lo, i - 1) && !(prev == 0x20 && dashGroupBefore(p, lo, i - 2))) || prev == 0x2b || (prev == 0x5f && !emphasisBefore(p, lo, i - 1)) || prev == 0x2f || prev == 0x2e) return;
    const g = this.g;
    this.readGroups(p, i, hi, false);
    if (g.n == 0) return;
    // A last group after a space that runs into letters (`… 5350 6CDE:BEFA::1`) is the start of the next
    // token: it is dropped; otherwise a number running into letters (`4111111111111111abc`,
    // `2024-01-15T10`) is no number at all.
    while (g.n > 0) {
      const after = unchecked(g.end[g.n - 1]);
      const tailBad = after < hi && (isAlpha(byteAt(p, after)) || (byteAt(p, after) == 0x5f && !emphasisAfter(p, after, hi)));
      if (!tailBad) break;
      // Only a group after a space starts another token; `2024-01-15T10` is one token, not a number.
      if (g.n == 1 || unchecked(g.sep[g.n - 1]) != 0x20) return;
      g.total -= unchecked(g.len[g.n - 1]);
      g.n--;
    }
    if (this.on(T.US_SSN)) this.ssn(p, i, out);
    if (this.on(T.CREDIT_CARD)) this.card(p, i, hi, out);
    if (this.on(T.PHONE)) this.phoneGroups(p, i, hi, false, out);
  }

  /**
   * Reads up to 8 digit groups from j: groups separated by one of ' ', '-', '.'; with `paren`, a group
   * may be written "(123)" (then the separator after it is optional).
   */
  private readGroups(p: usize, j: i32, hi: i32, paren: bool): void {
    const g = this.g;
    g.n = 0; g.total = 0;
    let sep: u32 = 0;
    while (g.n < 8 && j < hi) {
      let inParen = false;
      let c = byteAt(p, j);
      if (c == 0x28 && paren) { inParen = true; j++; }
      const s = j;
      while (j < hi && isDigit(byteAt(p, j)) && j - s < 19) j++;
      const n = j - s;
      if (n == 0) { if (inParen) j--; break; }
      if (inParen) {
        if (j >= hi || byteAt(p, j) != 0x29) { break; }
        j++;
      }
      if (!inParen && j < hi && isDigit(byteAt(p, j))) { g.n = 0; return; } // more than 19 digits in a row
      unchecked(g.len[g.n] = n);
      unchecked(g.end[g.n] = j);
      unchecked(g.sep[g.n] = sep);
      unchecked(g.paren[g.n] = inParen);
      g.n++;
      g.total += n;
      if (j + 1 >= hi) break;
      c = byteAt(p, j);
      const d = byteAt(p, j + 1);
      if (isSep(c) && (isDigit(d) || (paren && d == 0x28))) { sep = c; j++; continue; }
      if (inParen && isDigit(c)) { sep = 0; continue; }
      if (inParen && c == 0x20 && d == 0x28) { sep = c; j++; continue; }
      break;
    }
  }

  /** `AAAGGSSSS` at [i, j) after an SSN label on the same line (ssnLabelBefore). */
  private compactSsn(p: usize, lo: i32, i: i32, j: i32, hi: i32, out: Candidates): void {
    if (i > lo && (isAlnum(byteAt(p, i - 1)) || byteAt(p, i - 1) == 0x2e || byteAt(p, i - 1) == 0x2d || byteAt(p, i - 1) == 0x5f)) return;
    if (j < hi && (isAlnum(byteAt(p, j)) || byteAt(p, j) == 0x5f || (byteAt(p, j) == 0x2e || byteAt(p, j) == 0x2d) && j + 1 < hi && isDigit(byteAt(p, j + 1)))) return;
    if (!ssnOk(num(p, i, 3), num(p, i + 3, 2), num(p, i + 5, 4))) return;
    if (ssnLabelBefore(p, lo, i)) out.add(T.US_SSN, i, j, PRIO_NORMAL);
  }

  private ssn(p: usize, i: i32, out: Candidates): void {
    const g = this.g;
    if (g.n != 3 || unchecked(g.len[0]) != 3 || unchecked(g.len[1]) != 2 || unchecked(g.len[2]) != 4) return;
    const s = unchecked(g.sep[1]);
    if ((s != 0x2d && s != 0x20) || unchecked(g.sep[2]) != s) return;
    const area = num(p, i, 3);
    const grp = num(p, i + 4, 2);
    const ser = num(p, i + 7, 4);
    if (ssnOk(area, grp, ser)) out.add(T.US_SSN, i, unchecked(g.end[2]), PRIO_NORMAL);
  }

  private card(p: usize, i: i32, hi: i32, out: Candidates): void {
    const n = this.cardLayout();
    if (n > 0 && this.cardAt(p, i, hi, n, out)) return;
    // Any other grouping, separators mixed (`4111<U+200B>1111 1111 1111` folds to `41111111 1111
    // 1111`; `4111 1111-1111 1111`): the longest run of groups that is a valid card number.
    const g = this.g;
    let total = 0;
    let k = 0;
    for (; k < g.n && k < 6; k++) {
      const len = unchecked(g.len[k]);
      if (unchecked(g.paren[k]) || len < 3 || (k == 0 && len < 4)) break;
      if (k > 0) { const s = unchecked(g.sep[k]); if (s != 0x20 && s != 0x2d) break; }
      if (total + len > 19) break;
      total += len;
    }
    for (; k >= 2; k--) {
      // A group right after it with the same kind of separator makes one longer number, not a card
      // (`4111 1111 1111 1111 1`), unless it has three digits (a security code, as in 4-4-4-4-3).
      const follows = k < g.n && (unchecked(g.sep[k]) == 0x20 || unchecked(g.sep[k]) == 0x2d) && unchecked(g.len[k]) != 3;
      if (!follows && k != n && total >= 14 && this.cardAt(p, i, hi, k, out)) return;
      total -= unchecked(g.len[k - 1]);
    }
  }

  /** The standard layouts of the groups read: their count, or 0. */
  private cardLayout(): i32 {
    const g = this.g;
    // Layouts: compact 14-16 or 19 digits (also when another group follows: two cards side by side),
    // 4-4-4-4, 4-4-4-4-3 (19), 4-6-5 (Amex, 15), 4-6-4 (Diners, 14); one separator throughout.
    let n = 0;
    const l0 = unchecked(g.len[0]);
    if ((l0 >= 14 && l0 <= 16) || l0 == 19) n = 1;
    else if (g.n >= 4 && l0 == 4 && unchecked(g.len[1]) == 4 && unchecked(g.len[2]) == 4 && unchecked(g.len[3]) == 4) {
      n = 4;
      if (g.n >= 5 && unchecked(g.len[4]) == 3 && unchecked(g.sep[4]) == unchecked(g.sep[1])) n = 5;
    } else if (g.n >= 3 && l0 == 4 && unchecked(g.len[1]) == 6 && (unchecked(g.len[2]) == 5 || unchecked(g.len[2]) == 4)) n = 3;
    if (n == 0) return 0;
    if (n > 1) {
      // Space, dash, or a dot when every group has it (`4111.1111.1111.1111`); a dot is never mixed
      // with other separators, so decimals and versions next to a number stay what they are.
      const s = unchecked(g.sep[1]);
      if (s != 0x20 && s != 0x2d && s != 0x2e) return 0;
      for (let k = 2; k < n; k++) if (unchecked(g.sep[k]) != s) return 0;
      // More groups with the same separator: a longer number, not a card.
      if (n < g.n && unchecked(g.sep[n]) == s && (n != 4 || unchecked(g.len[4]) != 3)) return 0;
    } else if (g.n > 1 && unchecked(g.sep[1]) != 0x20) return 0; // `4111111111111111-12` is a reference
    return n;
  }

  /** Records groups [0, n) from i as a card when they pass the issuer prefix and Luhn checks. */
  private cardAt(p: usize, i: i32, hi: i32, n: i32, out: Candidates): bool {
    const g = this.g;
    let total = 0;
    for (let k = 0; k < n; k++) total += unchecked(g.len[k]);
    const e = unchecked(g.end[n - 1]);
    if (e < hi && isDigit(byteAt(p, e))) return false;
    // First six digits for the issuer prefix.
    let first6: u32 = 0, nd = 0;
    for (let j = i; j < e && nd < 6; j++) {
      const c = byteAt(p, j);
      if (isDigit(c)) { first6 = first6 * 10 + (c - 0x30); nd++; }
    }
    if (!cardPrefixOk(first6, total)) return false;
    if (!luhnOk(p, i, e)) return false;
    out.add(T.CREDIT_CARD, i, e, PRIO_NORMAL);
    return true;
  }

  /**
   * National phone formats (US, UK, DE, FR, IN, BR, JP), from the groups already read. Tries the longest
   * prefix of groups first so a trailing unrelated number ("... 0958 2 times") is left out.
   */
  private phoneGroups(p: usize, i: i32, hi: i32, paren: bool, out: Candidates): void {
    const g = this.g;
    for (let k = g.n; k >= 2; k--) {
      let total = 0;
      for (let m = 0; m < k; m++) total += unchecked(g.len[m]);
      if (!this.nationalOk(p, i, k, total)) continue;
      // The groups go on with the same separator (`0000-4793-3845-4461`, a 16-digit reference):
      // one longer number, not a phone followed by something else.
      if (k < g.n && unchecked(g.len[k]) >= 2 && unchecked(g.sep[k]) == unchecked(g.sep[k - 1 > 0 ? k - 1 : 1]) && !unchecked(g.paren[k])) return;
      const e = unchecked(g.end[k - 1]);
      if (e < hi && isAlnum(byteAt(p, e))) return;
      out.add(T.PHONE, i, e, PRIO_NORMAL);
      return;
    }
  }

  private nationalOk(p: usize, i: i32, k: i32, total: i32): bool {
    const g = this.g;
    for (let m = 1; m < k; m++) if (unchecked(g.len[m]) < 2) return false;
    if (unchecked(g.paren[0])) {
      // (415) 555-0123, (11) 91234-5678, (020) 7946 0958
      if (unchecked(g.len[0]) < 2 || unchecked(g.len[0]) > 4) return false;
      for (let m = 1; m < k; m++) if (unchecked(g.paren[m])) return false;
      return total >= 10 && total <= 11;
    }
    for (let m = 0; m < k; m++) if (unchecked(g.paren[m])) return false;
    // All separators of one kind within the number.
    const s = unchecked(g.sep[1]);
    if (s == 0x2f) return k == 2 && byteAt(p, i) == 0x30 && g.total >= 10 && g.total <= 12; // DE 0170/21653722
    for (let m = 2; m < k; m++) if (unchecked(g.sep[m]) != s) return false;
    const first = byteAt(p, i);
    if (first == 0x30 && byteAt(p, i + 1) == 0x30) {
      // International prefix 00 instead of '+' (ITU-T E.164 / E.123 in Europe): `0049 30 12345678`,
      // `00 44 20 7946 0958`; grouped only, with the E.164 digit count after the 00.
      const l0 = unchecked(g.len[0]);
      if (l0 == 2) { if (unchecked(g.len[1]) > 3 || byteAt(p, i + 3) == 0x30) return false; }
      else if (l0 < 3 || l0 > 5 || byteAt(p, i + 2) == 0x30) return false;
      return k >= 2 && total - 2 >= 10 && total - 2 <= 15;
    }
    if (first == 0x30) {
      // Trunk prefix 0: UK 020 7946 0958, DE 0151 23456789, FR 01 23 45 67 89, IN 098765 43210, JP 090-1234-5678.
      if (unchecked(g.len[0]) < 2 || unchecked(g.len[0]) > 6) return false;
      for (let m = 1; m < k; m++) if (unchecked(g.len[m]) > 8) return false;
      return total >= 10 && total <= 12;
    }
    // US 415-555-0123 / 415.555.0123 / 415 555 0123 and 1-415-555-0123.
    if (k == 3 && unchecked(g.len[0]) == 3 && unchecked(g.len[1]) == 3 && unchecked(g.len[2]) == 4) return first != 0x31;
    if (k == 4 && unchecked(g.len[0]) == 1 && first == 0x31 && unchecked(g.len[1]) == 3 && unchecked(g.len[2]) == 3 && unchecked(g.len[3]) == 4) return true;
    // IN mobile without trunk 0: 98765 43210.
    if (k == 2 && unchecked(g.len[0]) == 5 && unchecked(g.len[1]) == 5 && first >= 0x36) return true;
    return false;
  }

  /** '(' starts a national number with a parenthesised area code. */
  private phoneNational(p: usize, lo: i32, i: i32, hi: i32, out: Candidates): void {
    if (i > lo && isAlnum(byteAt(p, i - 1))) return;
    if (i + 1 >= hi || !isDigit(byteAt(p, i + 1))) return;
    this.readGroups(p, i, hi, true);
    if (this.g.n < 2 || !this.g.paren[0]) return;
    this.phoneGroups(p, i, hi, true, out);
  }

  /** '+' starts an E.164 number: country code and 10-15 digits in total, optional separators. */
  private phoneIntl(p: usize, lo: i32, i: i32, hi: i32, out: Candidates): void {
    if (i > lo && isAlnum(byteAt(p, i - 1))) return;
    if (i + 1 >= hi || !isDigit(byteAt(p, i + 1)) || byteAt(p, i + 1) == 0x30) return;
    this.readGroups(p, i + 1, hi, true);
    const g = this.g;
    if (g.n == 0) return;
    // Longest prefix of groups with 10..15 digits whose last group has >= 2 digits.
    for (let k = g.n; k >= 1; k--) {
      let total = 0;
      for (let m = 0; m < k; m++) total += unchecked(g.len[m]);
      if (total < 10 || total > 15) continue;
      if (k > 1 && unchecked(g.len[k - 1]) < 2) continue;
      if (unchecked(g.len[0]) > 3 && k > 1 && !unchecked(g.paren[1])) {
        // Country code is 1-3 digits; a grouped number must separate it ("+4930 1234" is not E.164 style).
        if (unchecked(g.len[0]) > 4) continue;
      }
      const e = unchecked(g.end[k - 1]);
      if (e < hi && isAlnum(byteAt(p, e))) return;
      out.add(T.PHONE, i, e, PRIO_NORMAL);
      return;
    }
  }

  private ipv4(p: usize, lo: i32, i: i32, hi: i32, out: Candidates): void {
    let j = i;
    for (let oct = 0; oct < 4; oct++) {
      if (oct > 0) {
        if (j >= hi || byteAt(p, j) != 0x2e) return;
        j++;
      }
      let v = 0, n = 0;
      while (j < hi && isDigit(byteAt(p, j)) && n < 4) { v = v * 10 + <i32>(byteAt(p, j) - 0x30); j++; n++; }
      if (n == 0 || n > 3 || v > 255) return;
    }
    // Not followed by a digit, a letter, or '.'+digit (1.2.3.4.5, OID-like runs).
    if (j < hi) {
      const c = byteAt(p, j);
      if (isAlnum(c) || c == 0x5f) return;
      if (c == 0x2e && j + 1 < hi && isDigit(byteAt(p, j + 1))) return;
    }
    if (versionWordBefore(p, lo, i)) return;
    // A CIDR prefix length belongs to the span (`10.0.0.0/8`).
    out.add(T.IPV4, i, prefixLength(p, j, hi, 32), PRIO_NORMAL);
  }

  /**
   * IPv6 text forms (RFC 4291 section 2.2): eight 1-4 hex groups, or fewer with one "::", optionally
   * ending in a dotted IPv4. `i` is the first byte (hex digit or the first ':' of "::").
   */
  private ipv6(p: usize, lo: i32, i: i32, hi: i32, out: Candidates): void {
    if (i > lo) {
      const pc = byteAt(p, i - 1);
      if (isAlnum(pc) || pc == 0x5f || pc == 0x2e) return;
      // A ':' before it continues an address, unless it ends a label (`addr:fe80::1`, `peer：2001:db8::1`
      // after folding): a word with a letter that is no hex digit cannot be an address group.
      if (pc == 0x3a && !labelColonAt(p, lo, i - 1)) return;
    }
    // Quick gate: a ':' within the first five bytes.
    let gate = false;
    for (let j = i; j < i + 5 && j < hi; j++) if (byteAt(p, j) == 0x3a) { gate = true; break; }
    if (!gate) return;
    let j = i;
    let groups = 0;
    let dbl = false;
    let digits = false;
    if (byteAt(p, j) == 0x3a) {
      if (j + 1 >= hi || byteAt(p, j + 1) != 0x3a) return;
      dbl = true; j += 2;
    }
    let end = j;
    while (j < hi && groups < 8) {
      const s = j;
      while (j < hi && isHex(byteAt(p, j)) && j - s < 5) j++;
      const n = j - s;
      if (n == 0) break;
      if (j < hi && byteAt(p, j) == 0x2e && groups <= 6) {
        // Embedded IPv4 tail; a '.' that does not start one ends the address (`2001:db8::1.`).
        const e4 = ipv4End(p, s, hi);
        if (e4 >= 0) {
          groups += 2; end = e4; digits = true; j = e4;
          break;
        }
      }
      if (n > 4) return;
      for (let q = s; q < j; q++) if (isDigit(byteAt(p, q))) { digits = true; break; }
      groups++;
      end = j;
      if (j + 1 < hi && byteAt(p, j) == 0x3a && byteAt(p, j + 1) == 0x3a) {
        if (dbl) return; // a second "::" (`2001::db8::1`) is not an address at all
        dbl = true; j += 2; end = j;
        continue;
      }
      if (j + 1 < hi && byteAt(p, j) == 0x3a && isHex(byteAt(p, j + 1))) { j++; continue; }
      break;
    }
    if (dbl ? groups > 7 : groups != 8) return;
    if (groups == 0 || (!digits && groups < 3)) return;
    if (end < hi) {
      const c = byteAt(p, end);
      if (isAlnum(c) || c == 0x5f) return;
      // A ':' right after a complete address (not "::") would be a ninth group.
      if (c == 0x3a && !dbl && end + 1 < hi && isHex(byteAt(p, end + 1))) return;
    }
    // A zone id (`fe80::1%eth0`, RFC 6874) and a prefix length (`2001:db8::/32`) belong to the span.
    if (end + 1 < hi && byteAt(p, end) == 0x25 && isAlnum(byteAt(p, end + 1))) {
      let z = end + 1;
      while (z < hi && z - end <= 32 && (isAlnum(byteAt(p, z)) || byteAt(p, z) == 0x5f || byteAt(p, z) == 0x2d || byteAt(p, z) == 0x2e)) z++;
      while (z > end + 1 && byteAt(p, z - 1) == 0x2e) z--;
      end = z;
    }
    end = prefixLength(p, end, hi, 128);
    out.add(T.IPV6, i, end, PRIO_NORMAL);
  }

  // ---------------------------------------------------------------- letters

  private letterStart(p: usize, lo: i32, i: i32, hi: i32, c: u32, out: Candidates): void {
    const rem = hi - i;
    if (rem < 4) return;
    const c1 = byteAt(p, i + 1);
    if (isUpper(c) && isUpper(c1) && isDigit(byteAt(p, i + 2)) && isDigit(byteAt(p, i + 3))) {
      if (this.on(T.IBAN)) this.iban(p, i, hi, c, c1, out);
      return;
    }
    switch (c) {
      case 0x41: { // A: AKIA/ASIA, AIza, AWS_SECRET_ACCESS_KEY <value>
        const c2 = byteAt(p, i + 2), c3 = byteAt(p, i + 3);
        if (c1 == 0x57 && c2 == 0x53 && this.on(T.AWS_SECRET_KEY)) { this.awsSecretCli(p, i, hi, out); break; }
        if (c3 == 0x41 && c2 == 0x49 && (c1 == 0x4b || c1 == 0x53)) { if (this.on(T.AWS_ACCESS_KEY)) this.awsAccess(p, i, hi, out); }
        else if (c1 == 0x49 && c2 == 0x7a && c3 == 0x61) { if (this.on(T.GOOGLE_API_KEY)) this.fixedRun(p, i, i + 4, hi, 35, 35, T.GOOGLE_API_KEY, true, out); }
        break;
      }
      case 0x67: { // g: ghp_ gho_ ghs_ ghu_ github_pat_ glpat-
        if (c1 == 0x68) {
          const c2 = byteAt(p, i + 2), c3 = byteAt(p, i + 3);
          // ghp_ (personal), gho_ (OAuth), ghu_ (user-to-server), ghs_ (server-to-server), ghr_ (refresh).
          if (c3 == 0x5f && (c2 == 0x70 || c2 == 0x6f || c2 == 0x73 || c2 == 0x75 || c2 == 0x72)) {
            if (this.on(T.GITHUB_TOKEN)) this.fixedRun(p, i, i + 4, hi, 36, 36, T.GITHUB_TOKEN, false, out);
          }
        } else if (c1 == 0x69 && this.on(T.GITHUB_TOKEN) && hasPrefix(p, i, hi, "github_pat_")) this.githubPat(p, i, hi, out);
        else if (c1 == 0x6c && this.on(T.GITLAB_TOKEN) && hasPrefix(p, i, hi, "glpat-")) this.fixedRun(p, i, i + 6, hi, 20, 64, T.GITLAB_TOKEN, true, out);
        break;
      }
      case 0x78: // x: xoxb- xoxp- (xoxa- xoxr-), xoxe- / xoxe.xoxp- (rotating tokens), xapp- (app-level)
        if (rem > 5 && this.on(T.SLACK_TOKEN)) {
          if (c1 == 0x6f && byteAt(p, i + 2) == 0x78) {
            if (byteAt(p, i + 3) == 0x65 && (byteAt(p, i + 4) == 0x2d || byteAt(p, i + 4) == 0x2e)) this.slackRotating(p, i, hi, out);
            else if (byteAt(p, i + 4) == 0x2d) this.slack(p, i, hi, out);
          } else if (c1 == 0x61 && hasPrefix(p, i, hi, "xapp-")) this.slackApp(p, i, hi, out);
        }
        break;
      case 0x73: // s: sk_live_, sk-...
        if (c1 == 0x6b && rem > 8) {
          const c2 = byteAt(p, i + 2);
          if (c2 == 0x5f) { if (this.on(T.STRIPE_KEY) && hasPrefix(p, i + 3, hi, "live_")) this.fixedRun(p, i, i + 8, hi, 24, 99, T.STRIPE_KEY, false, out); }
          else if (c2 == 0x2d) this.skDash(p, i, hi, out);
        }
        break;
      case 0x72: // r: rk_live_
        if (c1 == 0x6b && this.on(T.STRIPE_KEY) && hasPrefix(p, i, hi, "rk_live_")) this.fixedRun(p, i, i + 8, hi, 24, 99, T.STRIPE_KEY, false, out);
        break;
      case 0x61: // a: aws_secret_access_key <value>
        if (c1 == 0x77 && this.on(T.AWS_SECRET_KEY)) this.awsSecretCli(p, i, hi, out);
        break;
      case 0x65: // e: eyJ (base64url of '{"')
        if (c1 == 0x79 && byteAt(p, i + 2) == 0x4a && this.on(T.JWT)) this.jwt(p, i, hi, out);
        break;
    }
  }

  /**
   * prefix [i, bodyStart) is already matched; the body is `min..max` chars of [A-Za-z0-9] (or base64url
   * when `url`), and must not continue with another such char.
   */
  private fixedRun(p: usize, i: i32, bodyStart: i32, hi: i32, min: i32, max: i32, type: i32, url: bool, out: Candidates): void {
    let j = bodyStart;
    const lim = bodyStart + max;
    while (j < hi && j < lim && (url ? isB64Url(byteAt(p, j)) : isAlnum(byteAt(p, j)))) j++;
    if (j - bodyStart < min) return;
    if (j < hi && (url ? isB64Url(byteAt(p, j)) : isAlnum(byteAt(p, j)))) return;
    out.add(type, i, j, PRIO_NORMAL);
  }

  private awsAccess(p: usize, i: i32, hi: i32, out: Candidates): void {
    let j = i + 4;
    while (j < hi && j < i + 20) {
      const c = byteAt(p, j);
      if (!(isUpper(c) || (c >= 0x32 && c <= 0x37))) return;
      j++;
    }
    if (j != i + 20) return;
    if (j < hi && isAlnum(byteAt(p, j))) return;
    // AWS's documentation sample IDs end in EXAMPLE (AKIAIOSFODNN7EXAMPLE): copied from docs, not keys.
    if (hasPrefix(p, j - 7, j, "EXAMPLE")) return;
    out.add(T.AWS_ACCESS_KEY, i, j, PRIO_NORMAL);
  }

  /**
   * `aws_secret_access_key <value>` with spaces only between (`aws configure set aws_secret_access_key
   * ...`, `--aws-secret-access-key ...`): the label, 1-4 spaces, exactly 40 [A-Za-z0-9/+] then a space,
   * line end or the end of the data. Forms with '=' or ':' go through keyValue.
   */
  private awsSecretCli(p: usize, i: i32, hi: i32, out: Candidates): void {
    const L = 21; // "aws_secret_access_key"
    if (i + L + 41 > hi) return;
    const label = "aws_secret_access_key";
    for (let k = 0; k < L; k++) {
      let c = byteAt(p, i + k);
      if (isUpper(c)) c |= 0x20;
      if (c == 0x2d) c = 0x5f;
      if (c != codeAt(label, k)) return;
    }
    let j = i + L;
    const s0 = j;
    while (j < hi && byteAt(p, j) == 0x20 && j - s0 < 4) j++;
    if (j == s0) return;
    const vs = j;
    while (j < hi && j - vs <= 40) {
      const c = byteAt(p, j);
      if (!(isAlnum(c) || c == 0x2f || c == 0x2b)) break;
      j++;
    }
    if (j - vs != 40) return;
    if (j < hi && !(byteAt(p, j) == 0x20 || byteAt(p, j) == 0x0a || byteAt(p, j) == 0x0d || byteAt(p, j) == 0x09)) return;
    if (charKinds(p, vs, j) < 3) return; // placeholders, hex digests
    out.add(T.AWS_SECRET_KEY, vs, j, PRIO_NORMAL);
  }

  /** github_pat_ + 22 alnum + '_' + 59 alnum. */
  private githubPat(p: usize, i: i32, hi: i32, out: Candidates): void {
    let j = i + 11;
    if (j + 82 > hi) return;
    for (let k = 0; k < 22; k++) if (!isAlnum(byteAt(p, j + k))) return;
    j += 22;
    if (byteAt(p, j) != 0x5f) return;
    j++;
    for (let k = 0; k < 59; k++) if (!isAlnum(byteAt(p, j + k))) return;
    j += 59;
    if (j < hi && isB64Url(byteAt(p, j))) return;
    out.add(T.GITHUB_TOKEN, i, j, PRIO_NORMAL);
  }

  /** xoxb-digits-digits-alnum, xoxp-digits-digits-digits-hex32. */
  private slack(p: usize, i: i32, hi: i32, out: Candidates): void {
    const kind = byteAt(p, i + 3);
    if (kind != 0x62 && kind != 0x70 && kind != 0x61 && kind != 0x72) return;
    let j = i + 5;
    const numGroups = kind == 0x70 ? 3 : 2;
    for (let k = 0; k < numGroups; k++) {
      const s = j;
      while (j < hi && isDigit(byteAt(p, j)) && j - s < 16) j++;
      if (j - s < 1 || j >= hi || byteAt(p, j) != 0x2d) return;
      j++;
    }
    const s = j;
    if (kind == 0x70) {
      while (j < hi && isHex(byteAt(p, j)) && j - s < 32) j++;
      if (j - s != 32) return;
    } else {
      while (j < hi && isAlnum(byteAt(p, j)) && j - s < 64) j++;
      if (j - s < 8) return;
    }
    if (j < hi && isAlnum(byteAt(p, j))) return;
    out.add(T.SLACK_TOKEN, i, j, PRIO_NORMAL);
  }

  /**
   * Token rotation (api.slack.com/authentication/rotation): refresh tokens `xoxe-1-<body>` and
   * expiring access tokens `xoxe.xoxb-1-<body>` / `xoxe.xoxp-1-<body>`; the body is alnum, >= 40.
   */
  private slackRotating(p: usize, i: i32, hi: i32, out: Candidates): void {
    let j = i + 5;
    if (byteAt(p, i + 4) == 0x2e) {
      if (!(hasPrefix(p, j, hi, "xoxb-") || hasPrefix(p, j, hi, "xoxp-"))) return;
      j += 5;
    }
    const s = j;
    while (j < hi && isDigit(byteAt(p, j)) && j - s < 4) j++;
    if (j == s || j >= hi || byteAt(p, j) != 0x2d) return;
    j++;
    const b = j;
    while (j < hi && (isAlnum(byteAt(p, j)) || byteAt(p, j) == 0x2d) && j - b < 400) j++;
    if (j - b < 40 || (j < hi && isAlnum(byteAt(p, j)))) return;
    if (charKinds(p, b, j) < 2) return;
    out.add(T.SLACK_TOKEN, i, j, PRIO_NORMAL);
  }

  /** App-level token: xapp-<digit>-<app id A...>-<digits>-<hex 64>. */
  private slackApp(p: usize, i: i32, hi: i32, out: Candidates): void {
    let j = i + 5;
    for (let k = 0; k < 3; k++) {
      const s = j;
      while (j < hi && isAlnum(byteAt(p, j)) && j - s < 24) j++;
      if (j == s || j >= hi || byteAt(p, j) != 0x2d) return;
      j++;
    }
    const s = j;
    while (j < hi && isHex(byteAt(p, j)) && j - s < 64) j++;
    if (j - s != 64 || (j < hi && isAlnum(byteAt(p, j)))) return;
    out.add(T.SLACK_TOKEN, i, j, PRIO_NORMAL);
  }

  /** sk-ant-api03-... (Anthropic), sk-proj-/sk-svcacct-/sk-admin- + base64url, legacy sk- + 48 alnum (OpenAI). */
  private skDash(p: usize, i: i32, hi: i32, out: Candidates): void {
    if (hasPrefix(p, i, hi, "sk-ant-")) {
      if (!this.on(T.ANTHROPIC_KEY)) return;
      let j = i + 7;
      if (hasPrefix(p, j, hi, "api03-")) j += 6;
      else if (hasPrefix(p, j, hi, "admin01-")) j += 8;
      else return;
      const s = j;
      while (j < hi && isB64Url(byteAt(p, j)) && j - s < 96) j++;
      if (j - s != 95) return;
      if (j < hi && isB64Url(byteAt(p, j))) return;
      if (byteAt(p, j - 1) != 0x41 || byteAt(p, j - 2) != 0x41) return;
      out.add(T.ANTHROPIC_KEY, i, j, PRIO_NORMAL);
      return;
    }
    if (!this.on(T.OPENAI_KEY)) return;
    let body = 0;
    if (hasPrefix(p, i, hi, "sk-proj-")) body = i + 8;
    else if (hasPrefix(p, i, hi, "sk-svcacct-")) body = i + 11;
    else if (hasPrefix(p, i, hi, "sk-admin-")) body = i + 9;
    if (body > 0) {
      let j = body;
      while (j < hi && isB64Url(byteAt(p, j)) && j - body < 400) j++;
      if (j - body < 40 || (j < hi && isB64Url(byteAt(p, j)))) return;
      if (charKinds(p, body, j) < 3) return; // placeholders like sk-proj-xxxxxxxx...
      out.add(T.OPENAI_KEY, i, j, PRIO_NORMAL);
      return;
    }
    let j = i + 3;
    while (j < hi && isAlnum(byteAt(p, j)) && j - i < 52) j++;
    if (j - (i + 3) != 48 || (j < hi && isB64Url(byteAt(p, j)))) return;
    if (charKinds(p, i + 3, j) < 3) return;
    out.add(T.OPENAI_KEY, i, j, PRIO_NORMAL);
  }

  /** header.payload.signature; the header must decode to a JSON object with "alg". */
  private jwt(p: usize, i: i32, hi: i32, out: Candidates): void {
    const j = this.jwtAt(p, i, hi, out);
    // Ran into the end of the data: more bytes could still make (or extend) a token starting at i.
    if (j >= hi) this.pend(i);
  }

  /** Returns how far it read (>= hi: undecided for lack of data). */
  private jwtAt(p: usize, i: i32, hi: i32, out: Candidates): i32 {
    let j = i;
    while (j < hi && isB64Url(byteAt(p, j)) && j - i <= 2048) j++;
    const h = j;
    if (j >= hi || byteAt(p, j) != 0x2e) return j;
    // A header without "alg" is never a JWT, however the token goes on (decided: nothing to hold).
    if (!jwtHeaderOk(p, i, h)) return h;
    j++;
    const s2 = j;
    const cap = i + T.MAX_ENTITY_LENGTH;
    while (j < hi && j < cap && isB64Url(byteAt(p, j))) j++;
    if (j == s2 || j >= hi || byteAt(p, j) != 0x2e) return j;
    j++;
    const s3 = j;
    while (j < hi && j < cap && isB64Url(byteAt(p, j))) j++;
    if (j == s3) return j;
    if (j < hi && (byteAt(p, j) == 0x2e && j + 1 < hi && isB64Url(byteAt(p, j + 1)))) return j; // JWE / more segments
    if (j < hi && isB64Url(byteAt(p, j))) return j;
    // A '.' as the very last byte: a fourth segment may follow (the token is still reported here).
    const open = j + 1 == hi && byteAt(p, j) == 0x2e;
    out.add(T.JWT, i, j, PRIO_NORMAL);
    return open ? hi : j;
  }

  /** Country code, 2 check digits, BBAN; compact or in groups of four; length per country; mod-97 == 1. */
  private iban(p: usize, i: i32, hi: i32, c0: u32, c1: u32, out: Candidates): void {
    const L = ibanLength(c0, c1);
    if (L == 0) return;
    let j = i, n = 0;
    let grouped = false;
    while (j < hi && n < L) {
      const c = byteAt(p, j);
      if (isUpper(c) || isDigit(c)) { n++; j++; continue; }
      if (c == 0x20 && n % 4 == 0 && n > 0 && (n == 4 ? true : grouped) && j + 1 < hi && (isUpper(byteAt(p, j + 1)) || isDigit(byteAt(p, j + 1)))) {
        if (n == 4) grouped = true;
        j++;
        continue;
      }
      break;
    }
    if (n != L) return;
    if (j < hi && isAlnum(byteAt(p, j))) return;
    if (!ibanMod97Ok(p, i, j)) return;
    out.add(T.IBAN, i, j, PRIO_NORMAL);
  }

  // ---------------------------------------------------------------- triggers

  /** '@' at i: local part backwards ([A-Za-z0-9._%+-], <= 64), domain forwards (labels, TLD >= 2 letters). */
  private email(p: usize, lo: i32, i: i32, hi: i32, out: Candidates): void {
    if (this.urlPassword(p, lo, i, out)) return;
    let s = i;
    while (s > lo && i - s < 64) {
      const c = byteAt(p, s - 1);
      if (isAlnum(c) || c == 0x2e || c == 0x5f || c == 0x25 || c == 0x2b || c == 0x2d) s--;
      else if (s - 2 >= lo && latinLetterAt(p, s - 2)) s -= 2; // RFC 6531: josé@...
      else break;
    }
    while (s < i && (byteAt(p, s) == 0x2e || byteAt(p, s) == 0x2d || byteAt(p, s) == 0x2b)) s++;
    if (s == i || byteAt(p, i - 1) == 0x2e) return;
    let j = i + 1;
    let labels = 0;
    let end = -1;
    while (j < hi && j - i < 254) {
      const ls = j;
      let uni = false;
      while (j < hi && j - ls < 63) {
        const c = byteAt(p, j);
        if (isAlnum(c) || c == 0x2d) { j++; continue; }
        if (j + 1 < hi && latinLetterAt(p, j)) { j += 2; uni = true; continue; } // IDN: bücher.de
        break;
      }
      if (j == ls || byteAt(p, ls) == 0x2d || byteAt(p, j - 1) == 0x2d) break;
      labels++;
      if (labels >= 2 && !uni) {
        // TLD: letters only, >= 2, or an IDN TLD in punycode (xn--p1ai).
        let alpha = j - ls >= 2;
        for (let q = ls; q < j && alpha; q++) if (!isAlpha(byteAt(p, q))) alpha = false;
        if (alpha || (j - ls >= 5 && hasPrefix(p, ls, j, "xn--"))) end = j;
      }
      if (j + 1 < hi && byteAt(p, j) == 0x2e && (isAlnum(byteAt(p, j + 1)) || (j + 2 < hi && latinLetterAt(p, j + 1)))) { j++; continue; }
      break;
    }
    if (end < 0) return;
    out.add(T.EMAIL, s, end, PRIO_NORMAL);
  }

  /**
   * '@' at i ends the userinfo of a URL (RFC 3986 section 3.2.1, `scheme://user:password@host`): the
   * password is a GENERIC_SECRET (connection strings: postgres://, mongodb+srv://, redis://, amqp://,
   * https://), and `password@host` is no e-mail address. Returns whether it was userinfo.
   */
  private urlPassword(p: usize, lo: i32, i: i32, out: Candidates): bool {
    let s = i;
    let colon = -1;
    while (s > lo && i - s < 256) {
      const c = byteAt(p, s - 1);
      // Userinfo is printable ASCII without '/', '@', quotes, brackets or whitespace.
      if (c <= 0x20 || c >= 0x7f || c == 0x2f || c == 0x40 || c == 0x22 || c == 0x27 || c == 0x3c || c == 0x3e || c == 0x60) break;
      if (c == 0x3a) colon = s - 1;
      s--;
    }
    // "//" then a scheme ending in ':' (letters, digits, '+', '-', '.').
    if (s - 3 < lo || byteAt(p, s - 1) != 0x2f || s - 2 < lo || byteAt(p, s - 2) != 0x2f || byteAt(p, s - 3) != 0x3a) return false;
    if (s - 4 < lo || !isAlpha(byteAt(p, s - 4))) return false;
    if (colon < 0) {
      // User only (`https://<token>@github.com/...`): no e-mail address; a token used as the user name
      // is a secret (known key formats are found by their own detectors in the same pass).
      if (i - s >= 14 && this.on(T.GENERIC_SECRET) && !templateRefAt(p, s, i) && highEntropySecret(p, s, i)) out.add(T.GENERIC_SECRET, s, i, PRIO_GENERIC);
      return true;
    }
    // The first ':' of the userinfo separates user and password.
    for (let k = s; k < i; k++) if (byteAt(p, k) == 0x3a) { colon = k; break; }
    const ps = colon + 1;
    if (i - ps < 6 || !this.on(T.GENERIC_SECRET)) return true;
    // Placeholders: `${DB_PASS}`, `<password>`, `****`, `xxxxxx`.
    if (templateRefAt(p, ps, i) || charKinds(p, ps, i) < 2 && !highEntropySecret(p, ps, i)) return true;
    out.add(T.GENERIC_SECRET, ps, i, PRIO_GENERIC);
    return true;
  }

  /**
   * '=', ':' or '|' (a table row) at t: a secret label before it (aws_secret_access_key, password, token, api_key, ...)
   * and a value after it. AWS labels need a 40-char [A-Za-z0-9/+] value; other labels need a
   * high-entropy value (GENERIC_SECRET).
   */
  private keyValue(p: usize, lo: i32, t: i32, hi: i32, out: Candidates): void {
    const wantAws = this.on(T.AWS_SECRET_KEY), wantGen = this.on(T.GENERIC_SECRET);
    if (!wantAws && !wantGen) return;
    // Value.
    let j = t + 1;
    if (j < hi && byteAt(p, t) == 0x3d && byteAt(p, j) == 0x3e) j++; // "=>"
    else if (j < hi && byteAt(p, t) == 0x3a && byteAt(p, j) == 0x3d) j++; // ":="
    while (j < hi && j - t < 8 && (byteAt(p, j) == 0x20 || byteAt(p, j) == 0x09)) j++;
    let q: u32 = 0;
    if (j + 1 < hi && byteAt(p, j) == 0x5c && (byteAt(p, j + 1) == 0x22 || byteAt(p, j + 1) == 0x27)) { q = byteAt(p, j + 1); j += 2; }
    else if (j < hi && (byteAt(p, j) == 0x22 || byteAt(p, j) == 0x27 || byteAt(p, j) == 0x60)) { q = byteAt(p, j); j++; }
    // An HTTP auth scheme glued to its credentials by ':' (`Authorization: Bearer:<token>`, and after a
    // folded full-width colon, `Bearer：<token>`): the value is the credentials (RFC 9110 section 11.4).
    if (q == 0) j = afterAuthScheme(p, j, hi);
    const vs = j;
    while (j < hi && j - vs <= 256) {
      const c = byteAt(p, j);
      // Values are printable ASCII: whitespace, quotes and non-ASCII text end them.
      if (c <= 0x20 || c >= 0x7f || c == 0x22 || c == 0x27 || c == 0x60) break;
      if (c == 0x5c) break; // JSON escape (\n, \") ends a bare value
      // `;` before the next `key=` ends the value: connection strings (`Password=...;Encrypt=true`)
      // hold several pairs in one run.
      if (c == 0x3b && q == 0 && nextPairAt(p, j + 1, hi)) break;
      j++;
    }
    let ve = j;
    // Every value rule needs >= 14 bytes (GENERIC_SECRET; AWS keys are 40): most ':' and '=' in text
    // ("port: 8080", "\"role\": \"user\"", "10:30:00") end here, before the label is looked at.
    if (ve - vs > 256 || ve - vs < 14) return;
    // Label: skip spaces and a closing quote (possibly JSON-escaped) backwards, then the identifier.
    let k = t - 1;
    if (byteAt(p, t) == 0x3d && k >= lo && byteAt(p, k) == 0x3a) k--; // ":="
    while (k >= lo && t - k < 6 && (byteAt(p, k) == 0x20 || byteAt(p, k) == 0x09)) k--;
    if (k >= lo && (byteAt(p, k) == 0x22 || byteAt(p, k) == 0x27)) { k--; if (k >= lo && byteAt(p, k) == 0x5c) k--; }
    const ie = k + 1;
    while (k >= lo && ie - k <= 64) {
      const c = byteAt(p, k);
      if (isAlnum(c) || c == 0x5f || c == 0x2d || c == 0x2e) k--; else break;
    }
    const is = k + 1;
    if (ie - is < 3 || ie - is > 64) return;
    if (byteAt(p, t) == 0x7c && !tableCells(p, lo, is, ve, hi)) return;
    const label = classifyLabel(p, is, ie);
    if (label == 0) return;
    // A query-string pair (`?access_token=...&state=...`): the value ends at the next `&name=`.
    if (is > lo && (byteAt(p, is - 1) == 0x3f || byteAt(p, is - 1) == 0x26)) {
      for (let m = vs; m < ve; m++) if (byteAt(p, m) == 0x26 && nextPairAt(p, m + 1, hi)) { ve = m; break; }
      if (ve - vs < 14) return;
    }
    if (q != 0 && (ve >= hi || byteAt(p, ve) != q) && !(q != 0x60 && ve + 1 < hi && byteAt(p, ve) == 0x5c && byteAt(p, ve + 1) == q)) return;
    if (label == 2 && wantAws) {
      // The key is exactly 40 characters of its alphabet; it ends where they end (a `,` or `;`
      // after it, as in `aws_secret_access_key=...40..., region=eu`, is not part of it).
      let m = vs;
      while (m < ve && m - vs <= 40) {
        const c = byteAt(p, m);
        if (!(isAlnum(c) || c == 0x2f || c == 0x2b)) break;
        m++;
      }
      if (m - vs == 40 && (m == ve || isValueEnd(byteAt(p, m)))) { out.add(T.AWS_SECRET_KEY, vs, m, PRIO_NORMAL); return; }
    }
    if (wantGen && !templateRefAt(p, vs, ve) && highEntropySecret(p, vs, ve)) out.add(T.GENERIC_SECRET, vs, ve, PRIO_GENERIC);
  }

  /** "-----BEGIN <label>PRIVATE KEY[ BLOCK]-----" ... "-----END <same label>-----"; returns end or -1. */
  private pem(p: usize, lo: i32, i: i32, hi: i32): i32 {
    if (!hasPrefix(p, i, hi, "-----BEGIN ")) return -1;
    const ls = i + 11;
    let j = ls;
    while (j < hi && j - ls < 48 && byteAt(p, j) != 0x2d && byteAt(p, j) >= 0x20) j++;
    const le = j;
    if (!hasPrefix(p, j, hi, "-----")) return -1;
    // RFC 7468 labels end in "PRIVATE KEY" (RSA, EC, DSA, OPENSSH, ENCRYPTED, PKCS#8); an OpenPGP
    // armored secret key (RFC 4880 section 6.2) is "PGP PRIVATE KEY BLOCK".
    if (le - ls < 11 || !(hasPrefix(p, le - 11, hi, "PRIVATE KEY") || (le - ls >= 21 && hasPrefix(p, le - 21, hi, "PGP PRIVATE KEY BLOCK")))) return -1;
    j += 5;
    const cap = min(hi, i + T.MAX_ENTITY_LENGTH);
    if (j < this.pemNoEndBefore) j = this.pemNoEndBefore; // nothing to find before there
    let sawEnd = false;
    while (j + 9 <= cap) {
      if (byteAt(p, j) == 0x2d && hasPrefix(p, j, cap, "-----END ")) {
        sawEnd = true;
        const e = j + 9;
        // Same label, then "-----".
        let same = e + (le - ls) + 5 <= cap;
        for (let m = 0; same && m < le - ls; m++) if (byteAt(p, e + m) != byteAt(p, ls + m)) same = false;
        if (same && hasPrefix(p, e + (le - ls), cap, "-----")) return e + (le - ls) + 5;
      }
      j++;
    }
    // No "-----END " at all up to cap - 8: later BEGINs need not look there again (keeps this linear).
    if (!sawEnd) this.pemNoEndBefore = max(this.pemNoEndBefore, cap - 8);
    if (cap == hi && i + T.MAX_ENTITY_LENGTH > hi) this.pend(i); // the END may still arrive
    return -1;
  }
}

/** A two-byte UTF-8 letter of Latin-1 Supplement / Latin Extended-A/B at i (U+00C0-U+024F, not × ÷). */
function latinLetterAt(p: usize, i: i32): bool {
  const c = byteAt(p, i);
  if (c < 0xc3 || c > 0xc9) return false;
  const d = byteAt(p, i + 1);
  if ((d & 0xc0) != 0x80) return false;
  return !(c == 0xc3 && (d == 0x97 || d == 0xb7));
}

/**
 * `|` between label and value is a Markdown/ASCII table row (`| password | s3cr3t... |`): the label
 * starts a cell (a `|` before it) and the value fills the next one (a `|` or the line's end after it).
 */
function tableCells(p: usize, lo: i32, is: i32, ve: i32, hi: i32): bool {
  let k = is - 1;
  while (k >= lo && (byteAt(p, k) == 0x20 || byteAt(p, k) == 0x09)) k--;
  if (k < lo || byteAt(p, k) != 0x7c) return false;
  let j = ve;
  while (j < hi && (byteAt(p, j) == 0x20 || byteAt(p, j) == 0x09)) j++;
  // The data may end before the closing '|' (a stream window, a last row without it).
  return j >= hi || byteAt(p, j) == 0x7c || byteAt(p, j) == 0x0a || byteAt(p, j) == 0x0d;
}

/**
 * A reference to a value, not a value: `${VAR}`, `$(cmd)`, `{{ var }}`, `%(name)s`, `<placeholder>`,
 * `process.env.NAME`, one character repeated.
 */
function templateRefAt(p: usize, a: i32, b: i32): bool {
  if (b - a < 2) return false;
  const c0 = byteAt(p, a), c1 = byteAt(p, a + 1);
  if (c0 == 0x3c) return true;
  if (c0 == 0x24) return c1 == 0x7b || c1 == 0x28;
  if (c0 == 0x7b) return c1 == 0x7b;
  if (c0 == 0x25) return c1 == 0x28;
  if (codePath(p, a, b)) return true;
  // One character repeated (`********`, `xxxxxxxx`).
  for (let k = a + 1; k < b; k++) if (byteAt(p, k) != c0) return false;
  return true;
}

/** After `Bearer:` / `Basic:` / `Token:` / `Bot:` at j (any case, ':' or '='), else j. */
function afterAuthScheme(p: usize, j: i32, hi: i32): i32 {
  let k = j;
  while (k < hi && k - j < 7 && isAlpha(byteAt(p, k))) k++;
  if (k >= hi || k - j < 3 || (byteAt(p, k) != 0x3a && byteAt(p, k) != 0x3d)) return j;
  const n = k - j;
  if ((n == 6 && lowerAt(p, j, "bearer")) || (n == 5 && lowerAt(p, j, "basic")) || (n == 5 && lowerAt(p, j, "token")) || (n == 3 && lowerAt(p, j, "bot"))) return k + 1;
  return j;
}

/**
 * A code expression naming where the secret lives, not the secret: a lower-case identifier followed by
 * `.member` accesses (`process.env.OPENAI_API_KEY`, `settings.SECRET_KEY`, `config.auth.token`),
 * optionally ending in `,` `;` or `.` as in a JS/Python literal or a sentence.
 */
function codePath(p: usize, a: i32, b: i32): bool {
  // The expression ends at a ',' or ';' (what follows is the next item), and a '.' may end a sentence.
  let e = a;
  while (e < b && byteAt(p, e) != 0x2c && byteAt(p, e) != 0x3b) e++;
  while (e > a && byteAt(p, e - 1) == 0x2e) e--;
  let k = a;
  while (k < e && isLower(byteAt(p, k))) k++;
  if (k - a < 2 || k >= e || byteAt(p, k) != 0x2e) return false;
  let dots = 0;
  while (k < e) {
    if (byteAt(p, k) != 0x2e) return false;
    k++;
    const s = k;
    if (k >= e || !(isAlpha(byteAt(p, k)) || byteAt(p, k) == 0x5f)) return false;
    // A member name is a word: digits only at its end (`KEY2`), not mixed in (`YMUfWd48be6NE`).
    let digit = false;
    while (k < e && (isAlnum(byteAt(p, k)) || byteAt(p, k) == 0x5f)) {
      if (isDigit(byteAt(p, k))) digit = true; else if (digit) return false;
      k++;
    }
    if (k == s) return false;
    dots++;
  }
  return dots >= 1;
}

/** Whether `name=` (an identifier of <= 40 bytes, possibly with spaces as in `User Id=`) starts at j. */
function nextPairAt(p: usize, j: i32, hi: i32): bool {
  const s = j;
  while (j < hi && j - s <= 40) {
    const c = byteAt(p, j);
    if (c == 0x3d) return j > s;
    if (!(isAlnum(c) || c == 0x5f || c == 0x2d || c == 0x2e || c == 0x20 || c == 0x5b || c == 0x5d)) return false;
    j++;
  }
  return false;
}

/** Punctuation that may end a typed value inside a longer key/value run: `,` `;` `&` `)` `]` `}`. */
@inline function isValueEnd(c: u32): bool { return c == 0x2c || c == 0x3b || c == 0x26 || c == 0x29 || c == 0x5d || c == 0x7d; }

/**
 * Label kind of a JSON object key (raw bytes [a, b)) whose string value is scanned on its own:
 * 0 none, 1 generic secret label (`password`, `api_key`, ...), 2 AWS secret access key label.
 */
export function secretLabelKind(p: usize, a: i32, b: i32): i32 {
  if (b - a < 3 || b - a > 64) return 0;
  return classifyLabel(p, a, b);
}

/** Label kind: 0 none, 1 generic secret label, 2 AWS secret access key label. */
function classifyLabel(p: usize, a: i32, b: i32): i32 {
  // Normalise: lower-case letters and digits only (drops '_', '-', '.').
  let norm = 0;
  const buf = labelBuf;
  for (let i = a; i < b; i++) {
    let c = byteAt(p, i);
    if (isUpper(c)) c |= 0x20;
    if (isLower(c) || isDigit(c)) unchecked(buf[norm++] = <u8>c);
  }
  let generic = false;
  for (let i = 0; i < norm; i++) {
    const c = unchecked(buf[i]);
    if (c == 0x70) { // p
      if (at(buf, norm, i, "pass") || at(buf, norm, i, "pwd") || at(buf, norm, i, "privatekey")) generic = true;
    } else if (c == 0x73) {
      if (at(buf, norm, i, "secret")) {
        // AWS labels: aws_secret_access_key, SecretAccessKey, secret_access_key, aws_secret_key.
        if (at(buf, norm, i, "secretaccesskey") || (i >= 3 && at(buf, norm, i - 3, "awssecret"))) return 2;
        generic = true;
      }
    } else if (c == 0x74) {
      if (at(buf, norm, i, "token")) generic = true;
    } else if (c == 0x61) {
      if (at(buf, norm, i, "apikey") || at(buf, norm, i, "accesskey") || at(buf, norm, i, "auth")) generic = true;
    } else if (c == 0x63) {
      if (at(buf, norm, i, "credential")) generic = true;
    }
  }
  return generic ? 1 : 0;
}

const labelBuf = new StaticArray<u8>(80);

/** UTF-16 unit k of a constant ASCII string (k < s.length: no bounds check). */
@inline function codeAt(s: string, k: i32): u32 {
  return <u32>load<u16>(changetype<usize>(s) + (<usize>k << 1));
}

function at(buf: StaticArray<u8>, n: i32, i: i32, s: string): bool {
  const m = s.length;
  if (i + m > n) return false;
  for (let k = 0; k < m; k++) if (<u32>unchecked(buf[i + k]) != codeAt(s, k)) return false;
  return true;
}

/** ASCII prefix test within [i, hi). */
export function hasPrefix(p: usize, i: i32, hi: i32, s: string): bool {
  const m = s.length;
  if (i < 0 || i + m > hi) return false;
  for (let k = 0; k < m; k++) if (byteAt(p, i + k) != codeAt(s, k)) return false;
  return true;
}

/**
 * Whether the digits ending at d (inclusive) before a space end another token rather than a group of
 * this number: a letter-digit run (`CZ15…2907 04.97.11.98.31`, a compact IBAN then a phone) or a
 * number grouped by '-' or '.' (`3555-4994-3870-3693 3823-923743-3990`: two cards; a space does not
 * continue a dash-grouped number).
 */
function otherNumberBefore(p: usize, lo: i32, d: i32): bool {
  let k = d;
  while (k > lo && d - k < 40 && isDigit(byteAt(p, k - 1))) k--;
  if (k <= lo) return false;
  return isAlpha(byteAt(p, k - 1)) || dashGroupBefore(p, lo, d);
}

/** Whether the digit group ending at d (inclusive) is the last group of a '-' or '.' grouped number. */
function dashGroupBefore(p: usize, lo: i32, d: i32): bool {
  let k = d;
  while (k > lo && d - k < 40 && isDigit(byteAt(p, k - 1))) k--;
  if (k - 2 < lo) return false;
  const c = byteAt(p, k - 1);
  return (c == 0x2d || c == 0x2e) && isDigit(byteAt(p, k - 2));
}

/** Whether a run of 14-16 digits (a whole card number) ends at `e` (exclusive). */
function cardRunBefore(p: usize, lo: i32, e: i32): bool {
  let k = e;
  while (k > lo && e - k < 17 && isDigit(byteAt(p, k - 1))) k--;
  const n = e - k;
  return n >= 14 && n <= 16 && (k == lo || !isAlnum(byteAt(p, k - 1)));
}

/** Whether the '_' run ending at u (inclusive) starts at a word edge (Markdown emphasis, not an identifier). */
function emphasisBefore(p: usize, lo: i32, u: i32): bool {
  let k = u;
  while (k > lo && u - k < 2 && byteAt(p, k - 1) == 0x5f) k--;
  return k == lo || !isAlnum(byteAt(p, k - 1));
}

/**
 * Whether the '_' run starting at u ends at a word edge. Not when the data ends first: a stream
 * window cannot tell, and the number's fate must not depend on where a chunk ended.
 */
function emphasisAfter(p: usize, u: i32, hi: i32): bool {
  let k = u;
  while (k < hi && k - u < 2 && byteAt(p, k) == 0x5f) k++;
  return k < hi && !isAlnum(byteAt(p, k));
}

/** "SSN" (a word) or "social security" (any case) within the 40 bytes before i on the same line. */
function ssnLabelBefore(p: usize, lo: i32, i: i32): bool {
  const from = max(lo, i - 40);
  for (let k = i - 3; k >= from; k--) {
    const c = byteAt(p, k);
    if (c == 0x0a) return false;
    if ((c | 0x20) == 0x73 && (byteAt(p, k + 1) | 0x20) == 0x73 && (byteAt(p, k + 2) | 0x20) == 0x6e) {
      if ((k == lo || !isAlpha(byteAt(p, k - 1))) && (k + 3 >= i || !isAlpha(byteAt(p, k + 3)))) return true;
    }
    if ((c | 0x20) == 0x73 && k + 15 <= i && lowerAt(p, k, "social security")) return true;
  }
  return false;
}

/** Whether the ':' at c ends a word that cannot be an IPv6 group (it has a letter beyond a-f). */
function labelColonAt(p: usize, lo: i32, c: i32): bool {
  let k = c - 1;
  let nonHex = false;
  while (k >= lo && c - k <= 32 && (isAlnum(byteAt(p, k)) || byteAt(p, k) == 0x5f || byteAt(p, k) == 0x2d)) {
    if (!isHex(byteAt(p, k))) nonHex = true;
    k--;
  }
  return nonHex && (k < lo || byteAt(p, k) != 0x3a);
}

/**
 * A four-part version number, not an address: the word right before it (one or two spaces, an
 * optional ':') is version / ver / release / build / firmware (`version 16.12.4.152`, `Build: 10.0.19.4`).
 */
function versionWordBefore(p: usize, lo: i32, i: i32): bool {
  let k = i - 1;
  while (k >= lo && i - k <= 3 && (byteAt(p, k) == 0x20 || byteAt(p, k) == 0x3a)) k--;
  if (k == i - 1) return false;
  const e = k + 1;
  while (k >= lo && e - k <= 9 && isAlpha(byteAt(p, k))) k--;
  const s = k + 1;
  if (s > lo && isAlnum(byteAt(p, s - 1))) return false;
  const n = e - s;
  return (n == 7 && lowerAt(p, s, "version")) || (n == 3 && lowerAt(p, s, "ver")) || (n == 7 && lowerAt(p, s, "release"))
    || (n == 5 && lowerAt(p, s, "build")) || (n == 8 && lowerAt(p, s, "firmware"));
}

/** ASCII case-insensitive match of lower-case `s` at k (caller checks the bounds). */
function lowerAt(p: usize, k: i32, s: string): bool {
  for (let m = 0; m < s.length; m++) {
    const c = byteAt(p, k + m);
    if ((isUpper(c) ? c | 0x20 : c) != codeAt(s, m)) return false;
  }
  return true;
}

function num(p: usize, i: i32, n: i32): i32 {
  let v = 0;
  for (let k = 0; k < n; k++) v = v * 10 + <i32>(byteAt(p, i + k) - 0x30);
  return v;
}

/** `/n` at e with n <= max (1-3 digits, not followed by a digit, letter or '.'+digit): its end, else e. */
function prefixLength(p: usize, e: i32, hi: i32, max: i32): i32 {
  if (e + 1 >= hi || byteAt(p, e) != 0x2f || !isDigit(byteAt(p, e + 1))) return e;
  let j = e + 1, v = 0;
  while (j < hi && isDigit(byteAt(p, j)) && j - e <= 3) { v = v * 10 + <i32>(byteAt(p, j) - 0x30); j++; }
  if (v > max || (j < hi && (isAlnum(byteAt(p, j)) || byteAt(p, j) == 0x2f))) return e;
  if (j + 1 < hi && byteAt(p, j) == 0x2e && isDigit(byteAt(p, j + 1))) return e;
  return j;
}

/** End of a dotted-quad IPv4 starting at s, or -1. */
function ipv4End(p: usize, s: i32, hi: i32): i32 {
  let j = s;
  for (let oct = 0; oct < 4; oct++) {
    if (oct > 0) { if (j >= hi || byteAt(p, j) != 0x2e) return -1; j++; }
    let v = 0, n = 0;
    while (j < hi && isDigit(byteAt(p, j)) && n < 4) { v = v * 10 + <i32>(byteAt(p, j) - 0x30); j++; n++; }
    if (n == 0 || n > 3 || v > 255) return -1;
  }
  return j;
}

/** Count of kinds (lower, upper, digit) present: rejects placeholder bodies like "xxxxxxxx". */
function charKinds(p: usize, a: i32, b: i32): i32 {
  let m = 0;
  for (let i = a; i < b; i++) {
    const c = byteAt(p, i);
    if (isLower(c)) m |= 1; else if (isUpper(c)) m |= 2; else if (isDigit(c)) m |= 4;
  }
  return popcnt(m);
}
