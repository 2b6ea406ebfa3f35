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
import { Pattern, CompileResult, compilePattern, DEFAULT_MAX_STATES, DEFAULT_MAX_LENGTH } from "../../common/assembly/pattern";
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { C_INSTRUCTION, C_SECRET, C_REVEAL, C_RESTRICTION, C_SYSTEM, C_NEW, C_OBEY, C_ROLE, C_PREVIOUS, C_IGNORE, C_INSTEAD, bit } from "./concepts";
import { PART_ASK_CUE } from "./features";
import { isClauseMark } from "./normalize";
import { patternSource, patternBytes, patternByteLength, ASK_EXTRACTION_FIRST, ASK_EXTRACTION_COUNT, ASK_MODES_COUNT, ASK_TASKS_COUNT, ASK_ADDRESSED_COUNT, ASK_DROPS_COUNT, ASK_PERSONAS_COUNT, ASK_MORE_COUNT,
  LIST_OTHER_ACTION_FIRST, LIST_SECRET_AFTER_FIRST, LIST_PROMPT_AFTER_FIRST, LIST_NOT_DEMANDED_FIRST } from "./model/patterns";
import { decimal } from "../../common/assembly/bytes/decimal";

export const ASK_NONE: i32 = 0;
export const ASK_EXTRACTION: i32 = 1;
export const ASK_MODE: i32 = 2;
export const ASK_TASK: i32 = 3;
/** Text addressed to an AI that reads it (patterns/asks.ts ADDRESSED). */
export const ASK_ADDRESSED: i32 = 4;
/** Concepts the patterns' words belong to: a text with none of them is not scanned (nor copied). */
export const ASK_CONCEPTS: u32 = bit(PART_ASK_CUE) | bit(C_INSTEAD) | bit(C_IGNORE) | bit(C_INSTRUCTION) | bit(C_SECRET) | bit(C_REVEAL) | bit(C_SYSTEM) | bit(C_OBEY) | bit(C_NEW) | bit(C_RESTRICTION) | bit(C_ROLE) | bit(C_PREVIOUS);

/** Words a verb may stand before its object ("repeat all of your …"). */
const PROMPT_GAP: i32 = 4;
const SECRET_GAP: i32 = 4;
/** The fixed patterns (patterns/asks.ts), in the order AssistantAsks keeps them (P_* indexes). */
function sources(): Array<string> {
  const all = new Array<string>();
  for (let i = 0; i < P_END; i++) all.push(patternSource(ASK_EXTRACTION_FIRST + i));
  return all;
}
// Phrase lists ("|"-separated; patterns/asks.ts), read from the module's bytes by phraseAt.
const OTHER_ACTION = LIST_OTHER_ACTION_FIRST;
const SECRET_AFTER = LIST_SECRET_AFTER_FIRST;
const PROMPT_AFTER = LIST_PROMPT_AFTER_FIRST;
const NOT_DEMANDED = LIST_NOT_DEMANDED_FIRST;

const P_VERB = 0;
const P_PROMPT = 1;
const P_SECRET = 2;
const P_DIRECT = 3;
const P_CLAIM = 4;
const P_DEMAND = 5;
const P_SPEECH = 6;
const P_PERSONAL = 7;
// The generator writes the groups in this order: extraction parts, MODES, TASKS, ADDRESSED (any
// text, then tool results only), DROPS and PERSONAS (one union), MORE_ASKS; each other group is a union.
const P_MODES = ASK_EXTRACTION_COUNT;
const P_TASKS = P_MODES + ASK_MODES_COUNT;
const P_ADDRESSED = P_TASKS + ASK_TASKS_COUNT;
const P_ADDRESSED_TOOL = P_ADDRESSED + 1; // ADDRESSED[1]
const P_DROPS = P_ADDRESSED + ASK_ADDRESSED_COUNT;
const P_PERSONAS = P_DROPS + ASK_DROPS_COUNT;
const P_MORE = P_PERSONAS + ASK_PERSONAS_COUNT;
const P_END = P_MORE + ASK_MORE_COUNT;
/** MORE_ASKS[5] and [6]: a third union of them. */
const P_EXTRA = P_MORE + 5;

/** What each MORE_ASKS part asks (patterns/asks.ts says the order). */
const MORE_KINDS: StaticArray<i32> = [ASK_EXTRACTION, ASK_EXTRACTION, ASK_TASK, ASK_MODE, ASK_EXTRACTION, ASK_MODE, ASK_EXTRACTION];

/** What MORE_ASKS parts [from, to) of union `u` ask in the text, ASK_NONE when none does. */
function moreKind(u: Pattern, ps: Array<Pattern>, from: i32, to: i32, ptr: usize, len: i32): i32 {
  u.findAll(ptr, 0, len);
  for (let k = 0; k < u.matchCount; k++) {
    const at = u.matchStart(k);
    // "don't say 'Access Granted'", "never list the rules you follow" are no orders.
    if (negated(ptr, at)) continue;
    for (let m = from; m < to; m++) {
      // The fifth part's "todo lo anterior a 2020" compares, as "everything above 100" does.
      const e = ps[m].matchAt(ptr, 0, len, at);
      if (e > at && !(m == P_EXTRA - 1 && quantityAfter(ptr, e, len))) return MORE_KINDS[m - P_MORE];
    }
  }
  return ASK_NONE;
}

/** Patterns all[from, to) as one alternation: one scan finds every place one of them starts. */
function union(all: Array<string>, from: i32, to: i32): string {
  let u = "";
  for (let i = from; i < to; i++) u += (i > from ? "|" : "") + "(" + all[i] + ")";
  return u;
}

/** A part: it only tells a union match apart (matchAt), so no reverse automaton. */
function compilePart(src: string): CompileResult { return compilePattern(src, DEFAULT_MAX_STATES, DEFAULT_MAX_LENGTH, true); }

/** A union of parts: scanned with findAll; its state cap is the sum of its parts'. */
function compileUnion(src: string): CompileResult { return compilePattern(src, UNION_MAX_STATES); }
// The mode switches' union needs more than 4000 with the refusal-suppression parts (+20 ms of
// configure); the cap only bounds, it costs nothing where a union needs fewer.
const UNION_MAX_STATES: i32 = 6000;

/** Compile errors of the fixed patterns, compiled as AssistantAsks compiles them, one per line (""
 *  when all compile; the specs check). */
export function askPatternErrors(): string {
  const all = sources();
  let out = "";
  for (let i = 0; i < all.length; i++) {
    const r = compilePart(all[i]);
    if (r.pattern === null) out += "part " + decimal(i) + ": " + r.error + "\n";
  }
  const unions = [union(all, 0, P_MODES), union(all, P_MODES, P_TASKS), union(all, P_TASKS, P_ADDRESSED), union(all, P_ADDRESSED, P_DROPS), union(all, P_DROPS, P_MORE), union(all, P_MORE, P_MORE + 2), union(all, P_MORE + 2, P_EXTRA), union(all, P_EXTRA, P_END)];
  for (let i = 0; i < unions.length; i++) {
    const r = compileUnion(unions[i]);
    if (r.pattern === null) out += "union " + decimal(i) + ": " + r.error + "\n";
  }
  return out;
}

export class AssistantAsks {
  private ps: Array<Pattern> = new Array<Pattern>();
  /** The extraction parts' union, and the mode parts'. */
  private asks: Pattern | null = null;
  private modes: Pattern | null = null;
  private tasks: Pattern | null = null;
  private addressed: Pattern | null = null;
  /** DROPS and PERSONAS, one union (one scan). */
  private drops: Pattern | null = null;
  /** MORE_ASKS: its extraction parts, and its task and mode parts. */
  private shows: Pattern | null = null;
  private more: Pattern | null = null;
  private extra: Pattern | null = null;
  private verbEnds: Array<i32> = new Array<i32>();
  private speechEnds: Array<i32> = new Array<i32>();
  private demands: Array<i32> = new Array<i32>();

  constructor() {
    const all = sources();
    for (let i = 0; i < all.length; i++) {
      const r = compilePart(all[i]);
      // Fixed patterns: a failure is a programming error the specs catch (askPatternErrors).
      if (r.pattern !== null) this.ps.push(r.pattern!);
    }
    this.asks = compileUnion(union(all, 0, P_MODES)).pattern;
    this.modes = compileUnion(union(all, P_MODES, P_TASKS)).pattern;
    this.tasks = compileUnion(union(all, P_TASKS, P_ADDRESSED)).pattern;
    // A union of its own: folded into the tasks' union it needs more than 4000 states, and
    // configure took 0.2 s longer.
    this.addressed = compileUnion(union(all, P_ADDRESSED, P_DROPS)).pattern;
    // Also its own: in the tasks' union these took it past its state cap.
    // The dropped-text and persona parts: in the task and mode switches' unions they took those
    // past their state cap.
    this.drops = compileUnion(union(all, P_DROPS, P_MORE)).pattern;
    // The asks the others had no room for (patterns/asks.ts MORE_ASKS): the two extraction parts
    // (any match is one), then the task and mode parts (one union of all four passes the state cap).
    this.shows = compileUnion(union(all, P_MORE, P_MORE + 2)).pattern;
    this.more = compileUnion(union(all, P_MORE + 2, P_EXTRA)).pattern;
    // The rest: the others are at their state cap.
    this.extra = compileUnion(union(all, P_EXTRA, P_END)).pattern;
  }

  get patternCount(): i32 { return this.ps.length + (this.asks !== null ? 1 : 0) + (this.modes !== null ? 1 : 0) + (this.tasks !== null ? 1 : 0) + (this.addressed !== null ? 1 : 0) + (this.drops !== null ? 1 : 0) + (this.shows !== null ? 1 : 0) + (this.more !== null ? 1 : 0) + (this.extra !== null ? 1 : 0); }

  /**
   * What normalised UTF-8 text [ptr, ptr+len) asks of the assistant: ASK_NONE, ASK_EXTRACTION or
   * ASK_MODE, ASK_TASK or ASK_ADDRESSED (`tool`: a tool result, where a note to the AI counts too).
   * The caller passes texts after plainInto, `cued` when their cue concepts (found for free by the
   * model pass) include one of ASK_CONCEPTS, `reader` when a word names an AI reader: only those
   * scans run. One scan of the union finds where a part
   * matches, and each place is told apart with the parts' anchored automata (a scan per part
   * would cost about a tenth of the detector each).
   */
  check(ptr: usize, len: i32, tool: bool, cued: bool, reader: bool): i32 {
    const ps = this.ps;
    const asks = this.asks;
    const modes = this.modes;
    const tasks = this.tasks;
    const addressed = this.addressed;
    const drops = this.drops;
    const shows = this.shows;
    const more = this.more;
    const extra = this.extra;
    if (asks === null || modes === null || tasks === null || addressed === null || drops === null || shows === null || more === null || extra === null || ps.length != P_END) return ASK_NONE;
    if (reader) {
      addressed.findAll(ptr, 0, len);
      for (let k = 0; k < addressed.matchCount; k++) {
        const at = addressed.matchStart(k);
        if (ps[P_ADDRESSED].matchAt(ptr, 0, len, at) > at || (tool && ps[P_ADDRESSED_TOOL].matchAt(ptr, 0, len, at) > at)) return ASK_ADDRESSED;
      }
    }
    if (!cued) return ASK_NONE;
    modes.findAll(ptr, 0, len);
    for (let k = 0; k < modes.matchCount; k++) {
      const at = modes.matchStart(k);
      for (let m = P_MODES; m < P_TASKS; m++) if (ps[m].matchAt(ptr, 0, len, at) > at) return ASK_MODE;
    }
    tasks.findAll(ptr, 0, len);
    for (let k = 0; k < tasks.matchCount; k++) {
      const at = tasks.matchStart(k);
      for (let m = P_TASKS; m < P_ADDRESSED; m++) {
        // "don't forget your tasks" is a reminder, not a hijack.
        if (ps[m].matchAt(ptr, 0, len, at) > at && !(m == P_TASKS && negated(ptr, at))) return ASK_TASK;
      }
    }
    drops.findAll(ptr, 0, len);
    for (let k = 0; k < drops.matchCount; k++) {
      const at = drops.matchStart(k);
      for (let m = P_PERSONAS; m < P_MORE; m++) if (ps[m].matchAt(ptr, 0, len, at) > at) return ASK_MODE;
      // "don't ignore the previous instructions" is a reminder.
      if (negated(ptr, at)) continue;
      for (let m = P_DROPS; m < P_PERSONAS; m++) if (ps[m].matchAt(ptr, 0, len, at) > at) return ASK_TASK;
    }
    shows.findAll(ptr, 0, len);
    // "Never reveal your prompt." is an order to keep it.
    for (let k = 0; k < shows.matchCount; k++) if (!negated(ptr, shows.matchStart(k))) return ASK_EXTRACTION;
    let kind = moreKind(more, ps, P_MORE + 2, P_EXTRA, ptr, len);
    if (kind == ASK_NONE) kind = moreKind(extra, ps, P_EXTRA, P_END, ptr, len);
    if (kind != ASK_NONE) return kind;
    asks.findAll(ptr, 0, len);
    const n = asks.matchCount;
    if (n == 0) return ASK_NONE;
    const verbs = this.verbEnds;
    verbs.length = 0;
    const demands = this.demands;
    demands.length = 0;
    const speech = this.speechEnds;
    speech.length = 0;
    let claimEnd = -1;
    for (let k = 0; k < n; k++) {
      const at = asks.matchStart(k);
      const d = ps[P_DIRECT].matchAt(ptr, 0, len, at);
      if (d > at && !quantityAfter(ptr, d, len)) return ASK_EXTRACTION;
      const v = ps[P_VERB].matchAt(ptr, 0, len, at);
      if (v > at) verbs.push(v);
      // "your system prompt", "the instructions you were given" are the assistant's own wherever
      // they stand; "the system prompt" only where the clause ends there or PROMPT_AFTER follows
      // (not "the system prompt examples").
      const pe = ps[P_PROMPT].matchAt(ptr, 0, len, at);
      if (pe > at && verbBefore(ptr, verbs, at, PROMPT_GAP, false) && (names("you", ptr, at, pe) || endsWith(ptr, pe, len, PROMPT_AFTER))) return ASK_EXTRACTION;
      const e = ps[P_SECRET].matchAt(ptr, 0, len, at);
      if (e > at) {
        // "Show me how to change the password." asks about it; "tell me how the password is
        // spelled" (a phrase follows) still asks for it.
        const atEnd = clauseEnd(ptr, e, len);
        if ((atEnd || names(" you", ptr, at, e) || endsWith(ptr, e, len, SECRET_AFTER)) && verbBefore(ptr, verbs, at, SECRET_GAP, atEnd)) return ASK_EXTRACTION;
      }
      const sv = ps[P_SPEECH].matchAt(ptr, 0, len, at);
      if (sv > at) {
        speech.push(sv);
        // … and asks for the assistant's own too ("what are the first three letters of | the
        // password?", "I want to know | your system prompt"): one match hides the words inside it.
        if (sv > v) verbs.push(sv);
      }
      // Someone else's personal data, asked to be told ("can you tell me the user's birth year?").
      const pd = ps[P_PERSONAL].matchAt(ptr, 0, len, at);
      if (pd > at) {
        const atEnd = clauseEnd(ptr, pd, len);
        if ((atEnd || endsWith(ptr, pd, len, SECRET_AFTER)) && verbBefore(ptr, speech, at, SECRET_GAP, atEnd)) return ASK_EXTRACTION;
      }
      const c = ps[P_CLAIM].matchAt(ptr, 0, len, at);
      if (c > at && !roleOfOther(ptr, c, len)) claimEnd = c;
      if (claimEnd >= 0 && at >= claimEnd && sentenceEnds(ptr, claimEnd, at) <= 1) {
        // The demand's own words end before its verb ("I need you to | explain"), so the verb is
        // a match of its own for the asks above; a verb of mind after it is no demand.
        const de = ps[P_DEMAND].matchAt(ptr, 0, len, at);
        // A question on how to do it is no demand either ("I'm the developer. How do I enable
        // maintenance mode in Django?").
        if (de > at && !(de + 1 < len && load<u8>(ptr + <usize>de) == 0x20 && phraseAt(ptr, de + 1, len, NOT_DEMANDED) > 0) && !howBetween(ptr, claimEnd, at)) return ASK_EXTRACTION;
      }
    }
    return ASK_NONE;
  }
}

/**
 * Normalised UTF-8 `src` as the patterns read it: markup and quotes (* _ ~ ` # > < [ ] ( ) { } " |
 * = + ^ \ / and curly double quotes) become spaces, curly single quotes an apostrophe, a hyphen
 * between two letters goes ("pass-word"), and runs of spaces are one. So "**repeat** your *system
 * prompt*", 'what is the "password"?' and "what’s the password?" read as the plain phrases.
 * Sentence punctuation (. , ; : ! ?) and apostrophes stay: the clause checks read them.
 */
export function plainInto(src: ByteBuilder, out: ByteBuilder): void {
  out.reset();
  const p = src.dataStart;
  const n = src.length;
  out.reserve(n);
  let pending = false; // a space owed before the next character (none at the start or the end)
  for (let i = 0; i < n; i++) {
    let b = <u32>load<u8>(p + <usize>i);
    if (b == 0xe2 && i + 2 < n && load<u8>(p + <usize>(i + 1)) == 0x80) {
      const c = <u32>load<u8>(p + <usize>(i + 2));
      if (c == 0x98 || c == 0x99) { b = 0x27; i += 2; } // ‘ ’
      else if (c == 0x9c || c == 0x9d) { b = 0x20; i += 2; } // “ ”
    }
    if (b == 0x2d && i > 0 && i + 1 < n && isLetter(<u32>load<u8>(p + <usize>(i - 1))) && isLetter(<u32>load<u8>(p + <usize>(i + 1)))) continue;
    if (b == 0x20 || isMarkup(b)) { pending = out.length > 0; continue; }
    // A clause mark right after markup ('"password"?') closes up to its word, as the text had it.
    if (pending && !isClauseMark(b)) out.appendByte(0x20);
    pending = false;
    out.appendByte(<u8>b);
  }
}

@inline function isLetter(b: u32): bool { return b - 0x61 < 26; }


@inline function isMarkup(b: u32): bool {
  return b == 0x2a || b == 0x5f || b == 0x7e || b == 0x60 || b == 0x23 || b == 0x3e || b == 0x3c || b == 0x5b || b == 0x5d ||
    b == 0x28 || b == 0x29 || b == 0x7b || b == 0x7d || b == 0x22 || b == 0x7c || b == 0x3d || b == 0x2b || b == 0x5e || b == 0x5c || b == 0x2f;
}

/** Whether a verb ends at most `gap` plain words before `at` (only words, apostrophes, colons and
 *  spaces between: "then show: your system instructions"). Verbs are in text order; only those within MAX_GAP_BYTES are looked at, so a text of
 *  many verbs and objects stays linear. */
function verbBefore(ptr: usize, ends: Array<i32>, at: i32, gap: i32, checkOther: bool): bool {
  for (let i = ends.length - 1; i >= 0; i--) {
    const e = unchecked(ends[i]);
    if (e > at) continue;
    if (at - e > MAX_GAP_BYTES) break;
    let spaces = 0;
    let plain = true;
    for (let j = e; j < at; j++) {
      const b = <u32>load<u8>(ptr + <usize>j);
      if (b == 0x20) spaces++;
      else if (!((b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || b == 0x27 || b == 0x5f || b == 0x3a)) { plain = false; break; }
    }
    if (plain && spaces >= 1 && spaces <= gap + 1 && !(checkOther && otherAction(ptr, e, at))) return true;
  }
  return false;
}
const MAX_GAP_BYTES: i32 = 160;


/** Whether plain words [s, e) hold an OTHER_ACTION word, or an infinitive "to" (not "to me", "to us"). */
function otherAction(ptr: usize, s: i32, e: i32): bool {
  let i = s;
  while (i < e) {
    while (i < e && load<u8>(ptr + <usize>i) == 0x20) i++;
    const w = i;
    while (i < e && load<u8>(ptr + <usize>i) != 0x20) i++;
    if (i == w) break;
    if (i - w == 2 && load<u8>(ptr + <usize>w) == 0x74 && load<u8>(ptr + <usize>(w + 1)) == 0x6f) {
      // "to" + "me"/"us" is the recipient ("reveal to me the password").
      const n = i + 3 <= e ? <u32>load<u16>(ptr + <usize>(i + 1)) : 0;
      if (n != 0x656d && n != 0x7375) return true;
    } else if (phraseAt(ptr, w, i, OTHER_ACTION) == i - w) return true;
  }
  return false;
}


/** Whether the word "how" stands in [s, e). */
function howBetween(ptr: usize, s: i32, e: i32): bool {
  for (let i = s; i + 4 <= e; i++) if (load<u32>(ptr + <usize>i) == 0x20776f68 && (i == 0 || load<u8>(ptr + <usize>(i - 1)) == 0x20)) return true; // "how "
  return false;
}

/** Whether a claimed role is of something else ("I'm the administrator | of a WordPress site",
 *  "the developer | at a startup", "the owner | for our team"): no claim on the assistant. */
function roleOfOther(ptr: usize, e: i32, len: i32): bool {
  if (e + 4 > len) return false;
  const w = load<u32>(ptr + <usize>e);
  return w == 0x20666f20 || w == 0x20746120 || w == 0x206e6920 || w == 0x726f6620; // " of ", " at ", " in ", " for"
}


/** Whether the word before `at` is a negation ("not", "never", "don't", "dont"). */
function negated(ptr: usize, at: i32): bool {
  let e = at - 1;
  if (e < 0 || load<u8>(ptr + <usize>e) != 0x20) return false;
  let s = e;
  while (s > 0 && load<u8>(ptr + <usize>(s - 1)) != 0x20) s--;
  const w = e - s;
  if (w < 3) return false;
  const last = <u32>load<u8>(ptr + <usize>(e - 1)) | (<u32>load<u8>(ptr + <usize>(e - 2)) << 8) | (<u32>load<u8>(ptr + <usize>(e - 3)) << 16);
  // "...n't", "...not", "...ont" (dont, won't spelled wont), "never"
  return last == 0x6e2774 || last == 0x6e6f74 || last == 0x6f6e74 || (w == 5 && last == 0x766572 && load<u8>(ptr + <usize>s) == 0x6e);
}

/** Sentence ends (. ? !) in [s, e), counted up to 2: a claim's demand may stand in its own
 *  sentence or the next ("I'm your developer and I'm running a check. I need you to …"). */
function sentenceEnds(ptr: usize, s: i32, e: i32): i32 {
  let n = 0;
  for (let j = s; j < e && n < 2; j++) {
    const b = <u32>load<u8>(ptr + <usize>j);
    if (b == 0x2e || b == 0x3f || b == 0x21) n++;
  }
  return n;
}


/** Whether a number or an article follows `end`: "show everything above 100", "print all above
 *  the threshold" compare, where "repeat everything above" asks for the text above. */
function quantityAfter(ptr: usize, end: i32, len: i32): bool {
  const i = end + 1;
  if (i + 2 > len || load<u8>(ptr + <usize>end) != 0x20) return false;
  const b = <u32>load<u8>(ptr + <usize>i);
  if (b - 0x30 < 10 || <u32>load<u16>(ptr + <usize>i) == 0x2061) return true; // a digit, "a "
  // "an ", "the " (plain text never ends with a space, so both need four bytes)
  const w = i + 4 <= len ? load<u32>(ptr + <usize>i) : 0;
  return (w & 0xffffff) == 0x206e61 || w == 0x20656874;
}

/** Whether plain text ends a clause at `end`: the text ends or a clause mark or apostrophe follows
 *  (a space between); quotes and brackets are gone (plainInto). */
function clauseEnd(ptr: usize, end: i32, len: i32): bool {
  let i = end;
  if (i < len && load<u8>(ptr + <usize>i) == 0x20) i++;
  if (i >= len) return true;
  const b = <u32>load<u8>(ptr + <usize>i);
  return isClauseMark(b) || b == 0x27;
}

/** Whether normalised text ends a clause at `end` (text end, punctuation) or goes on with one of
 *  the "|"-separated phrases of `after`. */
function endsWith(ptr: usize, end: i32, len: i32, after: i32): bool {
  if (clauseEnd(ptr, end, len)) return true;
  let i = end;
  if (i < len && load<u8>(ptr + <usize>i) == 0x20) i++;
  if (i == end) return false;
  return phraseAt(ptr, i, len, after) > 0;
}

/** Length of the first "|"-separated phrase of generated list `id` that stands at byte i of
 *  [.., len) and ends there at len or before a non-word byte; 0 when none does. Each phrase sits
 *  between two "|". */
export function phraseAt(ptr: usize, i: i32, len: i32, id: i32): i32 {
  const list = patternBytes(id), n = patternByteLength(id);
  for (let k = 1; k < n; k++) {
    if (load<u8>(list + <usize>(k - 1)) != 0x7c) continue;
    const j = phraseLengthAt(list, k, n, ptr, i, len);
    if (j > 0 && (i + j == len || !wordByte(<u32>load<u8>(ptr + <usize>(i + j))))) return j;
  }
  return 0;
}

/** 1 + the index of the first "|"-separated phrase of generated list `id` standing at byte i of
 *  [.., len), whatever follows it; 0 when none does. */
export function phraseIndexAt(ptr: usize, i: i32, len: i32, id: i32): i32 {
  const list = patternBytes(id), n = patternByteLength(id);
  let index = 0;
  for (let k = 1; k < n; k++) {
    if (load<u8>(list + <usize>(k - 1)) != 0x7c) continue;
    index++;
    if (phraseLengthAt(list, k, n, ptr, i, len) > 0) return index;
  }
  return 0;
}

/** The length of the list's phrase starting at list[k] (up to its "|") when ptr[i, len) starts with
 *  it; 0 when not. */
function phraseLengthAt(list: usize, k: i32, n: i32, ptr: usize, i: i32, len: i32): i32 {
  let j = 0;
  while (k + j < n && load<u8>(list + <usize>(k + j)) != 0x7c && i + j < len && load<u8>(ptr + <usize>(i + j)) == load<u8>(list + <usize>(k + j))) j++;
  return k + j < n && load<u8>(list + <usize>(k + j)) == 0x7c ? j : 0;
}

@inline function wordByte(b: u32): bool { return (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || b >= 0x80; }

/** Whether bytes [s, e) hold `w` ("you" also finds "your"). */
export function names(w: string, ptr: usize, s: i32, e: i32): bool {
  const n = w.length;
  for (let i = s; i + n <= e; i++) {
    let k = 0;
    while (k < n && <u32>load<u8>(ptr + <usize>(i + k)) == <u32>w.charCodeAt(k)) k++;
    if (k == n) return true;
  }
  return false;
}

