// Fixed word lists as one string literal each. An AssemblyScript array of string literals costs a
// static array plus every literal's header in the module (about 10 bytes a word more than one
// literal of words), and the lists are matched as UTF-8 anyway.

/** The UTF-8 bytes of each word of `text`, in order: words are split at spaces and newlines. */
export function encodeWords(text: string): Array<Uint8Array> {
  const out = new Array<Uint8Array>();
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text.charCodeAt(i) > 0x20) continue;
    if (i > start) out.push(Uint8Array.wrap(String.UTF8.encode(text.substring(start, i))));
    start = i + 1;
  }
  return out;
}
