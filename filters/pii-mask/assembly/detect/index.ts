// Public surface of the pii-mask detection engine (pure logic, no host calls).
export * from "./types";
export { Detector, MatchPool } from "./detector";
export {
  luhnOk, cardPrefixOk, ssnOk, ibanLength, ibanMod97Ok, shannonEntropy, entropyAtLeast, highEntropySecret, jwtHeaderOk,
} from "./validators";
