/**
 * `vigil sink ...`: the sink for terminals. Every command reads the same store as `npm start`
 * (see defaultStore in sink/main.ts) unless --store or SINK_DATABASE_URL says otherwise.
 */
import { Command, Option } from "commander";
import { redact } from "../../shared/net/secrets";
import { incidentReport } from "../incidents/report";
import { type Command as IncidentCommand } from "../incidents/engine";
import { KINDS, PRIORITIES, STATUSES, parseIncidentKey, type Incident } from "../model/incident";
import type { IncidentKind, IncidentPriority } from "../model/notification";
import { run } from "../store/db";
import { findingsOfIncident, getIncident, listFindings, listIncidents, listOutbox, outboxById, outboxOfIncident, setOutbox, timeline } from "../store/queries";
import { parseDuration } from "../config/duration";
import { CliError, action, common, currentWiring, out, setWiring, withSink, type Common, type SinkCliWiring } from "./common";
import { quarantineCommand } from "./quarantine";

export type { OpenedSink, ServeOptions, SinkCliWiring } from "./common";

function parseSince(v: string): number {
  const d = parseDuration(v);
  if (d !== undefined) return Date.now() - d;
  const t = Date.parse(v);
  if (!Number.isFinite(t)) throw new CliError(`--since ${v}: give a duration (90m, 24h, 7d) or an ISO date`);
  return t;
}

function csv(allowed: readonly string[], name: string) {
  return (v: string) => {
    const items = v.split(",").map((s) => s.trim());
    for (const i of items) if (!allowed.includes(i)) throw new CliError(`${name} ${i}: one of ${allowed.join(", ")}`);
    return items;
  };
}

function incidentId(v: string): number {
  const id = parseIncidentKey(v);
  if (id === undefined) throw new CliError(`incident ${JSON.stringify(v)}: give its id, e.g. INC-12 or 12`);
  return id;
}

function incidentLine(i: Incident): string {
  return `${i.key.padEnd(8)} ${i.priority} ${i.type.padEnd(8)} ${i.status.padEnd(12)} ${i.owner.padEnd(14)} ${new Date(i.openedAt).toISOString()} ${i.title}`;
}

function manual(name: string, description: string, build: (o: Record<string, string>) => IncidentCommand, extra: (c: Command) => Command = (c) => c): Command {
  return extra(
    common(new Command(name))
      .description(description)
      .argument("<incident>", "incident id (INC-12 or 12)")
      .option("--actor <name>", "who does it (default: $USER)")
      .option("--note <text>", "why, shown in the timeline")
      .option("--json", "print the incident as JSON"),
  ).action(
    action(async (id: string, o: Common & Record<string, string>) => {
      await withSink(o, async (s) => {
        const inc = await s.command(incidentId(id), build(o), o.actor ?? process.env.USER ?? "cli", o.note);
        out(o.json ? JSON.stringify(inc) : `${inc.key} ${inc.status} ${inc.priority} ${inc.type} owner ${inc.owner}`);
      });
    }),
  );
}

export function sinkCommand(w: SinkCliWiring): Command {
  setWiring(w);
  const wiring = currentWiring();
  const sink = new Command("sink").description("The alert sink: findings in, incidents out, owners notified (see docs/sink.md)");

  sink.addCommand(
    common(new Command("serve"))
      .description("Run the sink on its own: HTTP intake and API, incidents, delivery (tokens from SINK_TOKENS)")
      .option("--host <host>", "address to listen on", "127.0.0.1")
      .option("--port <port>", "port (0: any free port)", "8787")
      .option("--max-body <bytes>", "largest request body accepted", "1048576")
      .option("--forta-bots <ids>", "also poll the Forta network's alerts of these bot ids (comma-separated; env FORTA_BOTS; key from FORTA_API_KEY)")
      .option("--forta-chain <id>", "chain id of the Forta alerts to poll (env FORTA_CHAIN_ID; default 1)")
      .action(
        action(async (o: Common & { host: string; port: string; maxBody: string; fortaBots?: string; fortaChain?: string }) => {
          if (!(process.env.SINK_TOKENS ?? "").split(",").some((t) => t.trim())) throw new CliError("SINK_TOKENS is not set: export SINK_TOKENS=<token>[,<token>...] (clients send Authorization: Bearer <token>)");
          const fortaBots = (o.fortaBots ?? process.env.FORTA_BOTS ?? "").split(",").map((b) => b.trim()).filter(Boolean);
          const { url, stop: stopSink } = await wiring.serve({
            store: o.store ?? wiring.defaultStore(),
            rules: o.rules,
            host: o.host,
            port: Number(o.port),
            maxBodyBytes: Number(o.maxBody),
            fortaBots,
            fortaChainId: Number(o.fortaChain ?? process.env.FORTA_CHAIN_ID ?? 1),
          });
          process.stdout.write(`listening ${url}\n`);
          await new Promise<void>((resolve) => {
            const stop = () => resolve();
            process.once("SIGINT", stop);
            process.once("SIGTERM", stop);
          });
          await stopSink();
        }),
      ),
  );

  sink.addCommand(
    common(new Command("incidents"))
      .description("List incidents, newest first")
      .addOption(new Option("--status <list>", `comma-separated: ${STATUSES.join(", ")}`).argParser(csv(STATUSES, "--status")))
      .addOption(new Option("--priority <list>", "comma-separated: P0, P1, P2").argParser(csv(PRIORITIES, "--priority")))
      .option("--since <when>", "updated since (duration like 24h, or an ISO date)")
      .option("--bot <name>", "from this bot")
      .option("--owner <team>", "owned by this team")
      .option("--limit <n>", "at most n", "1000")
      .option("--json", "JSON array")
      .action(
        action(async (o: Common & { status?: string[]; priority?: string[]; since?: string; bot?: string; owner?: string; limit: string }) => {
          await withSink(o, async (s) => {
            const rows = await s.read(() => listIncidents({ status: o.status, priority: o.priority, bot: o.bot, owner: o.owner, since: o.since ? parseSince(o.since) : undefined, limit: Number(o.limit) }));
            if (o.json) return out(JSON.stringify(rows, null, 2));
            if (!rows.length) return out("no incidents");
            for (const i of rows) out(incidentLine(i));
          });
        }),
      ),
  );

  sink.addCommand(
    common(new Command("findings"))
      .description("List findings the sink received, newest first")
      .option("--bot <name>", "from this bot")
      .option("--alert <id>", "this alert id")
      .option("--severity <s>", "this severity")
      .option("--incident <id>", "of this incident")
      .option("--since <when>", "received since (duration or ISO date)")
      .option("--limit <n>", "at most n", "100")
      .option("--json", "JSON array")
      .action(
        action(async (o: Common & { bot?: string; alert?: string; severity?: string; incident?: string; since?: string; limit: string }) => {
          await withSink(o, async (s) => {
            const rows = await s.read(() =>
              listFindings({ bot: o.bot, alertId: o.alert, severity: o.severity, incidentId: o.incident ? incidentId(o.incident) : undefined, since: o.since ? parseSince(o.since) : undefined, limit: Number(o.limit) }),
            );
            if (o.json) return out(JSON.stringify(rows, null, 2));
            for (const f of rows) out(`${String(f.id).padEnd(6)} ${f.finding.severity.padEnd(8)} ${f.finding.alertId} block ${f.blockNumber} ${f.bot}${f.incidentId ? ` INC-${f.incidentId}` : ""}${f.retracted ? " (retracted)" : ""}: ${f.finding.description}`);
          });
        }),
      ),
  );

  sink.addCommand(
    common(new Command("show"))
      .description("One incident: classification, timeline, findings, messages")
      .argument("<incident>", "incident id")
      .option("--json", "JSON")
      .action(
        action(async (id: string, o: Common) => {
          await withSink(o, async (s) => {
            const n = incidentId(id);
            const d = await s.read(function* () {
              const incident = yield* getIncident(n);
              return incident && { incident, timeline: yield* timeline(n), findings: yield* findingsOfIncident(n), messages: (yield* outboxOfIncident(n)).map(({ payload: _p, ...r }) => r) };
            });
            if (!d) throw new CliError(`incident INC-${n} does not exist`);
            if (o.json) return out(JSON.stringify(d, null, 2));
            out(incidentLine(d.incident));
            out(`why: ${d.incident.why}`);
            for (const e of d.timeline) out(`  ${new Date(e.at).toISOString()} ${e.actor}: ${e.kind} ${e.detail}`);
            for (const m of d.messages) out(`  message ${m.id} ${m.channel} ${m.event} ${m.state} attempts ${m.attempts}${m.last_error ? ` (${m.last_error})` : ""}`);
          });
        }),
      ),
  );

  sink.addCommand(manual("ack", "Acknowledge an incident", () => ({ kind: "ack" })));
  sink.addCommand(manual("resolve", "Resolve an incident by hand", () => ({ kind: "resolve" })));
  sink.addCommand(manual("reopen", "Reopen a resolved, retracted or acknowledged incident", () => ({ kind: "reopen" })));
  sink.addCommand(
    manual(
      "requalify",
      "Change an incident's priority and/or type",
      (o) => ({ kind: "requalify", priority: o.priority as IncidentPriority | undefined, type: o.type as IncidentKind | undefined }),
      (c) => c.addOption(new Option("--priority <p>", "P0, P1 or P2").choices([...PRIORITIES])).addOption(new Option("--type <t>", "A, B or protocol").choices([...KINDS])),
    ),
  );
  sink.addCommand(manual("assign", "Give an incident to another owner (a team of the rules file)", (o) => ({ kind: "assign", owner: o.owner! }), (c) => c.requiredOption("--owner <team>", "owner id from the rules file")));
  sink.addCommand(manual("comment", "Add a comment to an incident's timeline (--note)", () => ({ kind: "comment" })));

  sink.addCommand(
    common(new Command("report"))
      .description("Write an incident report in Markdown (stdout, or --out)")
      .argument("<incident>", "incident id")
      .option("--out <file>", "write to this file")
      .action(
        action(async (id: string, o: Common & { out?: string }) => {
          await withSink(o, async (s) => {
            const n = incidentId(id);
            const d = await s.read(function* () {
              const incident = yield* getIncident(n);
              return incident && { incident, timeline: yield* timeline(n), findings: yield* findingsOfIncident(n) };
            });
            if (!d) throw new CliError(`incident INC-${n} does not exist`);
            const md = redact(incidentReport(d.incident, d.timeline, d.findings, s.rules));
            if (o.out) (await import("fs")).writeFileSync(o.out, md);
            else process.stdout.write(md);
          });
        }),
      ),
  );

  const dlq = new Command("dlq").description("The dead-letter list: messages that could not be delivered");
  dlq.addCommand(
    common(new Command("list"))
      .description("List dead messages")
      .option("--json", "JSON")
      .action(
        action(async (o: Common) => {
          await withSink(o, async (s) => {
            const rows = (await s.read(() => listOutbox(["dead"], 1000))).map(({ payload: _p, ...r }) => r);
            if (o.json) return out(JSON.stringify(rows, null, 2));
            if (!rows.length) return out("no dead messages");
            for (const r of rows) out(`${r.id} INC-${r.incident_id} ${r.channel} ${r.event} attempts ${r.attempts}: ${r.last_error ?? ""}`);
          });
        }),
      ),
  );
  for (const [name, desc, state] of [
    ["redeliver", "Queue dead messages again (attempts reset)", "pending"],
    ["drop", "Drop dead messages for good", "dropped"],
  ] as const) {
    dlq.addCommand(
      common(new Command(name))
        .description(desc)
        .argument("[ids...]", "message ids (see dlq list)")
        .option("--all", "every dead message")
        .action(
          action(async (ids: string[], o: Common & { all?: boolean }) => {
            if (!ids.length && !o.all) throw new CliError(`give message ids or --all`);
            await withSink(o, async (s) => {
              const now = Date.now();
              const n = await s.db.tx(function* () {
                const targets = o.all ? yield* listOutbox(["dead"], 100_000) : [];
                for (const id of ids) {
                  const r = yield* outboxById(Number(id));
                  if (!r || r.state !== "dead") throw new CliError(`message ${id} is not in the dead-letter list`);
                  targets.push(r);
                }
                for (const r of targets) yield* state === "pending" ? setOutbox(r.id, { state: "pending", attempts: 0, next_attempt_at: now }) : run("UPDATE sink_outbox SET state = 'dropped' WHERE id = ?", [r.id]);
                return targets.length;
              });
              out(`${n} message(s) ${state === "pending" ? "queued again" : "dropped"}`);
            });
          }),
        ),
    );
  }
  sink.addCommand(dlq);

  sink.addCommand(quarantineCommand());

  const rules = new Command("rules").description("The rules file (owners, channels, rules)");
  rules.addCommand(
    new Command("check")
      .description("Validate a rules file: one line per problem naming the file, the rule and the field; exit 1 if any")
      .argument("[file]", "rules file (default: SINK_RULES, else sink/rules.default.yaml)")
      .action(
        action(async (file: string | undefined) => {
          const path = wiring.rulesPath(file);
          const cfg = wiring.checkRules(path);
          out(`${path}: ok (${cfg.rules} rules, ${cfg.owners} owners, ${cfg.channels} channels)`);
        }),
      ),
  );
  sink.addCommand(rules);
  sink.addHelpText(
    "after",
    `
Examples:
  npx vigil sink incidents --priority P0 --status open      # what needs someone now
  npx vigil sink show INC-3 --json                          # one incident, its timeline and messages
  npx vigil sink ack INC-3 --actor alice --note "looking"   # acknowledge (a timeline event)
  npx vigil sink report INC-3 --out INC-3.md                # the Markdown incident report
  npx vigil sink rules check my-rules.yaml                  # one line per problem
  SINK_TOKENS=... npx vigil sink serve --port 8787          # intake and API for runtimes elsewhere

Each command takes --help. The store: --store, else SINK_DATABASE_URL, else the newest of
.vigil/devnet.sqlite and .vigil/state-*.sqlite (what npm start writes).`,
  );
  return sink;
}
