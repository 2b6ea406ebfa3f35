// Process-wide state that Envoy keeps across all VMs of a worker set: shared data and shared
// queues, keyed by vm_id. Several loadPlugin() calls with the same vmId behave like the VMs of
// several Envoy workers: they see one key/value store and one set of queues.
// Semantics follow proxy-wasm-cpp-host src/shared_data.cc and src/shared_queue.cc exactly:
// no delete, no key listing over the ABI, CAS 0 = unconditional, every write gets a new CAS.
import { WasmResult } from "./abi.ts";

interface Entry { value: Uint8Array; cas: number }

let nextCas = 0;
const data = new Map<string, Map<string, Entry>>();

function newCas(): number {
  nextCas = (nextCas + 1) >>> 0;
  if (nextCas === 0) nextCas = 1; // cpp-host skips 0: it means "no CAS check"
  return nextCas;
}

export const sharedData = {
  get(vmId: string, key: string): { result: number; value?: Uint8Array; cas?: number } {
    const e = data.get(vmId)?.get(key);
    if (!e) return { result: WasmResult.NotFound };
    return { result: WasmResult.Ok, value: e.value, cas: e.cas };
  },
  set(vmId: string, key: string, value: Uint8Array, cas: number): number {
    let m = data.get(vmId);
    if (!m) { m = new Map(); data.set(vmId, m); }
    const e = m.get(key);
    if (e && cas !== 0 && cas !== e.cas) return WasmResult.CasMismatch;
    m.set(key, { value: value.slice(), cas: newCas() });
    return WasmResult.Ok;
  },
  /** Test helper (not an ABI operation): a snapshot of one vm_id's store as strings. */
  snapshot(vmId: string): Record<string, string> {
    const o: Record<string, string> = {};
    for (const [k, e] of data.get(vmId) ?? []) o[k] = Buffer.from(e.value).toString("utf8");
    return o;
  },
};

export interface QueueOwner { onQueueReady(contextId: number, token: number): void }
interface Queue { items: Uint8Array[]; owner: QueueOwner; contextId: number }
let nextQueueToken = 0;
const queueTokens = new Map<string, number>(); // `${vmId}\0${name}` -> token
const queues = new Map<number, Queue>();

export const sharedQueues = {
  register(vmId: string, name: string, owner: QueueOwner, rootContextId: number): number {
    const key = `${vmId}\0${name}`;
    let token = queueTokens.get(key);
    if (token === undefined) {
      do { nextQueueToken = (nextQueueToken + 1) >>> 0; } while (nextQueueToken === 0 || queues.has(nextQueueToken));
      token = nextQueueToken;
      queueTokens.set(key, token);
      queues.set(token, { items: [], owner, contextId: rootContextId });
    } else {
      // Re-registration points the queue at the new VM/context and preserves its data.
      const q = queues.get(token)!;
      q.owner = owner; q.contextId = rootContextId;
    }
    return token;
  },
  resolve(vmId: string, name: string): number { return queueTokens.get(`${vmId}\0${name}`) ?? 0; },
  enqueue(token: number, value: Uint8Array): number {
    const q = queues.get(token);
    if (!q) return WasmResult.NotFound;
    q.items.push(value.slice());
    // Envoy posts proxy_on_queue_ready to the owner's thread; here: after the current VM call.
    queueMicrotask(() => q.owner.onQueueReady(q.contextId, token));
    return WasmResult.Ok;
  },
  dequeue(token: number): { result: number; value?: Uint8Array } {
    const q = queues.get(token);
    if (!q) return { result: WasmResult.NotFound };
    const v = q.items.shift();
    if (!v) return { result: WasmResult.Empty };
    return { result: WasmResult.Ok, value: v };
  },
};

/** Forgets all shared data and queues (between independent test suites in one process). */
export function resetSharedState(): void {
  data.clear(); queueTokens.clear(); queues.clear();
}
