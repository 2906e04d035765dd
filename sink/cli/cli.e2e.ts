/**
 * `vigil sink ...` as a user runs it (a real process on a real SQLite file): --help everywhere,
 * incidents/findings with filters and --json, show, ack/comment, report, dlq, rules check.
 */
import { spawnSync } from "child_process";
import { join } from "path";
import { openSink } from "../main";
import { run } from "../store/db";
import { finding, tmpDir } from "../test/helpers";

const ROOT = join(__dirname, "../..");
const RULES = join(__dirname, "../test/rules.test.yaml");

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "sink/cli/main.ts"), ...args], {
    encoding: "utf8",
    env: { ...process.env, LOG_LEVEL: "error", SINK_RULES: RULES, SINK_DATABASE_URL: "", ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("the sink CLI over the store npm start writes", async () => {
  const store = join(tmpDir(), "state-1.sqlite");
  const sink = await openSink({ store, rules: RULES, deliver: false });
  await sink.ingest(
    [
      finding({ key: "p0", alertId: "MAKER-ESM-FIRE", txHash: "0x" + "12".repeat(32), addresses: ["0x00000000000000000000000000000000000000e5"] }),
      finding({ key: "p1", alertId: "CONSENSUS-SPLIT", bot: "consensus-forks", severity: "High", priority: "P1", metadata: { incidentType: "A" }, addresses: ["0xc1"] }),
      finding({ key: "info", severity: "Info", priority: "none", addresses: ["0x1f"] }),
    ],
    "test",
  );
  await sink.db.tx(() => run("UPDATE sink_outbox SET state = 'dead', last_error = 'gave up' WHERE id = 1"));
  await sink.close();

  for (const args of [["--help"], ["incidents", "--help"], ["dlq", "redeliver", "--help"], ["rules", "check", "--help"], ["report", "--help"], ["serve", "--help"]]) {
    const r = cli(args);
    expect([args.join(" "), r.code]).toEqual([args.join(" "), 0]);
    expect(r.out).toMatch(/Usage: vigil sink/);
  }

  const list = cli(["incidents", "--json", "--store", store]);
  expect(list.code).toBe(0);
  const incidents = JSON.parse(list.out) as { key: string; type: string; priority: string; owner: string }[];
  expect(incidents.map((i) => [i.key, i.type, i.priority, i.owner])).toEqual([
    ["INC-2", "A", "P1", "core"],
    ["INC-1", "protocol", "P0", "core"],
  ]);
  expect(JSON.parse(cli(["incidents", "--json", "--store", store, "--priority", "P0"]).out)).toHaveLength(1);
  expect(JSON.parse(cli(["incidents", "--json", "--store", store, "--bot", "consensus-forks"]).out)).toHaveLength(1);
  expect(JSON.parse(cli(["findings", "--json", "--store", store, "--since", "1h"]).out)).toHaveLength(3);
  expect(cli(["incidents", "--store", store, "--priority", "P7"]).err).toMatch(/--priority P7: one of P0, P1, P2/);

  expect(cli(["ack", "INC-1", "--actor", "alice", "--store", store]).out).toMatch(/INC-1 acknowledged P0/);
  expect(cli(["comment", "1", "--actor", "bob", "--note", "ESM fired by 0xe5", "--store", store]).code).toBe(0);
  expect(cli(["ack", "INC-1", "--store", store]).err).toMatch(/INC-1 is acknowledged; only an open incident can be acknowledged/);
  expect(cli(["show", "INC-9", "--store", store]).err).toMatch(/INC-9 does not exist/);
  const show = cli(["show", "INC-1", "--store", store]);
  expect(show.out).toMatch(/acknowledged/);
  expect(show.out).toMatch(/bob: comment ESM fired/);

  const report = cli(["report", "INC-1", "--store", store]).out;
  for (const part of ["# INC-1:", "## Summary", "## Classification and why", 'rule "esm"', "## Owner", "On-call: pager", "## Timeline", "| alice | acknowledged |", "## Findings", "## Transactions and addresses", "0x" + "12".repeat(32), "0x00000000000000000000000000000000000000e5"]) {
    expect([part, report.includes(part)]).toEqual([part, true]);
  }

  expect(cli(["dlq", "list", "--store", store]).out).toMatch(/^1 INC-1 out opened attempts 0: gave up/m);
  expect(cli(["dlq", "redeliver", "1", "--store", store]).out).toMatch(/1 message\(s\) queued again/);
  expect(cli(["dlq", "list", "--store", store]).out).toMatch(/no dead messages/);
  expect(cli(["dlq", "drop", "1", "--store", store]).err).toMatch(/message 1 is not in the dead-letter list/);

  expect(cli(["rules", "check", RULES]).out).toMatch(/ok \(2 rules, 2 owners, 1 channels\)/);
});
