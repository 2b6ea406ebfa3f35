// proxy-runtime 0.1.8 imports __retain/__release from AssemblyScript 0.14's reference-counting
// runtime. AssemblyScript >= 0.18 replaced reference counting with a tracing GC whose equivalent
// for "keep this host-visible object alive" is pinning.
export function __retain(ptr: usize): usize {
  return __pin(ptr);
}
export function __release(ptr: usize): void {
  __unpin(ptr);
}
