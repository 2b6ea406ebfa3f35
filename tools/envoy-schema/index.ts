// Validation of Envoy YAML configs against Envoy's v3 API (.proto files from @grpc/grpc-js-xds plus
// the overlay of newer fields). See envoy/README.md.
export { validateEnvoyYaml, formatErrors, jsonName, BOOTSTRAP } from "./validate.ts";
export type { SchemaError, ValidationResult } from "./validate.ts";
export { loadEnvoySchema } from "./load.ts";
export { OVERLAY, applyOverlay } from "./overlay.ts";
export type { OverlayEntry } from "./overlay.ts";
