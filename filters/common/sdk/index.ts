// The SDK layer: the only code in the project that imports @solo-io/proxy-runtime.
// Filters import from here; their entry file also re-exports "./exports".
export * from "./abi";
export { RootContext, HttpContext, registerRootContext } from "./context";
export * from "./headers";
export * from "./buffers";
export * from "./properties";
export * from "./stream";
export * from "./time";
export * from "./metrics";
export * from "./shared";
export * from "./log";
export { addWork } from "./rest";
export { httpCall, grpcCall, CallResult, httpCallResponseHeaders, httpCallResponseHeader, httpCallResponseBody, httpCallResponseStatus, grpcReceiveMessage } from "./calls";
