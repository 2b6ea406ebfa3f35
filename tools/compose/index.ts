// Gateway description (envoy/gateway.yaml) -> validated Description -> Envoy bootstrap.
// Format: tools/compose/README.md.
export { parseDescription, loadDescription, formatIssue, knownModules, parseDuration, DescriptionError, CONTRACT_KEYS, DEFAULT_METRIC_LABELS } from "./description.ts";
export type { Description, Provider, FilterInstance, Route, RouteMatch, Issue, Listener, Tracing, FailurePolicy } from "./description.ts";
export { compose, filterOrder } from "./compose.ts";
export { filterConfigValidator } from "./filter-schema.ts";
export type { Composed, ComposeOptions } from "./compose.ts";
