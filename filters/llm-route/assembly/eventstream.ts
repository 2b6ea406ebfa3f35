// The AWS event-stream binary framing (application/vnd.amazon.eventstream), as Bedrock's
// ConverseStream answers: each message is
//   total length u32 BE | headers length u32 BE | prelude CRC32 (of the 8 bytes before)
//   | headers | payload | message CRC32 (of everything before it)
// and a header is name length u8, name, value type u8, value (type 7 string: u16 BE length + bytes).
// Both CRCs are checked (CRC-32/ISO-HDLC, the zlib one). Only the message being read is buffered.
import { ByteBuilder } from "../../common/assembly/bytes/builder";

const CRC_TABLE = new StaticArray<u32>(256);
for (let n: u32 = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c;
}

export function crc32(b: Uint8Array, s: i32, e: i32): u32 {
  let c: u32 = 0xffffffff;
  for (let i = s; i < e; i++) c = unchecked(CRC_TABLE[(c ^ unchecked(b[i])) & 0xff]) ^ (c >>> 8);
  return c ^ 0xffffffff;
}

function be32(b: Uint8Array, at: i32): u32 {
  return (<u32>b[at] << 24) | (<u32>b[at + 1] << 16) | (<u32>b[at + 2] << 8) | <u32>b[at + 3];
}

export class EsMessage {
  names: Array<string> = new Array<string>();
  values: Array<string> = new Array<string>();
  payload: Uint8Array = new Uint8Array(0);
  header(name: string): string {
    for (let i = 0; i < this.names.length; i++) if (this.names[i] == name) return this.values[i];
    return "";
  }
}

export namespace EsError {
  export const NONE = 0;
  export const BAD_LENGTH = 1;
  export const PRELUDE_CRC = 2;
  export const MESSAGE_CRC = 3;
  export const BAD_HEADER = 4;
}

export class EventStreamDecoder {
  error: i32 = EsError.NONE;
  private buf: ByteBuilder = new ByteBuilder(1024);
  messages: Array<EsMessage> = new Array<EsMessage>();

  constructor(public maxMessage: i32 = 1 << 20) {}

  get buffered(): i32 { return this.buf.length; }

  /** Feeds bytes; complete messages are appended to `messages`. Returns an EsError (sticky). */
  feed(chunk: Uint8Array, s: i32, e: i32): i32 {
    if (this.error != EsError.NONE) return this.error;
    this.buf.appendSlice(chunk, s, e);
    const b = this.buf.raw();
    let at = 0;
    const n = this.buf.length;
    while (n - at >= 12) {
      const total = <i32>be32(b, at);
      const hlen = <i32>be32(b, at + 4);
      if (total < 16 || total > this.maxMessage || hlen < 0 || hlen > total - 16) { this.error = EsError.BAD_LENGTH; return this.error; }
      if (crc32(b, at, at + 8) != be32(b, at + 8)) { this.error = EsError.PRELUDE_CRC; return this.error; }
      if (n - at < total) break;
      if (crc32(b, at, at + total - 4) != be32(b, at + total - 4)) { this.error = EsError.MESSAGE_CRC; return this.error; }
      const m = new EsMessage();
      if (!readHeaders(b, at + 12, at + 12 + hlen, m)) { this.error = EsError.BAD_HEADER; return this.error; }
      const ps = at + 12 + hlen, pe = at + total - 4;
      const p = new Uint8Array(pe - ps);
      memory.copy(p.dataStart, b.dataStart + <usize>ps, <usize>(pe - ps));
      m.payload = p;
      this.messages.push(m);
      at += total;
    }
    if (at > 0) {
      // Keep only the incomplete message's bytes.
      const rest = n - at;
      memory.copy(b.dataStart, b.dataStart + <usize>at, <usize>rest);
      this.buf.truncate(rest);
    }
    return EsError.NONE;
  }

  take(): Array<EsMessage> {
    const m = this.messages;
    this.messages = new Array<EsMessage>();
    return m;
  }
}

/** Header values: strings kept; other types skipped by their size (none matter to Converse). */
function readHeaders(b: Uint8Array, s: i32, e: i32, m: EsMessage): bool {
  let at = s;
  while (at < e) {
    const nl = <i32>b[at];
    if (at + 1 + nl + 1 > e) return false;
    const name = String.UTF8.decodeUnsafe(b.dataStart + <usize>(at + 1), <usize>nl);
    at += 1 + nl;
    const t = b[at++];
    let size = 0;
    if (t == 0 || t == 1) size = 0;
    else if (t == 2) size = 1;
    else if (t == 3) size = 2;
    else if (t == 4) size = 4;
    else if (t == 5 || t == 8) size = 8;
    else if (t == 9) size = 16;
    else if (t == 6 || t == 7) {
      if (at + 2 > e) return false;
      size = (<i32>b[at] << 8) | <i32>b[at + 1];
      at += 2;
      if (at + size > e) return false;
      if (t == 7) { m.names.push(name); m.values.push(String.UTF8.decodeUnsafe(b.dataStart + <usize>at, <usize>size)); }
    } else return false;
    if (at + size > e) return false;
    at += size;
  }
  return true;
}
