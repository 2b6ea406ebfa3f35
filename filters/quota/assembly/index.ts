// quota: token and cost budgets per consumer, tenant, route, model or header, per proxy (shared
// data) and fleet-wide; 429s with OpenAI's rate-limit headers; budgets that hold during streams.
// See ../README.md. This file only registers.
export * from "../../common/sdk/exports";
import { registerRootContext, RootContext } from "../../common/sdk";
import { QuotaPlugin } from "./stream";

registerRootContext("", (id: u32): RootContext => new QuotaPlugin(id));
