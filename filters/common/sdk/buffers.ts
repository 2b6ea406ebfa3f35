// Body and configuration buffers. Envoy's semantics (source/extensions/common/wasm/context.cc,
// Context::setBuffer / Buffer::copyFrom):
//   get: bytes [start, start+length) of the current buffer; while a filter buffers a body
//        (StopIterationAndBuffer) the buffer is the whole body accumulated so far.
//   set: start == 0 drains `length` bytes then prepends the data; start >= size appends;
//        anything else is BadArgument.
import { proxy_get_buffer_bytes, proxy_set_buffer_bytes, BufferType, HeaderMapType, WasmResult } from "./abi";
import { removeHeader } from "./headers";
import { RET_PTR, RET_SIZE, resetReturned, takeReturned } from "./memory";

/** Bytes [start, start+length) of a buffer; empty when the buffer is absent or empty. */
export function getBufferBytes(type: u32, start: u32, length: u32): ArrayBuffer {
  if (length == 0) return new ArrayBuffer(0);
  resetReturned();
  const r = proxy_get_buffer_bytes(type, start, length, RET_PTR, RET_SIZE);
  const buf = takeReturned();
  if (r != WasmResult.Ok) return new ArrayBuffer(0);
  return buf;
}

/** Replaces the first `length` bytes of a buffer with `data` (length = current size replaces all). */
export function setBufferBytes(type: u32, start: u32, length: u32, data: ArrayBuffer): u32 {
  return proxy_set_buffer_bytes(type, start, length, changetype<usize>(data), data.byteLength);
}

/** Replaces the whole body visible in this callback (`currentSize` as passed to the callback). */
export function replaceBody(type: u32, currentSize: u32, data: ArrayBuffer): u32 {
  return setBufferBytes(type, 0, currentSize, data);
}

/** replaceBody from memory the filter owns (a builder's bytes): no copy into an ArrayBuffer first. */
export function replaceBodyFrom(type: u32, currentSize: u32, ptr: usize, length: i32): u32 {
  return proxy_set_buffer_bytes(type, 0, currentSize, ptr, <usize>length);
}

/** Appends bytes after the body visible in this callback. */
export function appendBody(type: u32, currentSize: u32, data: ArrayBuffer): u32 {
  return setBufferBytes(type, currentSize, 0, data);
}

/** Envoy does not fix content-length after a filter changes a body, and a stale value makes the
 *  upstream (or client) cut or wait for bytes. A filter that may rewrite a body calls this from
 *  its headers callback, while the headers are still its to change. */
export function allowBodyRewrite(headers: u32): void {
  removeHeader(headers, "content-length");
}

export function getPluginConfiguration(size: u32): ArrayBuffer {
  return getBufferBytes(BufferType.PluginConfiguration, 0, size);
}

export function getVmConfiguration(size: u32): ArrayBuffer {
  return getBufferBytes(BufferType.VmConfiguration, 0, size);
}

