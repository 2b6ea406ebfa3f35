// What `abort()` (a failed assertion, an out-of-memory, an out-of-range access the compiler
// checks) does in our modules. The root asconfig.json passes `--use abort=abort_proc_exit`, so
// modules do not import `env.abort`, which Envoy does not provide. It logs the reason through
// proxy_log at critical level, then calls WASI proc_exit, which Envoy's host turns into a VM
// failure; the instruction after it traps, so execution never continues past an abort.
import { proxy_log, LogLevel } from "./abi";
import { proc_exit } from "bindings/wasi_unstable";
import { decimal } from "../assembly/bytes/decimal";

// @ts-ignore: decorator
@global
export function abort_proc_exit(message: string | null = null, fileName: string | null = null, lineNumber: u32 = 0, columnNumber: u32 = 0): void {
  let text = "wasm abort";
  if (message !== null) text += ": " + message;
  if (fileName !== null) text += " at " + fileName + ":" + decimal(lineNumber) + ":" + decimal(columnNumber);
  const bytes = String.UTF8.encode(text);
  proxy_log(LogLevel.Critical, changetype<usize>(bytes), bytes.byteLength);
  proc_exit(255);
  unreachable();
}
