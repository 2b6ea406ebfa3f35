// Candidate matches of one scan, before overlaps are resolved (detector.ts).

/** Parallel growable arrays (no allocation once grown), resolved (sorted, overlaps removed) at the end of a scan. */
export class Candidates {
  type: StaticArray<i32> = new StaticArray<i32>(64);
  start: StaticArray<i32> = new StaticArray<i32>(64);
  end: StaticArray<i32> = new StaticArray<i32>(64);
  prio: StaticArray<i32> = new StaticArray<i32>(64);
  length: i32 = 0;
  /**
   * Stream rescans (Detector.scanStream): the offset of the previous cut. No candidate of the whole
   * stream crosses it, so one that does here is an artefact of the shortened left context (a token
   * cut in the middle looks like it starts there) and is dropped. i32.MIN_VALUE: none.
   */
  barrier: i32 = i32.MIN_VALUE;
  clear(): void { this.length = 0; }
  /** Whether [start, end) crosses the barrier (then add() drops it). */
  @inline crosses(start: i32, end: i32): bool { return start < this.barrier && end > this.barrier; }
  add(type: i32, start: i32, end: i32, prio: i32): void {
    if (this.crosses(start, end)) return;
    const n = this.length;
    if (n == this.type.length) this.grow();
    unchecked(this.type[n] = type); unchecked(this.start[n] = start);
    unchecked(this.end[n] = end); unchecked(this.prio[n] = prio);
    this.length = n + 1;
  }
  private grow(): void {
    const cap = this.type.length << 1;
    this.type = growTo(this.type, cap); this.start = growTo(this.start, cap);
    this.end = growTo(this.end, cap); this.prio = growTo(this.prio, cap);
  }
}

function growTo(a: StaticArray<i32>, cap: i32): StaticArray<i32> {
  const b = new StaticArray<i32>(cap);
  memory.copy(changetype<usize>(b), changetype<usize>(a), <usize>a.length << 2);
  return b;
}

