// Handing a rewritten body to the host in pieces within one callback, so that a large event is
// never held whole a second time as output. Envoy's setBuffer (source/extensions/common/wasm/
// context.cc, Buffer::copyFrom): start 0 with the callback's size replaces the body; a start at or
// past the current size appends.
import { proxy_set_buffer_bytes } from "../../common/sdk/abi";
import { ByteBuilder } from "../../common/assembly/bytes/builder";

export class BodySink {
  private type: u32 = 0;
  private bodySize: u32 = 0;
  /** Bytes handed to the host in this callback (0: none yet, the first piece replaces the body). */
  written: i64 = 0;
  /** Whether a callback that may flush is running (else flush does nothing). */
  active: bool = false;

  begin(type: u32, bodySize: u32): void {
    this.type = type;
    this.bodySize = bodySize;
    this.written = 0;
    this.active = true;
  }

  /** Hands out[0, length) to the host after what was handed before, then empties `out`. */
  flush(out: ByteBuilder): void {
    if (!this.active || out.length == 0) return;
    const n = out.length;
    if (this.written == 0) proxy_set_buffer_bytes(this.type, 0, this.bodySize, out.dataStart, <usize>n);
    else proxy_set_buffer_bytes(this.type, <u32>this.written, 0, out.dataStart, <usize>n);
    this.written += n;
    out.reset();
  }

  end(): void { this.active = false; }
}
