// metricLabel: configured names become [a-z0-9_] label values (docs/contract.md).
import { metricLabel } from "../metric-label";

describe("metricLabel", () => {
  it("lowercases ASCII letters, keeps digits and _, turns anything else into _", () => {
    expect(metricLabel("Team-A.prod_2")).toBe("team_a_prod_2");
    expect(metricLabel("Zoë ü")).toBe("zo___");
    expect(metricLabel("a😀b")).toBe("a__b"); // a surrogate pair is two units
    expect(metricLabel("")).toBe("");
  });

  it("reads at most maxUnits units", () => {
    expect(metricLabel("ABCDEF", 3)).toBe("abc");
    expect(metricLabel("ab", 63)).toBe("ab");
  });
});
