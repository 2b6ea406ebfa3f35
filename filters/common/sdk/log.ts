// Logging through proxy_log, gated by the host's level so that disabled levels cost one
// comparison and no string building when callers guard with `logEnabled(...)`.
import { proxy_log, proxy_get_log_level, LogLevel, WasmResult } from "./abi";
import { RET_U64 } from "./memory";

let currentLevel: u32 = LogLevel.Info;

/** Re-reads Envoy's log level for this plugin (proxy_get_log_level, ABI 0.2.1). The dispatcher
 *  calls it on VM start, on configure and on every tick, so a level change at run time is seen. */
export function refreshLogLevel(): void {
  store<u32>(RET_U64, LogLevel.Info);
  if (proxy_get_log_level(RET_U64) == WasmResult.Ok) currentLevel = load<u32>(RET_U64);
}

// @ts-ignore: decorator
@inline export function logEnabled(level: u32): bool {
  return level >= currentLevel;
}

export function log(level: u32, message: string): void {
  if (level < currentLevel) return;
  const bytes = String.UTF8.encode(message);
  proxy_log(level, changetype<usize>(bytes), bytes.byteLength);
}

export function logTrace(message: string): void { log(LogLevel.Trace, message); }
export function logDebug(message: string): void { log(LogLevel.Debug, message); }
export function logInfo(message: string): void { log(LogLevel.Info, message); }
export function logWarn(message: string): void { log(LogLevel.Warn, message); }
export function logError(message: string): void { log(LogLevel.Error, message); }
export function logCritical(message: string): void { log(LogLevel.Critical, message); }
