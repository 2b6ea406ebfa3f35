// Table-driven configuration specs (as-pect): each row is a configuration text and what parsing
// it gives, "ok" or a fragment of the error message (which names the field).

export class ConfigRow {
  constructor(public config: string, public expect: string) {}
}

/** Checks every row: `parse` returns "ok" or the error message for a configuration text. */
export function expectConfigRows(rows: ConfigRow[], parse: (config: string) => string): void {
  for (let i = 0; i < rows.length; i++) {
    const got = parse(rows[i].config);
    if (rows[i].expect == "ok") expect(got).toBe("ok", rows[i].config);
    else expect(got.includes(rows[i].expect)).toBe(true, rows[i].config + " -> " + got);
  }
}
