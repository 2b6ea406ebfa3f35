// The proxy-wasm ABI as this project's filters see it.
//
// Most host-function declarations come unchanged from @solo-io/proxy-runtime 0.1.8 (its
// imports.ts is a faithful copy of the ABI for those). This file is the one place that imports
// them, and it adds or corrects the ones 0.1.8 gets wrong for Envoy (see README.md, "Defects of
// proxy-runtime 0.1.8 and their fixes"):
//   - proxy_set_buffer_bytes is missing (0.1.8 declares `proxy_set_buffer_status`, bound to the
//     import name of proxy_get_buffer_status, which no host provides with that signature);
//   - proxy_grpc_call has the old 10-parameter signature (ABI 0.2.x has 12: initial metadata);
//   - proxy_get_log_level (ABI 0.2.1) is missing.
// Constants follow the proxy-wasm spec (proxy-wasm/spec, abi-versions/v0.2.1/README.md).

export {
  proxy_log,
  proxy_get_status,
  proxy_set_tick_period_milliseconds,
  proxy_get_current_time_nanoseconds,
  proxy_get_property,
  proxy_set_property,
  proxy_continue_stream,
  proxy_close_stream,
  proxy_send_local_response,
  proxy_get_shared_data,
  proxy_set_shared_data,
  proxy_register_shared_queue,
  proxy_resolve_shared_queue,
  proxy_dequeue_shared_queue,
  proxy_enqueue_shared_queue,
  proxy_add_header_map_value,
  proxy_get_header_map_value,
  proxy_get_header_map_pairs,
  proxy_set_header_map_pairs,
  proxy_replace_header_map_value,
  proxy_remove_header_map_value,
  proxy_get_header_map_size,
  proxy_get_buffer_bytes,
  proxy_get_buffer_status,
  proxy_http_call,
  proxy_grpc_cancel,
  proxy_grpc_close,
  proxy_define_metric,
  proxy_increment_metric,
  proxy_record_metric,
  proxy_get_metric,
  proxy_set_effective_context,
  proxy_done,
} from "@solo-io/proxy-runtime/assembly/imports";

// @ts-ignore: decorator
@external("env", "proxy_set_buffer_bytes")
export declare function proxy_set_buffer_bytes(buffer_type: u32, start: u32, length: u32, data_ptr: usize, data_size: usize): u32;

// @ts-ignore: decorator
@external("env", "proxy_grpc_call")
export declare function proxy_grpc_call(
  upstream_ptr: usize, upstream_size: usize,
  service_name_ptr: usize, service_name_size: usize,
  method_name_ptr: usize, method_name_size: usize,
  initial_metadata_ptr: usize, initial_metadata_size: usize,
  request_ptr: usize, request_size: usize,
  timeout_milliseconds: u32, token_ptr: usize): u32;

// @ts-ignore: decorator
@external("env", "proxy_get_log_level")
export declare function proxy_get_log_level(level_ptr: usize): u32;

export namespace WasmResult {
  export const Ok: u32 = 0;
  export const NotFound: u32 = 1;
  export const BadArgument: u32 = 2;
  export const SerializationFailure: u32 = 3;
  export const ParseFailure: u32 = 4;
  export const BadExpression: u32 = 5;
  export const InvalidMemoryAccess: u32 = 6;
  export const Empty: u32 = 7;
  export const CasMismatch: u32 = 8;
  export const ResultMismatch: u32 = 9;
  export const InternalFailure: u32 = 10;
  export const BrokenConnection: u32 = 11;
  export const Unimplemented: u32 = 12;
}

export namespace LogLevel {
  export const Trace: u32 = 0;
  export const Debug: u32 = 1;
  export const Info: u32 = 2;
  export const Warn: u32 = 3;
  export const Error: u32 = 4;
  export const Critical: u32 = 5;
}

export namespace HeaderMapType {
  export const RequestHeaders: u32 = 0;
  export const RequestTrailers: u32 = 1;
  export const ResponseHeaders: u32 = 2;
  export const ResponseTrailers: u32 = 3;
  export const GrpcReceiveInitialMetadata: u32 = 4;
  export const GrpcReceiveTrailingMetadata: u32 = 5;
  export const HttpCallResponseHeaders: u32 = 6;
  export const HttpCallResponseTrailers: u32 = 7;
}

export namespace BufferType {
  export const HttpRequestBody: u32 = 0;
  export const HttpResponseBody: u32 = 1;
  export const DownstreamData: u32 = 2;
  export const UpstreamData: u32 = 3;
  export const HttpCallResponseBody: u32 = 4;
  export const GrpcReceiveBuffer: u32 = 5;
  export const VmConfiguration: u32 = 6;
  export const PluginConfiguration: u32 = 7;
}

export namespace StreamType {
  export const Request: u32 = 0;
  export const Response: u32 = 1;
}

export namespace MetricType {
  export const Counter: u32 = 0;
  export const Gauge: u32 = 1;
  export const Histogram: u32 = 2;
}

/** Return values of the headers callbacks (proxy-wasm spec: FilterHeadersStatus). */
export namespace HeadersAction {
  export const Continue: u32 = 0;
  /** In ABI 0.2.x Envoy turns this into StopAllIterationAndWatermark unless the plugin sets
   *  `allow_on_headers_stop_iteration: true` (Envoy >= 1.35). */
  export const StopIteration: u32 = 1;
  export const ContinueAndEndStream: u32 = 2;
  export const StopAllIterationAndBuffer: u32 = 3;
  export const StopAllIterationAndWatermark: u32 = 4;
}

/** Return values of the body callbacks (proxy-wasm spec: FilterDataStatus). */
export namespace DataAction {
  export const Continue: u32 = 0;
  export const StopIterationAndBuffer: u32 = 1;
  export const StopIterationAndWatermark: u32 = 2;
  export const StopIterationNoBuffer: u32 = 3;
}

/** Return values of the trailers callbacks. */
export namespace TrailersAction {
  export const Continue: u32 = 0;
  export const StopIteration: u32 = 1;
}
