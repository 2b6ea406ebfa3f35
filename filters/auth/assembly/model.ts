// The compiled configuration: what config.ts produces from the JSON and what the engines read.
// Built once per plugin at configure time and never changed afterwards (a new configuration
// builds a new one), so streams can hold references without copying.

/** Where a credential is read from. */
export namespace SourceKind {
  export const HEADER: i32 = 0;
  export const QUERY: i32 = 1;
  export const COOKIE: i32 = 2;
}

export class CredentialSource {
  /** `name`: lowercase header name, query parameter name or cookie name. `prefix`: a scheme such
   *  as "Bearer " the header value must start with (compared case-insensitively, RFC 7235 section
   *  2.1), empty for none. */
  constructor(public kind: i32, public name: string, public prefix: string) {}
  describe(): string {
    if (this.kind == SourceKind.QUERY) return "query parameter " + this.name;
    if (this.kind == SourceKind.COOKIE) return "cookie " + this.name;
    return "header " + this.name;
  }
}

export class Consumer {
  name: string = "";
  groups: Array<string> = new Array<string>(0);
  /** Free-form attributes in configuration order (keys and string values). */
  attrKeys: Array<string> = new Array<string>(0);
  attrValues: Array<string> = new Array<string>(0);
  // Precomputed at configure time so the hot path only copies them.
  groupsCsv: string = "";
  attributesJson: string = "{}";
  tenant: string = "";
  /** Metric label: [a-z0-9_] only (docs/contract.md). */
  label: string = "";

  attribute(key: string): string | null {
    for (let i = 0; i < this.attrKeys.length; i++) if (this.attrKeys[i] == key) return this.attrValues[i];
    return null;
  }
  inGroup(g: string): bool {
    for (let i = 0; i < this.groups.length; i++) if (this.groups[i] == g) return true;
    return false;
  }
}

export class ApiKeyEntry {
  constructor(public digest: Uint8Array, public consumer: Consumer) {}
}

export class ApiKeyConfig {
  sources: Array<CredentialSource> = new Array<CredentialSource>(0);
  keys: Array<ApiKeyEntry> = new Array<ApiKeyEntry>(0);
}

export class ClaimHeader {
  constructor(public claim: string, public header: string) {}
}

/** A remote JWKS fetched with http_call. */
export class RemoteJwks {
  cluster: string = "";
  path: string = "";
  authority: string = "";
  /** Refresh period of a good set. */
  refreshSeconds: u32 = 300;
  /** Retry period after a failed fetch. */
  retrySeconds: u32 = 10;
  timeoutMs: u32 = 5000;
  /** How long a request may wait for the first key set before failing with 503. */
  holdTimeoutMs: u32 = 5000;
}

export class JwtProvider {
  name: string = "";
  /** Required `iss`; empty = any issuer (only allowed when there is one provider). */
  issuer: string = "";
  audiences: Array<string> = new Array<string>(0);
  sources: Array<CredentialSource> = new Array<CredentialSource>(0);
  /** Allowed algorithms as a bit set over Alg (jwk.ts); 0 = whatever the keys allow. */
  algorithms: u32 = 0;
  clockSkewSeconds: i64 = 60;
  /** Reject tokens without `exp` (default true). */
  requireExp: bool = true;
  /** Reject tokens whose exp - iat (or exp - now) exceeds this; 0 = no limit. */
  maxLifetimeSeconds: i64 = 0;
  requiredClaims: Array<string> = new Array<string>(0);
  /** Claim whose value names the consumer (`sub` by default). */
  consumerClaim: string = "sub";
  /** Prepended to the consumer claim: the consumer name is `<prefix><claim>`. */
  consumerPrefix: string = "";
  /** Claim with the groups/roles (string or array of strings); empty = none. */
  groupsClaim: string = "";
  /** Claim copied to aigw.consumer.tenant; empty = none. */
  tenantClaim: string = "";
  claimHeaders: Array<ClaimHeader> = new Array<ClaimHeader>(0);
  /** The JWKS text given inline (already validated); null when fetched. */
  inlineJwks: string | null = null;
  remote: RemoteJwks | null = null;
  maxTokenBytes: i32 = 8192;
  cacheEntries: i32 = 1024;
}

export namespace Mode {
  export const REQUIRED: i32 = 0;
  export const OPTIONAL: i32 = 1;
  export const OFF: i32 = 2;
}

export function modeName(m: i32): string {
  return m == Mode.OPTIONAL ? "optional" : m == Mode.OFF ? "off" : "required";
}

export class ClaimMatch {
  constructor(public claim: string, public values: Array<string>) {}
}

/** A consumer/group/claim condition. Matches when any listed item matches. */
export class Matcher {
  consumers: Array<string> = new Array<string>(0);
  groups: Array<string> = new Array<string>(0);
  claims: Array<ClaimMatch> = new Array<ClaimMatch>(0);
  isEmpty(): bool { return this.consumers.length == 0 && this.groups.length == 0 && this.claims.length == 0; }
}

export namespace MatchKind {
  export const ANY: i32 = 0;
  export const ROUTE: i32 = 1;
  export const PREFIX: i32 = 2;
  export const HOST: i32 = 3;
}

export class Rule {
  /** Conditions are ANDed; an empty string means "any". */
  route: string = "";
  prefix: string = "";
  host: string = "";
  mode: i32 = Mode.REQUIRED;
  /** null = allow every authenticated identity. */
  allow: Matcher | null = null;
  deny: Matcher | null = null;
  /** Accepted methods for this rule: "api_key", "jwt" (both when empty). */
  methods: Array<string> = new Array<string>(0);
}

export class AuthConfig {
  consumers: Array<Consumer> = new Array<Consumer>(0);
  apiKeys: ApiKeyConfig | null = null;
  providers: Array<JwtProvider> = new Array<JwtProvider>(0);
  rules: Array<Rule> = new Array<Rule>(0);
  /** Mode when no rule matches. */
  defaultMode: i32 = Mode.REQUIRED;
  realm: string = "aigw";
  /** Keep the client's credential on the upstream request. */
  forwardCredential: bool = false;
  /** Rules compare paths case-insensitively (upstreams such as ASP.NET/IIS ignore path case). */
  caseInsensitivePaths: bool = false;
  consumerHeader: string = "x-aigw-consumer";
  /** Extra incoming headers always stripped (on top of the consumer header and claim headers). */
  stripHeaders: Array<string> = new Array<string>(0);

  findConsumer(name: string): Consumer | null {
    for (let i = 0; i < this.consumers.length; i++) if (this.consumers[i].name == name) return this.consumers[i];
    return null;
  }
}
