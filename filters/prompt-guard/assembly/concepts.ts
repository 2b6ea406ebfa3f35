// Concept ids of the cue lexicon (1-based, scripts/lexicon.ts CONCEPTS order): bit c of a
// FeatureSums.concepts mask is set when the text holds a cue word of concept c.
export const C_IGNORE: u32 = 1;
export const C_PREVIOUS: u32 = 2;
export const C_INSTRUCTION: u32 = 3;
export const C_SECRET: u32 = 4;
export const C_REVEAL: u32 = 5;
export const C_ROLE: u32 = 6;
export const C_INSTEAD: u32 = 7;
export const C_RESTRICTION: u32 = 8;
export const C_SYSTEM: u32 = 9;
export const C_NEW: u32 = 10;
export const C_OBEY: u32 = 11;
export const C_HIDDEN: u32 = 12;

@inline export function has(mask: u32, c: u32): bool { return (mask & (1 << c)) != 0; }
@inline export function bit(c: u32): u32 { return 1 << c; }
