// What one stream found: counts by entity and direction, the first blocked entity, whether any
// byte changed. Written to filter state (docs/contract.md) and metrics by stream.ts.
import { ByteBuilder } from "../../common/assembly/bytes/builder";

export class Counts {
  names: Array<string> = new Array<string>();
  counts: Array<i32> = new Array<i32>();

  /** Index of the name added last: dense text repeats one entity type, checked by identity first. */
  private last: i32 = -1;

  add(name: string, n: i32 = 1): void {
    const names = this.names;
    const l = this.last;
    if (l >= 0 && changetype<usize>(unchecked(names[l])) == changetype<usize>(name)) { unchecked((this.counts[l] += n)); return; }
    for (let i = 0; i < names.length; i++) {
      if (unchecked(names[i]) == name) { unchecked((this.counts[i] += n)); this.last = i; return; }
    }
    this.last = names.length;
    names.push(name);
    this.counts.push(n);
  }

  get total(): i32 {
    let t = 0;
    for (let i = 0; i < this.counts.length; i++) t += this.counts[i];
    return t;
  }

  /** `{"EMAIL":2,"CREDIT_CARD":1}` (names are [A-Z0-9_], no escaping needed). */
  toJson(): string {
    const b = new ByteBuilder(32);
    b.appendByte(0x7b);
    for (let i = 0; i < this.names.length; i++) {
      if (i > 0) b.appendByte(0x2c);
      b.appendByte(0x22).appendString(this.names[i]).appendByte(0x22).appendByte(0x3a).appendI32(this.counts[i]);
    }
    b.appendByte(0x7d);
    return b.toString();
  }
}

export class Findings {
  request: Counts = new Counts();
  response: Counts = new Counts();
  /** Entity name that blocked the request ("" = none). */
  blocked: string = "";
  /** Whether the filter changed a body (masked, hashed, tokenized or restored). */
  changed: bool = false;
  restored: i32 = 0;

  /** Why the request was refused unread ("" = it was not): `compressed`, `binary`. */
  refused: string = "";

  /** `pass`, `masked`, `blocked:<TYPE>` or `refused:<why>` (aigw.pii.action). */
  action(): string {
    if (this.refused.length > 0) return "refused:" + this.refused;
    if (this.blocked.length > 0) return "blocked:" + this.blocked;
    return this.changed ? "masked" : "pass";
  }
}
