// Shared data (key/value with compare-and-swap, visible to every VM with the same vm_id on this
// proxy) and shared queues. Envoy offers get and set-with-CAS only: no delete, no key listing.
// proxy-runtime 0.1.8 passes wrong pointers for both get and set; these pass the return slots.
import {
  proxy_dequeue_shared_queue, proxy_enqueue_shared_queue, proxy_get_shared_data, proxy_register_shared_queue,
  proxy_resolve_shared_queue, proxy_set_shared_data, WasmResult,
} from "./abi";
import { RET_PTR, RET_SIZE, RET_U64, resetReturned, takeReturned } from "./memory";

export class SharedValue {
  constructor(public value: ArrayBuffer, public cas: u32) {}
}

/** The value and its CAS token, or null when the key was never set. */
export function getSharedData(key: string): SharedValue | null {
  const k = String.UTF8.encode(key);
  resetReturned();
  store<u32>(RET_U64, 0);
  const r = proxy_get_shared_data(changetype<usize>(k), k.byteLength, RET_PTR, RET_SIZE, RET_U64);
  const value = takeReturned();
  if (r != WasmResult.Ok) return null;
  return new SharedValue(value, load<u32>(RET_U64));
}

/** Sets `key`. With cas = 0 the write is unconditional; otherwise it succeeds only if the key's
 *  CAS still equals `cas` (else WasmResult.CasMismatch). */
export function setSharedData(key: string, value: ArrayBuffer, cas: u32 = 0): u32 {
  const k = String.UTF8.encode(key);
  return proxy_set_shared_data(changetype<usize>(k), k.byteLength, changetype<usize>(value), value.byteLength, cas);
}

export function registerSharedQueue(name: string): u32 {
  const n = String.UTF8.encode(name);
  store<u32>(RET_U64, 0);
  if (proxy_register_shared_queue(changetype<usize>(n), n.byteLength, RET_U64) != WasmResult.Ok) return 0;
  return load<u32>(RET_U64);
}

/** Token of a queue registered by a VM with id `vmId`, or 0 when there is none. */
export function resolveSharedQueue(vmId: string, name: string): u32 {
  const v = String.UTF8.encode(vmId);
  const n = String.UTF8.encode(name);
  store<u32>(RET_U64, 0);
  if (proxy_resolve_shared_queue(changetype<usize>(v), v.byteLength, changetype<usize>(n), n.byteLength, RET_U64) != WasmResult.Ok) return 0;
  return load<u32>(RET_U64);
}

export function enqueueSharedQueue(token: u32, data: ArrayBuffer): u32 {
  return proxy_enqueue_shared_queue(token, changetype<usize>(data), data.byteLength);
}

/** Next item, or null when the queue is empty or unknown. */
export function dequeueSharedQueue(token: u32): ArrayBuffer | null {
  resetReturned();
  const r = proxy_dequeue_shared_queue(token, RET_PTR, RET_SIZE);
  const data = takeReturned();
  if (r != WasmResult.Ok) return null;
  return data;
}
