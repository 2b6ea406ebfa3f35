// llm-route: one OpenAI- or Anthropic-style API in front of many providers. Picks the provider and
// model (aliases, strategies, health), rewrites the request for it, and makes the answer look like
// the client's dialect again; publishes usage and cost. See ../README.md. This file only registers.
export * from "../../common/sdk/exports";
import { registerRootContext, RootContext } from "../../common/sdk";
import { RoutePlugin } from "./stream";

registerRootContext("", (id: u32): RootContext => new RoutePlugin(id));
