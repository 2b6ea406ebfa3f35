// Detector.scanStream's cut on one buffer (not the last): where an entity could still begin.
import { Detector, Match } from "../detect";
import { compilePattern, Dictionary } from "../../../common/assembly/pattern";

function cutOf(d: Detector, s: string): i32 {
  const b = Uint8Array.wrap(String.UTF8.encode(s));
  const out = new Array<Match>();
  return d.scanStream(b, 0, 0, b.length, false, out);
}

/** Byte length of the released prefix `p` (the cut must fall right after it). */
function len(p: string): i32 { return String.UTF8.byteLength(p); }

const d = new Detector();

describe("scanStream cut", () => {
  it("plain prose: after a space nothing is held, mid-word only the word", () => {
    expect(cutOf(d, "Explain the difference between TCP and UDP. ")).toBe(len("Explain the difference between TCP and UDP. "));
    expect(cutOf(d, "Explain the differ")).toBe(len("Explain the "));
    expect(cutOf(d, "Grüße aus Köln, wie geht")).toBe(len("Grüße aus Köln, wie "));
  });
  it("digit and IBAN groups are held from their first group, also after a trailing space", () => {
    expect(cutOf(d, "card 4111 1111 1111 ")).toBe(len("card "));
    expect(cutOf(d, "call (415) ")).toBe(len("call "));
    expect(cutOf(d, "call +44 20 7946")).toBe(len("call "));
    expect(cutOf(d, "IBAN DE89 3704 ")).toBe(len("IBAN "));
    expect(cutOf(d, "in 2023 ")).toBe(len("in "));
    // Capital words are no group start unless they look like an IBAN's country code and check digits.
    expect(cutOf(d, "NASA AND THE ")).toBe(len("NASA AND THE "));
  });
  it("an unfinished PEM header, an open PEM block and a JWT still going are held from their start", () => {
    expect(cutOf(d, "key -----BEGIN RSA PRIV")).toBe(len("key "));
    expect(cutOf(d, "key -----BEGIN EC PRIVATE KEY-----\nMHcCAQEE IIrYSSNQ ")).toBe(len("key "));
    expect(cutOf(d, "t eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIx")).toBe(len("t "));
  });
  it("a secret label and '=' are context, not held; the value is", () => {
    expect(cutOf(d, "password = ")).toBe(len("password = "));
    expect(cutOf(d, "password = Xk9#mP")).toBe(len("password = "));
  });
  it("a complete entity followed by a decided byte goes out", () => {
    expect(cutOf(d, "mail jane@example.com now ")).toBe(len("mail jane@example.com now "));
    expect(cutOf(d, "host 10.0.0.1, ")).toBe(len("host 10.0.0.1, "));
  });
  it("custom detectors: held while the automaton or the trie walk is alive at the end", () => {
    const c = new Detector(0);
    c.addPattern(compilePattern("(?i)project[ -](falcon|osprey)").pattern!, 40);
    const dict = new Dictionary();
    dict.add("Umbrella Health Group");
    c.addDictionary(dict, 41);
    expect(cutOf(c, "about project ")).toBe(len("about "));
    expect(cutOf(c, "about projects ")).toBe(len("about projects "));
    expect(cutOf(c, "the Umbrella Health ")).toBe(len("the "));
    expect(cutOf(c, "the Umbrella Corp ")).toBe(len("the Umbrella Corp "));
  });
});
