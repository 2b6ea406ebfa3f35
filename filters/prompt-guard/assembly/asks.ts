// Requests aimed at the assistant itself: its prompt, its secret, its mode. Train has too few of
// these for the model to learn them (README "How scoring works"), and they are the first thing an
// attacker tries. English only: other languages have the concept features and the override
// phrase. Written from the usual attack families (prompt and secret extraction, mode switches,
// claimed authority), each checked to fire on no benign train row. The nouns are specific ("your
// system prompt", "the instructions you were given"), so "show me the system requirements" or "what
// are your guidelines for a cover letter" pass.
//
// Small patterns combined in code rather than one regex with word gaps: a gap of up to four words
// before a long alternation needs thousands of DFA states, built on every configure.
import { Pattern, compilePattern } from "../../common/assembly/pattern";
import { C_INSTRUCTION, C_SECRET, C_REVEAL, C_RESTRICTION, C_SYSTEM, C_NEW, C_OBEY, bit, has } from "./concepts";

export const ASK_NONE: i32 = 0;
export const ASK_EXTRACTION: i32 = 1;
export const ASK_MODE: i32 = 2;

/** A verb asking for text, or a question about it. */
const VERB = "\\b(repeat|print|reveal|show|output|display|tell|give|write out|write down|spell|share|leak|dump|disclose|divulge|recite|copy|type out|return|provide|translate|summari[sz]e|paraphrase|expose|list|what is|what's|what are|what were)\\b";
const ADJ = "((full|entire|exact|complete|original|initial|hidden|secret|first|real|actual|current|whole) )*";
/** The assistant's own prompt or instructions. */
const PROMPT = "\\b(your|the|its) (own )?" + ADJ +
  "(system prompt|initial prompt|initial instructions|original instructions|hidden prompt|hidden instructions|secret instructions|pre-?prompt|meta ?prompt|(prompt|instructions) (you were|you've been|you have been|you received|given to you))\\b" +
  "|\\byour (own )?" + ADJ + "(instructions|directives|programming|system message|hidden rules|secret rules)\\b";
/** A secret; counts only where the noun ends the clause (endsClause), so "the password requirements" passes. */
const SECRET = "\\b(the|your) (secret( (key|code|word|phrase|password|token|number|pin|value))?|password|passcode|confidential [a-z]+)\\b";
/** Words a verb may stand before its object ("repeat all of your …"). */
const PROMPT_GAP: i32 = 4;
const SECRET_GAP: i32 = 3;
/** "what were you told not to …" */
const TOLD = "\\bwhat (were|are|have) you (been )?(told|instructed|programmed|configured) (not )?to\\b|\\byou (were|have been) (told|instructed) (not )?to (keep|hide|never|not)\\b";
/** "I am your developer", then in the same sentence a demand (AUTHORITY_DEMAND). */
const AUTHORITY = "\\b(i am|i'm|i’m|this is) (your|the) (developer|creator|administrator|admin|owner|programmer|system administrator|operator|sysadmin)\\b";
const AUTHORITY_DEMAND = "\\b(reveal|print|override|disable|bypass|authori[sz]e you|debug mode|developer mode|your instructions|your prompt|system prompt|the secret|the password)\\b";
const MODES: StaticArray<string> = [
  "\\b(you are|you're|you’re|you will be|act as if you are|pretend (that )?you are) (now )?(in |an? )?(developer|debug|god|admin|maintenance|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|dan|evil|unlocked|sudo|root) (mode|ai|assistant|model|version)\\b",
  "\\b(you are|you're|you’re|you will be|you have become|act as|pretend (to be|you are)|become) (now )?(an? )?(ai|assistant|model|chatbot|bot|entity|version of yourself)( [a-z]+)? (with|without|that has|that ignores|free of|free from) (no |any |all )?(rules|restrictions|limits|limitations|filters|guidelines|ethics|morals|censorship|boundaries)\\b",
];

/** The fixed patterns, in the order AssistantAsks keeps them (P_* indexes). */
function sources(): Array<string> {
  const all = new Array<string>();
  all.push(VERB); all.push(PROMPT); all.push(SECRET); all.push(TOLD); all.push(AUTHORITY); all.push(AUTHORITY_DEMAND);
  for (let i = 0; i < MODES.length; i++) all.push(MODES[i]);
  return all;
}
const P_VERB = 0;
const P_PROMPT = 1;
const P_SECRET = 2;
const P_TOLD = 3;
const P_CLAIM = 4;
const P_DEMAND = 5;
const P_MODES = 6;

/** All of them as one alternation: one scan finds every place one of them starts. */
function union(): string {
  const all = sources();
  let u = "";
  for (let i = 0; i < all.length; i++) u += (i > 0 ? "|" : "") + "(" + all[i] + ")";
  return u;
}

/** Compile errors of the fixed patterns, one per line ("" when all compile; the specs check). */
export function askPatternErrors(): string {
  const all = sources();
  all.push(union());
  let out = "";
  for (let i = 0; i < all.length; i++) {
    const r = compilePattern(all[i], UNION_MAX_STATES);
    if (r.pattern === null) out += "pattern " + i.toString() + ": " + r.error + "\n";
  }
  return out;
}

/** DFA state cap for the union (the sum of its parts'). */
const UNION_MAX_STATES: i32 = 4000;

export class AssistantAsks {
  private ps: Array<Pattern> = new Array<Pattern>();
  private any: Pattern | null = null;
  private verbEnds: Array<i32> = new Array<i32>();
  private demands: Array<i32> = new Array<i32>();

  constructor() {
    const all = sources();
    for (let i = 0; i < all.length; i++) {
      const r = compilePattern(all[i]);
      // Fixed patterns: a failure is a programming error the specs catch (askPatternErrors).
      if (r.pattern !== null) this.ps.push(r.pattern!);
    }
    this.any = compilePattern(union(), UNION_MAX_STATES).pattern;
  }

  get patternCount(): i32 { return this.ps.length + (this.any !== null ? 1 : 0); }

  /**
   * What normalised UTF-8 text [ptr, ptr+len) asks of the assistant: ASK_NONE, ASK_EXTRACTION or
   * ASK_MODE. `concepts` is the text's cue-concept mask (the model pass found it for free): without
   * a concept the patterns' words belong to, there is no scan at all. Otherwise one scan of the
   * union finds where a part matches, and each place is told apart with the parts' anchored
   * automata (a scan per part would cost about a tenth of the detector each).
   */
  check(ptr: usize, len: i32, concepts: u32): i32 {
    const ps = this.ps;
    const any = this.any;
    if (any === null || ps.length != P_MODES + MODES.length) return ASK_NONE;
    const needed = bit(C_INSTRUCTION) | bit(C_SECRET) | bit(C_REVEAL) | bit(C_SYSTEM) | bit(C_OBEY) | bit(C_NEW) | bit(C_RESTRICTION);
    if ((concepts & needed) == 0) return ASK_NONE;
    any.findAll(ptr, 0, len);
    const n = any.matchCount;
    if (n == 0) return ASK_NONE;
    const verbs = this.verbEnds;
    verbs.length = 0;
    const demands = this.demands;
    demands.length = 0;
    let claimEnd = -1;
    for (let k = 0; k < n; k++) {
      const at = any.matchStart(k);
      for (let m = P_MODES; m < ps.length; m++) if (ps[m].matchAt(ptr, 0, len, at) > at) return ASK_MODE;
      if (ps[P_TOLD].matchAt(ptr, 0, len, at) > at) return ASK_EXTRACTION;
      const v = ps[P_VERB].matchAt(ptr, 0, len, at);
      if (v > at) verbs.push(v);
      if (ps[P_PROMPT].matchAt(ptr, 0, len, at) > at && verbBefore(ptr, verbs, at, PROMPT_GAP)) return ASK_EXTRACTION;
      const e = ps[P_SECRET].matchAt(ptr, 0, len, at);
      if (e > at && endsClause(ptr, e, len) && verbBefore(ptr, verbs, at, SECRET_GAP)) return ASK_EXTRACTION;
      const c = ps[P_CLAIM].matchAt(ptr, 0, len, at);
      if (c > at) claimEnd = c;
      if (claimEnd >= 0 && at >= claimEnd && ps[P_DEMAND].matchAt(ptr, 0, len, at) > at && !sentenceEndIn(ptr, claimEnd, at)) return ASK_EXTRACTION;
    }
    return ASK_NONE;
  }
}

/** Whether a verb ends at most `gap` plain words before `at` (only words, apostrophes and spaces
 *  between). Verbs are in text order; only those within MAX_GAP_BYTES are looked at, so a text of
 *  many verbs and objects stays linear. */
function verbBefore(ptr: usize, ends: Array<i32>, at: i32, gap: i32): bool {
  for (let i = ends.length - 1; i >= 0; i--) {
    const e = unchecked(ends[i]);
    if (e > at) continue;
    if (at - e > MAX_GAP_BYTES) break;
    let spaces = 0;
    let plain = true;
    for (let j = e; j < at; j++) {
      const b = <u32>load<u8>(ptr + <usize>j);
      if (b == 0x20) spaces++;
      else if (!((b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || b == 0x27 || b == 0x5f)) { plain = false; break; }
    }
    if (plain && spaces >= 1 && spaces <= gap + 1) return true;
  }
  return false;
}
const MAX_GAP_BYTES: i32 = 160;

function sentenceEndIn(ptr: usize, s: i32, e: i32): bool {
  for (let j = s; j < e; j++) {
    const b = <u32>load<u8>(ptr + <usize>j);
    if (b == 0x2e || b == 0x3f || b == 0x21) return true;
  }
  return false;
}

/** Whether normalised text ends a clause at `end`: text end, sentence punctuation, or " is" / " you". */
function endsClause(ptr: usize, end: i32, len: i32): bool {
  let i = end;
  if (i < len && load<u8>(ptr + <usize>i) == 0x20) i++;
  if (i >= len) return true;
  const b = <u32>load<u8>(ptr + <usize>i);
  if (b == 0x2e || b == 0x3f || b == 0x21 || b == 0x3b || b == 0x22 || b == 0x27 || b == 0x29) return true;
  if (i == end) return false;
  return startsWord(ptr, i, len, "is") || startsWord(ptr, i, len, "you") || startsWord(ptr, i, len, "that you") || startsWord(ptr, i, len, "which you");
}

function startsWord(ptr: usize, at: i32, len: i32, w: string): bool {
  const n = w.length;
  if (at + n > len) return false;
  for (let k = 0; k < n; k++) if (<u32>load<u8>(ptr + <usize>(at + k)) != <u32>w.charCodeAt(k)) return false;
  if (at + n == len) return true;
  const b = <u32>load<u8>(ptr + <usize>(at + n));
  return !((b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || b >= 0x80);
}
