// Who the request is, once authenticated: the same shape for API keys, JWTs and anonymous
// access, so rules, filter state, headers and metrics do not care how it was established.
import { Consumer } from "./model";

export namespace Method {
  export const NONE = "none";
  export const API_KEY = "api_key";
  export const JWT = "jwt";
}

/** Claim access for rules and claim headers. API key identities answer from the consumer's
 *  attributes, so a rule on `tenant` works for both methods. */
export interface ClaimSource {
  /** The claim as a list of strings (a string claim is one item, an array its string/number
   *  items, a number or boolean its JSON text); null when absent or an object. */
  claimStrings(path: string): Array<string> | null;
}

export class Identity implements ClaimSource {
  method: string = Method.NONE;
  name: string = "anonymous";
  groups: Array<string> = new Array<string>(0);
  tenant: string = "";
  attributesJson: string = "{}";
  /** Metric label: a configured consumer's label, "anonymous", or "other" (bounded set). */
  label: string = "anonymous";
  consumer: Consumer | null = null;
  claims: ClaimSource | null = null;
  /** Seconds since the epoch after which this identity must not be served from a cache. */
  expiresAt: i64 = i64.MAX_VALUE;
  /** Upstream headers from claims (name, value), computed once per verified token. */
  headerNames: Array<string> = new Array<string>(0);
  headerValues: Array<string> = new Array<string>(0);

  groupsCsv(): string { return this.groups.join(","); }

  inGroup(g: string): bool {
    for (let i = 0; i < this.groups.length; i++) if (this.groups[i] == g) return true;
    return false;
  }

  claimStrings(path: string): Array<string> | null {
    const c = this.claims;
    if (c !== null) {
      const v = c.claimStrings(path);
      if (v !== null) return v;
    }
    const k = this.consumer;
    if (k !== null) {
      const a = k.attribute(path);
      if (a !== null) return [a];
    }
    return null;
  }

  static anonymous(): Identity { return new Identity(); }

  static fromConsumer(c: Consumer, method: string): Identity {
    const id = new Identity();
    id.method = method;
    id.name = c.name;
    id.groups = c.groups;
    id.tenant = c.tenant;
    id.attributesJson = c.attributesJson;
    id.label = c.label;
    id.consumer = c;
    return id;
  }
}
