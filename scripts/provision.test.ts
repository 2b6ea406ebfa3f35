// scripts/provision.mjs: npm test's system packages, one list.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { PACKAGES, installCommand, missingPackages, provision } from "./provision.mjs";

const fake = [{ pkg: "no-such-package-x", program: "no-such-program-x", for: "a test" }, { pkg: "coreutils", program: "ls", for: "present" }];

test("a missing package that cannot be installed here fails at once, naming the one command to run", () => {
  const lines: string[] = [];
  assert.equal(provision({ list: fake, canInstall: false, log: (s: string) => lines.push(s) }), false);
  const text = lines.join("\n");
  assert.match(text, /no-such-package-x\s+a test/);
  assert.doesNotMatch(text, /coreutils/, "only what is missing is named");
  assert.match(text, /sudo apt-get update && sudo apt-get install -y --no-install-recommends no-such-package-x\n?$/);
});

test("nothing missing: nothing is installed and nothing printed", () => {
  const lines: string[] = [];
  assert.equal(provision({ list: [fake[1]], canInstall: true, log: (s: string) => lines.push(s) }), true);
  assert.deepEqual(lines, []);
});

test("the list holds the OCI tests' packages and --list prints it for .ci/run", () => {
  for (const p of ["docker-registry", "skopeo", "apache2-utils"]) assert.ok(PACKAGES.some((x: { pkg: string }) => x.pkg === p), p);
  const r = spawnSync(process.execPath, ["scripts/provision.mjs", "--list"], { encoding: "utf8" });
  assert.equal(r.stdout.trim(), PACKAGES.map((p: { pkg: string }) => p.pkg).join(" "));
  assert.deepEqual(missingPackages(fake).map((p: { pkg: string }) => p.pkg), ["no-such-package-x"]);
  assert.equal(installCommand(missingPackages(fake)), "sudo apt-get update && sudo apt-get install -y --no-install-recommends no-such-package-x");
});
