// One instantiated Wasm VM: imports, memory helpers, context registry, and the call wrapper that
// turns a trap (or proc_exit) into a failed VM the way proxy-wasm-cpp-host does
// (src/wasm.cc WasmBase::fail, src/context.cc CHECK_FAIL).
import { fromUtf8, utf8, WasmResult } from "./abi.ts";

export class ProcExit extends Error {
  constructor(public code: number) { super(`proc_exit(${code})`); }
}

export type AbiVersion = "0.2.0" | "0.2.1";

/** Detects the ABI from the exported marker function, like BytecodeUtil::getAbiVersion. */
export function detectAbi(module: WebAssembly.Module): AbiVersion {
  const names = WebAssembly.Module.exports(module).map((e) => e.name);
  if (names.includes("proxy_abi_version_0_2_1")) return "0.2.1";
  if (names.includes("proxy_abi_version_0_2_0")) return "0.2.0";
  if (names.includes("proxy_abi_version_0_1_0")) throw new Error("proxy-wasm ABI 0.1.0 is not supported by host-test");
  throw new Error("Wasm module does not export a proxy_abi_version_* marker (not a proxy-wasm module?)");
}

export interface VmContextLike { id: number; rootId: number }

export class Vm {
  instance!: WebAssembly.Instance;
  memory!: WebAssembly.Memory;
  exports!: Record<string, any>;
  failed = false;
  failure = "";
  /** Context of the running VM call and the effective context chosen by set_effective_context. */
  current: VmContextLike | null = null;
  effectiveId = 0;
  /** proxy_send_local_response sets this: the callback's result becomes stop-all/no-buffer. */
  stopNextIteration = false;
  lastCallStopped = false;
  afterCall: Array<() => void> = [];
  depth = 0;

  constructor(public abi: AbiVersion, private onFail: (fn: string, message: string) => void) {}

  instantiate(module: WebAssembly.Module, imports: WebAssembly.Imports): void {
    // Envoy refuses modules that import something it does not provide; WebAssembly does too.
    this.instance = new WebAssembly.Instance(module, imports);
    this.exports = this.instance.exports as Record<string, any>;
    const mem = this.exports.memory;
    if (!(mem instanceof WebAssembly.Memory)) throw new Error("Wasm module does not export its memory");
    this.memory = mem;
    if (!this.exports.malloc && !this.exports.proxy_on_memory_allocate) {
      throw new Error("Wasm module is missing malloc function.");
    }
  }

  has(fn: string): boolean { return typeof this.exports[fn] === "function"; }

  /** Calls an export. Returns undefined if it is missing or the VM failed (trap/proc_exit). */
  call(ctx: VmContextLike | null, fn: string, ...args: Array<number | bigint>): number | undefined {
    if (this.failed || !this.has(fn)) return undefined;
    const savedCurrent = this.current, savedEffective = this.effectiveId;
    this.current = ctx; this.effectiveId = 0; this.depth++;
    let result: number | undefined;
    try {
      const r = this.exports[fn](...args);
      result = typeof r === "bigint" ? Number(r) : (r ?? 0);
    } catch (e) {
      this.fail(fn, e);
      result = undefined;
    } finally {
      this.current = savedCurrent; this.effectiveId = savedEffective; this.depth--;
    }
    // proxy_send_local_response during this call turns its result into stop (captured before the
    // deferred actions run, since they may call into the VM again).
    const stopped = this.stopNextIteration;
    this.stopNextIteration = false;
    // DeferAfterCallActions: run actions queued by host calls once the outermost call returns.
    if (this.depth === 0) {
      while (this.afterCall.length) this.afterCall.shift()!();
    }
    this.lastCallStopped = stopped;
    return result;
  }

  failureStack = "";
  fail(fn: string, e: unknown): void {
    if (this.failed) return;
    this.failed = true;
    const msg = e instanceof ProcExit ? `Uncaught ProcExit: ${e.message}`
      : e instanceof WebAssembly.RuntimeError ? `Uncaught RuntimeError: ${e.message}`
      : `Uncaught ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
    this.failure = `Function: ${fn} failed: ${msg}`;
    // The Wasm frames of the trap (function names with a debug build), for fuzz reports.
    this.failureStack = e instanceof Error && e.stack ? e.stack.split("\n").filter((l) => l.includes("wasm")).slice(0, 12).join("\n") : "";
    this.onFail(fn, this.failure);
  }

  // ---- memory ------------------------------------------------------------------------------
  // One DataView per memory buffer (a new one only after memory.grow replaced the buffer), not
  // one per host call.
  private dv: DataView | null = null;
  private view(): DataView {
    const b = this.memory.buffer;
    if (this.dv === null || this.dv.buffer !== b) this.dv = new DataView(b);
    return this.dv;
  }
  inBounds(ptr: number, len: number): boolean { return ptr >= 0 && len >= 0 && ptr + len <= this.memory.buffer.byteLength; }
  read(ptr: number, len: number): Uint8Array | null {
    ptr >>>= 0; len >>>= 0;
    const b = this.memory.buffer; // one accessor call (V8 checks the buffer each time)
    if (ptr + len > b.byteLength) return null;
    // The host's own copy, as Envoy copies. new + set measured fastest in Node 20 (ArrayBuffer
    // slice is ~2× slower, a view's slice() ~1.3×).
    const out = new Uint8Array(len);
    out.set(new Uint8Array(b, ptr, len));
    return out;
  }
  /** UTF-8 text at ptr (decoded straight from guest memory: the decoder copies, no slice first). */
  readString(ptr: number, len: number): string | null {
    ptr >>>= 0; len >>>= 0;
    if (!this.inBounds(ptr, len)) return null;
    return fromUtf8(new Uint8Array(this.memory.buffer, ptr, len));
  }
  setU32(ptr: number, v: number): boolean { ptr >>>= 0; if (!this.inBounds(ptr, 4)) return false; this.view().setUint32(ptr, v >>> 0, true); return true; }
  setU64(ptr: number, v: bigint): boolean { ptr >>>= 0; if (!this.inBounds(ptr, 8)) return false; this.view().setBigUint64(ptr, BigInt.asUintN(64, v), true); return true; }
  /** Allocates guest memory through the module's malloc (WasmBase::allocMemory). */
  alloc(size: number): number | null {
    const fn = this.exports.malloc ?? this.exports.proxy_on_memory_allocate;
    const p = fn(size) >>> 0;
    if (p === 0 && size > 0) return null;
    return p;
  }
  /** copyToPointerSize: allocate, copy, write (ptr,size); empty data writes (0,0). */
  writeOut(data: Uint8Array | string, ptrPtr: number, sizePtr: number): number {
    const bytes = typeof data === "string" ? utf8(data) : data;
    let p = 0;
    if (bytes.length > 0) {
      const a = this.alloc(bytes.length);
      if (a === null || !this.inBounds(a, bytes.length)) return WasmResult.InvalidMemoryAccess;
      new Uint8Array(this.memory.buffer, a, bytes.length).set(bytes);
      p = a;
    }
    if (!this.setU32(ptrPtr, p) || !this.setU32(sizePtr, bytes.length)) return WasmResult.InvalidMemoryAccess;
    return WasmResult.Ok;
  }
}
