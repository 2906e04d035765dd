/** `vigil sink quarantine list | retry | drop`. */
import { Command } from "commander";
import { errorMessage } from "../../shared/errors";
import type { SourcedFinding } from "../model/notification";
import { listQuarantined, quarantinedById, unquarantine, type QuarantinedFinding } from "../store/quarantine";
import { CliError, action, common, out, withSink, type Common } from "./common";

/** `vigil sink quarantine`: findings intake refused for good (the runtime's delivery went on past them). */
export function quarantineCommand(): Command {
  const q = new Command("quarantine").description("Findings intake refused (invalid, or data the store cannot hold), kept with the reason: list, retry after a fix, drop");
  q.addCommand(
    common(new Command("list"))
      .description("List quarantined findings")
      .option("--json", "JSON")
      .action(
        action(async (o: Common) => {
          await withSink(o, async (s) => {
            const rows = await s.read(() => listQuarantined(100_000));
            if (o.json) return out(JSON.stringify(rows, null, 2));
            if (!rows.length) return out("no quarantined findings");
            for (const r of rows) out(`${r.id} ${new Date(r.at).toISOString()} ${r.source} ${r.bot ?? "?"} ${r.uniqueKey ?? "(no uniqueKey)"}: ${r.reason}`);
          });
        }),
      ),
  );
  for (const [name, desc] of [
    ["retry", "Hand quarantined findings to intake again (after the fix); those still refused stay"],
    ["drop", "Drop quarantined findings for good"],
  ] as const) {
    q.addCommand(
      common(new Command(name))
        .description(desc)
        .argument("[ids...]", "quarantine ids (see quarantine list)")
        .option("--all", "every quarantined finding")
        .action(
          action(async (ids: string[], o: Common & { all?: boolean }) => {
            if (!ids.length && !o.all) throw new CliError("give quarantine ids or --all");
            await withSink(o, async (s) => {
              const targets: QuarantinedFinding[] = o.all ? await s.read(() => listQuarantined(100_000)) : [];
              for (const id of ids) {
                const r = await s.read(() => quarantinedById(Number(id)));
                if (!r) throw new CliError(`${id} is not in the quarantine (see vigil sink quarantine list)`);
                targets.push(r);
              }
              let done = 0;
              for (const r of targets) {
                if (name === "drop") {
                  if (await s.db.tx(() => unquarantine(r.id))) done++;
                  continue;
                }
                try {
                  // intake and the release from quarantine in one transaction
                  await s.ingest([JSON.parse(r.json) as SourcedFinding], r.source, function* () {
                    yield* unquarantine(r.id);
                  });
                  done++;
                } catch (err) {
                  out(`${r.id}: still refused: ${errorMessage(err)}`);
                }
              }
              out(`${done} finding(s) ${name === "drop" ? "dropped" : "taken in"}`);
            });
          }),
        ),
    );
  }
  return q;
}
