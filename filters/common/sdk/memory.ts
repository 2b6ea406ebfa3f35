// Memory shared with the host.
//
// The host allocates every buffer it returns through our exported `malloc` (proxy-runtime's,
// which creates a pinned ArrayBuffer: `__retain` is bridged to `__pin`, see stdlib-bridge/).
// It writes the buffer's address and size into two return slots we pass by pointer. `takeReturned`
// unpins that buffer and hands it to the garbage collector like any other object.

export { malloc } from "@solo-io/proxy-runtime/assembly/malloc";
import { addWork } from "./rest";

/** Two u32 return slots (address, size) in static memory: never moved or collected. */
export const RET_PTR: usize = memory.data(8);
export const RET_SIZE: usize = RET_PTR + 4;
/** One u64 return slot (time, metric values, log level, tokens, cas). */
export const RET_U64: usize = memory.data(8);

/** Clears the return slots before a host call that may leave them untouched. */
// @ts-ignore: decorator
@inline export function resetReturned(): void {
  store<u32>(RET_PTR, 0);
  store<u32>(RET_SIZE, 0);
}

/** Takes ownership of the buffer the host returned through RET_PTR/RET_SIZE. */
export function takeReturned(): ArrayBuffer {
  const ptr = <usize>load<u32>(RET_PTR);
  const size = load<u32>(RET_SIZE);
  store<u32>(RET_PTR, 0);
  store<u32>(RET_SIZE, 0);
  if (ptr == 0) return new ArrayBuffer(0);
  addWork(size); // bytes now in guest memory, for the at-rest collector's budget (rest.ts)
  const buffer = changetype<ArrayBuffer>(ptr);
  __unpin(ptr);
  // A host may legitimately return fewer bytes than it allocated; never expose more.
  if (<u32>buffer.byteLength != size) return buffer.slice(0, <i32>size);
  return buffer;
}

// @ts-ignore: decorator
@inline export function bufferPtr(b: ArrayBuffer): usize {
  return changetype<usize>(b);
}
