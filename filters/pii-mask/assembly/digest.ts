// Keyed digests for `hash` pseudonyms and `tokenize` placeholders: HMAC-SHA256 (RFC 2104) with the
// configured secret over (purpose, entity type, scope, value), so
//   - the same value gives the same token within one scope (caches see equal prompts),
//   - another tenant (scope) or purpose gives an unrelated token,
//   - without the secret nobody can test guesses offline.
// The SHA-256/HMAC code is shared with the auth filter (filters/common/assembly/crypto).
import { hmac } from "../../common/assembly/crypto/hmac";
import { HashAlg } from "../../common/assembly/crypto/sha2";
import { ByteBuilder } from "../../common/assembly/bytes/builder";

export const PURPOSE_HASH: u8 = 0x68; // 'h'
export const PURPOSE_TOKEN: u8 = 0x74; // 't'

const DOMAIN: StaticArray<u8> = [0x70, 0x69, 0x69, 0x2d, 0x6d, 0x61, 0x73, 0x6b, 0x2f, 0x76, 0x31]; // "pii-mask/v1"
const HEX: StaticArray<u8> = [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66];

export class Digester {
  private msg: ByteBuilder = new ByteBuilder(128);
  constructor(private secret: Uint8Array, private hexLength: i32) {}

  /** Appends `hexLength` lowercase hex digits of HMAC(secret, purpose|type|scope|value) to out. */
  appendToken(out: ByteBuilder, purpose: u8, type: Uint8Array, scope: Uint8Array, src: Uint8Array, start: i32, end: i32): void {
    const m = this.msg;
    m.reset();
    // Unambiguous framing: fixed purpose byte, then NUL-separated fields (type names and scopes hold
    // no NUL; the value comes last so it needs no terminator).
    m.appendStatic(DOMAIN).appendByte(0).appendByte(purpose).appendByte(0);
    m.appendBytes(type).appendByte(0);
    m.appendBytes(scope).appendByte(0);
    m.appendSlice(src, start, end);
    const tag = hmac(HashAlg.SHA256, this.secret, m.toBytes());
    const n = this.hexLength;
    for (let i = 0; i < n; i++) {
      const b = tag[i >> 1];
      out.appendByte(unchecked(HEX[(i & 1) == 0 ? b >> 4 : b & 15]));
    }
  }
}
