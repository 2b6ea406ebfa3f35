// Morse code spelled in a text ('.-- .... .- - / .. ... / - .... .'), decoded so the checks read
// what it says (detector.ts scanMorse): a model reads Morse, so an order written in it is an order.
import { ByteBuilder } from "../../common/assembly/bytes/builder";

/** What each code spells (ASCII), by the code read as bits after a leading 1 (a dot 0, a dash 1):
 *  ".-" is 0b101 = 5, "a"; 0: no letter. Letters, digits and the five-symbol signs (codes below 64):
 *  the six-symbol punctuation marks count as unknown codes. */
const LETTERS: usize = memory.data<u8>([
  0, 0, 101, 116, 105, 97, 110, 109, 115, 117, 114, 119, 100, 107, 103, 111, 104, 118, 102, 0, 108, 0, 112, 106, 98, 120, 99, 121, 122, 113, 0, 0, 53, 52, 0, 51, 0, 0, 0, 50, 38, 0, 43, 0, 0, 0, 0, 49, 54, 61, 47, 0, 0, 0, 40, 0, 55, 0, 0, 0, 56, 0, 57, 48
]);
const LETTER_CODES: i32 = 64;

const DOT: i32 = 1;
const DASH: i32 = 2;

/** Letters and unknown codes the last decodeMorseRun read. */
export let morseLetters: i32 = 0;
export let morseUnknown: i32 = 0;

/** Bytes of the symbol symbolAt last read. */
let symbolLength: i32 = 0;

/** The Morse symbol at p[i]: a dot (".", "·", "•") or a dash ("-", "_", "–", "—", "−"), else 0. */
function symbolAt(p: usize, i: i32, e: i32): i32 {
  const b = <u32>load<u8>(p + <usize>i);
  symbolLength = 1;
  if (b == 0x2e) return DOT;
  if (b == 0x2d || b == 0x5f) return DASH;
  if (b == 0xc2 && i + 1 < e && load<u8>(p + <usize>(i + 1)) == 0xb7) { symbolLength = 2; return DOT; }
  if (b == 0xe2 && i + 2 < e) {
    const b1 = <u32>load<u8>(p + <usize>(i + 1)), b2 = <u32>load<u8>(p + <usize>(i + 2));
    symbolLength = 3;
    if (b1 == 0x80 && b2 == 0xa2) return DOT;
    if ((b1 == 0x80 && (b2 == 0x93 || b2 == 0x94)) || (b1 == 0x88 && b2 == 0x92)) return DASH;
  }
  return 0;
}

/** Whether a Morse run may start at p[i]: a symbol at the text's start or after a space, a quote,
 *  a colon or an opening bracket ("said: '.-- ....", not "end." or "well-known"). */
export function morseStartsAt(p: usize, s: i32, i: i32, e: i32): bool {
  if (symbolAt(p, i, e) == 0) return false;
  if (i == s) return true;
  const b = <u32>load<u8>(p + <usize>(i - 1));
  return b == 0x20 || b == 0x0a || b == 0x09 || b == 0x22 || b == 0x27 || b == 0x60 || b == 0x3a || b == 0x28 || b == 0x5b || b == 0x3e;
}

/**
 * Decodes the Morse run at p[i, e) into `out`: codes separated by one space, words by "/", "|", a
 * newline or two spaces or more (a space in `out`). Stops where a code runs into another character
 * or the text leaves Morse; returns the index it stopped at (past i). morseLetters and morseUnknown
 * count the codes read.
 */
export function decodeMorseRun(p: usize, i: i32, e: i32, out: ByteBuilder): i32 {
  morseLetters = 0;
  morseUnknown = 0;
  let j = i;
  while (j < e) {
    let code = 1, n = 0;
    while (j < e) {
      const k = symbolAt(p, j, e);
      if (k == 0) break;
      if (n < 7) code = (code << 1) | (k == DASH ? 1 : 0);
      n++;
      j += symbolLength;
    }
    if (n == 0) break;
    const c = n <= 6 && code < LETTER_CODES ? <u32>load<u8>(LETTERS + <usize>code) : 0;
    if (c == 0) morseUnknown++;
    else { out.appendByte(<u8>c); morseLetters++; }
    let spaces = 0;
    while (j < e && load<u8>(p + <usize>j) == 0x20) { spaces++; j++; }
    let gap = spaces >= 2;
    if (j < e) {
      const b = <u32>load<u8>(p + <usize>j);
      if (b == 0x2f || b == 0x7c || b == 0x0a) {
        gap = true;
        j++;
        while (j < e && load<u8>(p + <usize>j) == 0x20) j++;
      }
    }
    if (spaces == 0 && !gap) break;
    if (j >= e || symbolAt(p, j, e) == 0) break;
    if (gap) out.appendByte(0x20);
  }
  return j > i ? j : i + 1;
}
