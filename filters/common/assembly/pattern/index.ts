// Shared pattern engine: custom regex-subset patterns compiled to DFAs, and literal dictionaries.
export { compilePattern, CompileResult, Pattern, DEFAULT_MAX_STATES, DEFAULT_MAX_LENGTH, START_ANYWHERE, START_AFTER_NON_WORD } from "./pattern";
export { Dictionary, MAX_WORD_LENGTH } from "./dict";
export { parsePattern, ParseResult } from "./parse";
