// Exact name lookups, shared by the overlay and the validator.
import protobuf from "protobufjs";

/**
 * The message with exactly this fully qualified name. protobufjs's lookup() also searches nested
 * namespaces, so it would let "Router" match .envoy.extensions.filters.http.router.v3.Router;
 * Envoy needs the full name.
 */
export function exactType(root: protobuf.Root, name: string): protobuf.Type | undefined {
  let cur: protobuf.ReflectionObject | null = root;
  for (const seg of name.split(".")) {
    if (!seg || !(cur instanceof protobuf.Namespace)) return undefined;
    cur = cur.get(seg);
  }
  return cur instanceof protobuf.Type ? cur : undefined;
}
