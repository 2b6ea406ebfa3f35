// Protocol Buffers wire format (protobuf.dev/programming-guides/encoding): enough to build and
// read the small messages of gRPC services Envoy's filters call (varints, length-delimited
// fields). Writing nested messages: build the inner message in its own ProtoWriter, then
// `bytes(field, inner.toBytes())`. Reading never traps: a malformed message reads as `ok = false`.
import { ByteBuilder } from "../bytes/builder";

export namespace WireType {
  export const VARINT = 0;
  export const I64 = 1;
  export const LEN = 2;
  export const I32 = 5;
}

export class ProtoWriter {
  out: ByteBuilder;
  constructor(capacity: i32 = 64) { this.out = new ByteBuilder(capacity); }

  varint(v: u64): ProtoWriter {
    while (v >= 0x80) {
      this.out.appendByte(<u8>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    this.out.appendByte(<u8>v);
    return this;
  }

  private tag(field: i32, wire: i32): void { this.varint((<u64>field << 3) | <u64>wire); }

  /** A varint field; proto3 leaves 0 out. */
  uint(field: i32, v: u64): ProtoWriter {
    if (v == 0) return this;
    this.tag(field, WireType.VARINT);
    return this.varint(v);
  }

  bytes(field: i32, b: Uint8Array): ProtoWriter {
    this.tag(field, WireType.LEN);
    this.varint(<u64>b.length);
    this.out.appendBytes(b);
    return this;
  }

  /** A string field (UTF-8); proto3 leaves "" out. */
  string(field: i32, s: string): ProtoWriter {
    if (s.length == 0) return this;
    return this.bytes(field, Uint8Array.wrap(String.UTF8.encode(s)));
  }

  toBytes(): Uint8Array { return this.out.toBytes(); }
}

/** Reads fields in order: `next()` then `field`, `wire` and `varint()` / `bytes()`. */
export class ProtoReader {
  pos: i32;
  ok: bool = true;
  field: i32 = 0;
  wire: i32 = 0;
  /** The current field's value: the varint, or for LEN the [start, end) of its bytes. */
  value: u64 = 0;
  start: i32 = 0;
  end: i32 = 0;

  constructor(public buf: Uint8Array, from: i32 = 0, public limit: i32 = -1) {
    this.pos = from;
    if (limit < 0 || limit > buf.length) this.limit = buf.length;
  }

  private readVarint(): u64 {
    let v: u64 = 0;
    for (let shift: u64 = 0; shift < 64; shift += 7) {
      if (this.pos >= this.limit) { this.ok = false; return 0; }
      const b = unchecked(this.buf[this.pos++]);
      v |= <u64>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    this.ok = false;
    return 0;
  }

  /** Advances to the next field; false at the end or on malformed input. */
  next(): bool {
    if (!this.ok || this.pos >= this.limit) return false;
    const tag = this.readVarint();
    if (!this.ok) return false;
    this.field = <i32>(tag >> 3);
    this.wire = <i32>(tag & 7);
    if (this.field == 0) { this.ok = false; return false; }
    if (this.wire == WireType.VARINT) { this.value = this.readVarint(); return this.ok; }
    if (this.wire == WireType.LEN) {
      const n = this.readVarint();
      if (!this.ok || n > <u64>(this.limit - this.pos)) { this.ok = false; return false; }
      this.start = this.pos;
      this.end = this.pos + <i32>n;
      this.pos = this.end;
      return true;
    }
    if (this.wire == WireType.I64) return this.skip(8);
    if (this.wire == WireType.I32) return this.skip(4);
    this.ok = false;
    return false;
  }

  private skip(n: i32): bool {
    if (this.limit - this.pos < n) { this.ok = false; return false; }
    this.pos += n;
    return true;
  }

  /** A reader over the current LEN field (a nested message). */
  nested(): ProtoReader { return new ProtoReader(this.buf, this.start, this.end); }
  string(): string { return String.UTF8.decodeUnsafe(this.buf.dataStart + <usize>this.start, <usize>(this.end - this.start)); }
}
