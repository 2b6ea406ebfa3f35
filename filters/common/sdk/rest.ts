// Garbage collection at rest, for modules built with AssemblyScript's `minimal` runtime (a filter's
// asconfig.json: "runtime": "minimal"; llm-route uses it).
//
// Why: the default `incremental` runtime finds references held in locals through a shadow stack,
// so every function that holds one pushes a frame and calls a stack-overflow check, small getters
// included (they are then too big to inline): about a quarter of llm-route's Wasm time. The
// `minimal` runtime has no shadow stack; its collector (std/assembly/rt/tcms.ts) marks from globals
// and pinned objects only, so it may run only when no reference lives in a local: after the
// outermost exported callback returns. Exports that the host calls while another is running (a
// host that calls back re-entrantly, or `malloc` during a host call) never collect.
//
// When: the collector does not count bytes for us, so the work each callback had is counted: the
// bytes the host handed it (memory.ts takeReturned: bodies, header maps, properties), plus a
// constant per callback, which bounds what it can allocate; a filter whose garbage is not
// proportional to that adds its own (`addWork`: llm-route per stream event, so a chunk of
// hundreds of tiny events counts as what it costs);
// a collection runs at rest once WORK_BUDGET is used up, or as soon as linear memory had to grow
// (garbage is reclaimed before the heap grows again). Between two collections the garbage is at
// most a few times WORK_BUDGET, so memory stays bounded under any traffic.
//
// In modules built with the incremental runtime every function here compiles to nothing.

/** Work per callback besides the bytes the host returned to it. */
const CALLBACK_WORK: u32 = 4096;
/** Work between two collections (bytes). */
const WORK_BUDGET: u64 = 1 << 20;

let depth: i32 = 0;
let work: u64 = 0;
let pagesAtLastCollect: i32 = 0;

// @ts-ignore: decorator
@inline export function enter(): void {
  if (ASC_RUNTIME == 1) depth++;
}

/** Work a callback did beyond its bytes (e.g. per parsed event), counted toward the next collection. */
// @ts-ignore: decorator
@inline export function addWork(bytes: u32): void {
  if (ASC_RUNTIME == 1) work += <u64>bytes;
}

/** The callback that `enter` began returns. */
// @ts-ignore: decorator
@inline export function leave(): void {
  if (ASC_RUNTIME == 1) atRest();
}

function atRest(): void {
  depth--;
  if (depth > 0) return;
  depth = 0;
  work += <u64>CALLBACK_WORK;
  const pages = memory.size();
  if (work < WORK_BUDGET && pages == pagesAtLastCollect) return;
  collectNow();
}

/** Collects now (only at rest: nothing may be referenced from a local). */
function collectNow(): void {
  __collect();
  work = 0;
  pagesAtLastCollect = memory.size();
}
