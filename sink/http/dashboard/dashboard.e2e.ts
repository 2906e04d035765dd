/**
 * The dashboard in headless Chromium (Debian's /usr/bin/chromium via playwright-core), over a
 * store filled with the devnet storyline's recorded findings (agents/maker-* /test/fixtures/
 * storyline.expected.json), observations committed through the runtime's store, and 100,000
 * filler findings: list incidents, filter to P0, open one, see its timeline and chart,
 * acknowledge it, see the acknowledgement in the timeline and in `vigil sink show --json`.
 * Screenshots of every page go to test-artifacts/dashboard/.
 */
import { spawnSync } from "child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "fs";
import { join } from "path";
import { chromium, type Browser, type Page } from "playwright-core";
import { RuntimeStore } from "../../../shared/runtime/store";
import type { Observation } from "../../../shared/runtime/observations";
import { openSink, sinkHttp, type Sink } from "../../main";
import type { SourcedFinding } from "../../model/notification";
import { SqliteDb } from "../../store/db";
import { freshPg, tmpDir } from "../../test/helpers";
import type { SinkHttp } from "../server";

const ROOT = join(__dirname, "../../..");
const RULES = join(ROOT, "sink/test/rules.test.yaml");
const ART = join(ROOT, "test-artifacts/dashboard");
const TOKEN = "dash-test-token";
const CHROMIUM = "/usr/bin/chromium";

interface Expected {
  bot: string;
  blockNumber: number;
  txHash?: string;
  alertId: string;
  severity: string;
  uniqueKey: string;
  description: string;
  metadata: Record<string, string>;
}

function storyline(): Expected[] {
  const out: Expected[] = [];
  for (const bot of readdirSync(join(ROOT, "agents"))) {
    const f = join(ROOT, "agents", bot, "test/fixtures/storyline.expected.json");
    if (existsSync(f)) out.push(...(JSON.parse(readFileSync(f, "utf8")) as Expected[]));
  }
  return out.sort((a, b) => a.blockNumber - b.blockNumber);
}

function sourced(e: Expected): SourcedFinding {
  const addresses = [...new Set(Object.values(e.metadata).filter((v) => /^0x[0-9a-f]{40}$/i.test(v)))];
  return {
    bot: e.bot,
    chainId: 1,
    blockNumber: e.blockNumber,
    blockHash: `0x${e.blockNumber.toString(16).padStart(64, "0")}`,
    ...(e.txHash ? { txHash: e.txHash } : {}),
    finding: { name: e.alertId, description: e.description, alertId: e.alertId, protocol: "makerdao", severity: e.severity as SourcedFinding["finding"]["severity"], type: "Suspicious", metadata: e.metadata, addresses, uniqueKey: e.uniqueKey, timestamp: new Date().toISOString() },
  };
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "sink/cli/main.ts"), ...args], {
    encoding: "utf8",
    env: { ...process.env, LOG_LEVEL: "error", SINK_RULES: RULES, SINK_DATABASE_URL: "" },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const chromiumThere = existsSync(CHROMIUM);
if (!chromiumThere && process.env.CI === "true") throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
const maybe = chromiumThere ? test : test.skip;

let sink: Sink | undefined;
let http: SinkHttp | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await http?.close();
  await sink?.close();
});

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ART, { recursive: true });
  await page.screenshot({ path: join(ART, `${name}.png`), fullPage: true });
}

maybe(
  "dashboard: incidents, P0 filter, an incident's timeline and chart, acknowledge, findings, bots, vital signs",
  async () => {
    const store = join(tmpDir(), "devnet.sqlite");
    const story = storyline();
    expect(story.length).toBeGreaterThan(20);

    // the runtime's side of the file: blocks and the bots' observations, through its own commit
    const rt = new RuntimeStore(store);
    const first = story[0]!.blockNumber - 20;
    const last = story[story.length - 1]!.blockNumber + 20;
    const t0 = Math.floor(Date.now() / 1000) - (last - first) * 12;
    const bots = [...new Set(story.map((e) => e.bot))];
    for (let n = first; n <= last; n++) {
      const observations: Observation[] = bots.flatMap((bot, i) => [
        { bot, name: `test.${bot}`, labels: "{}", value: 100 + i * 10 + Math.sin(n / 7) * 5 },
        ...(bot === "maker-vat" ? [{ bot, name: "maker.vat_debt", labels: "{}", value: 1e9 + n * 1e6 }, { bot, name: "maker.vat_line", labels: "{}", value: 1.5e9 }] : []),
      ]);
      rt.commitBlock({ block: { number: n, hash: `0x${n.toString(16).padStart(64, "0")}`, parentHash: `0x${(n - 1).toString(16).padStart(64, "0")}`, timestamp: t0 + (n - first) * 12 }, findings: [], states: new Map(), next: n + 1, keepBlocks: 100_000, observations });
    }
    rt.close();

    sink = await openSink({ store, rules: RULES, worker: { pollMs: 50 } });
    await sink.ingest(story.map(sourced), "test");
    // 100,000 findings of no incident: pages stay paginated in the database
    const raw = (sink.db as SqliteDb).raw;
    const ins = raw.prepare(
      "INSERT INTO sink_findings(unique_key, source, bot, chain_id, block_number, block_hash, tx_hash, alert_id, severity, received_at, json) VALUES (?, 'test', 'filler-bot', 1, ?, '0x', NULL, 'FILLER-INFO', 'Info', ?, ?)",
    );
    raw.transaction(() => {
      for (let i = 0; i < 100_000; i++) ins.run(`filler-${i}`, i, Date.now() - 86_400_000 + i, JSON.stringify({ name: "filler", description: `filler finding ${i}`, alertId: "FILLER-INFO", protocol: "test", severity: "Info", type: "Info", metadata: {}, addresses: [], uniqueKey: `filler-${i}`, timestamp: "2026-01-01T00:00:00Z" }));
    })();

    http = sinkHttp(sink, { tokens: [TOKEN], host: "127.0.0.1", port: 0 });
    const { url } = await http.listen();
    // the client bundle first: a bundle that cannot be built (a missing dependency) is an error
    // to show here, not a page that stays on "Loading…" until a wait gives up
    const app = await fetch(`${url}/ui/assets/app.js`);
    expect({ status: app.status, error: app.status === 200 ? "" : (await app.text()).slice(0, 500) }).toEqual({ status: 200, error: "" });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, timezoneId: "Europe/Paris" });
    const external: string[] = [];
    page.on("request", (r) => !r.url().startsWith(url) && external.push(r.url()));
    page.setDefaultTimeout(240_000); // only ends a hang: a loaded machine can make a page slow

    // the incident list: open first, P0 unmistakable
    await page.goto(`${url}/`);
    await page.waitForSelector("table.incidents tbody tr");
    await shot(page, "1-incidents");
    const priorities = await page.$$eval("table.incidents tbody tr td:first-child", (tds) => tds.map((t) => t.textContent ?? ""));
    expect(priorities.some((p) => p.includes("P0"))).toBe(true);
    // dates in the viewer's timezone, UTC on hover
    expect(await page.getAttribute("table.incidents time", "title")).toMatch(/UTC/);

    // filter to P0 from the keyboard: the filter lands in the URL
    await page.keyboard.press("/");
    await page.selectOption("#f-priority", "P0");
    await page.focus("form.filters button[type=submit]");
    await page.keyboard.press("Enter");
    await page.waitForFunction(`location.search.includes("priority=P0")`);
    // (a fresh profile per launch: playwright gives Chromium its own temporary user data dir)
    await page.waitForFunction(`[...document.querySelectorAll("table.incidents tbody tr td:first-child")].every((t) => t.textContent.includes("P0")) && document.querySelectorAll("table.incidents tbody tr").length > 0`);
    await shot(page, "2-incidents-p0");

    // open the first P0 incident (the link is shareable: reload keeps the filter)
    await page.reload();
    await page.waitForSelector("table.incidents tbody tr");
    expect(await page.inputValue("#f-priority")).toBe("P0");
    const key = (await page.getAttribute("table.incidents tbody tr", "data-incident"))!;
    await page.click(`tr[data-incident="${key}"] a`);
    await page.waitForSelector("#timeline li");
    await page.waitForSelector("figure.chart canvas");
    expect(await page.textContent("h1")).toContain(key);
    expect(await page.$$eval("#timeline li", (lis) => lis.map((l) => l.getAttribute("data-kind")))).toContain("opened");
    await page.waitForSelector('#timeline li[data-kind="notification"] .outcome-sent');
    await shot(page, "3-incident");

    // acknowledge: the page asks who acts and for the token, then shows it in the timeline
    await page.click("#act-ack");
    await page.fill("#cred-actor", "alice");
    await page.fill("#cred-token", TOKEN);
    await page.click("dialog.cred button[value=ok]");
    await page.waitForSelector('#timeline li[data-kind="acknowledged"]');
    expect(await page.textContent('#timeline li[data-kind="acknowledged"]')).toContain("alice");
    expect(await page.textContent("#inc-status")).toContain("acknowledged");
    await shot(page, "4-incident-acknowledged");

    // the Markdown report
    const report = await page.evaluate(async (k) => (await fetch(`/ui/api/incidents/${k.replace("INC-", "")}/report`)).text(), key);
    expect(report).toContain(`# ${key}:`);
    expect(report).toMatch(/\| alice \| acknowledged \|/);

    // findings: searchable, paginated in the database (100,000 of them)
    await page.click('header a[href="/ui/findings"]');
    await page.waitForSelector("table.findings > tbody > tr");
    expect(await page.$$eval("table.findings > tbody > tr", (r) => r.length)).toBe(50);
    await page.waitForSelector(".pager a:has-text('Older')");
    await page.fill("#f-q", "esm");
    await page.press("#f-q", "Enter");
    await page.waitForFunction(`location.search.includes("q=esm")`);
    await page.waitForFunction(`(() => { const rows = [...document.querySelectorAll("table.findings > tbody > tr")]; return rows.length > 0 && rows.every((r) => /esm/i.test(r.textContent)); })()`);
    await shot(page, "5-findings");

    // bots: state and alert catalogue with severities
    await page.keyboard.press("3");
    await page.waitForSelector('tr[data-bot="maker-vat"]');
    expect(await page.textContent('tr[data-bot="maker-vat"]')).toMatch(/alerts/);
    expect(await page.$eval('tr[data-bot="maker-emergency"] table.catalogue', (t) => t.textContent)).toMatch(/MAKER-ESM-FIRE.*Critical/);
    await shot(page, "6-bots");

    // vital signs: the Vat's debt against its ceiling drawn from the observations
    await page.keyboard.press("4");
    await page.waitForSelector('figure[data-chart="maker.vat_debt"] canvas');
    await page.waitForSelector('figure[data-chart="findings-per-bot"] canvas');
    await shot(page, "7-vitals");

    // live: a change in the store shows without a reload
    await page.goto(`${url}/ui/incidents/${key.replace("INC-", "")}`);
    await page.waitForSelector("#timeline li");
    await page.waitForSelector("#live:has-text('live')");
    await sink.command(Number(key.replace("INC-", "")), { kind: "comment" }, "bob", "looking at the ESM now");
    await page.waitForSelector('#timeline li[data-kind="comment"]:has-text("looking at the ESM now")');

    expect(external).toEqual([]);
    await browser.close();
    browser = undefined;
    await http.close();
    http = undefined;
    await sink.close();
    sink = undefined;

    // the same acknowledgement, as the CLI sees it
    const show = cli(["show", key, "--json", "--store", store]);
    expect(show.err).toBe("");
    const d = JSON.parse(show.out) as { incident: { status: string }; timeline: { actor: string; kind: string }[] };
    expect(d.incident.status).toBe("acknowledged");
    expect(d.timeline).toContainEqual(expect.objectContaining({ actor: "alice", kind: "acknowledged" }));
  },
  600_000,
);

test("reads need a token when the sink listens beyond loopback; actions always do", async () => {
  const store = join(tmpDir(), "s.sqlite");
  const s = await openSink({ store, rules: RULES, deliver: false });
  const h = sinkHttp(s, { tokens: [TOKEN], host: "0.0.0.0", port: 0 });
  const { port } = await h.listen();
  try {
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/ui/api/incidents`)).status).toBe(401);
    expect((await fetch(`${base}/ui/api/incidents`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${base}/ui/api/incidents`, { headers: { cookie: `vigil_token=${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${base}/v1/incidents/1/ack`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ actor: "x" }) })).status).toBe(401);
    expect(await (await fetch(`${base}/ui/api/findings?severity=Bogus`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()).toEqual({ error: expect.stringMatching(/severity: "Bogus" is not one of/) });
  } finally {
    await h.close();
    await s.close();
  }
});

test("the dashboard's reads on PostgreSQL: incidents ordered, findings searched and paged, bots, vitals, an incident, its report", async () => {
  const pg = await freshPg();
  if (!pg) return;
  const s = await openSink({ store: pg.url, rules: RULES, deliver: false });
  const h = sinkHttp(s, { tokens: [TOKEN], host: "127.0.0.1", port: 0 });
  const { url } = await h.listen();
  try {
    await s.ingest(storyline().slice(0, 60).map(sourced), "test");
    const get = async (path: string) => {
      const r = await fetch(`${url}${path}`);
      expect([path, r.status]).toEqual([path, 200]);
      return (await r.json()) as Record<string, unknown>;
    };
    const inc = (await get("/ui/api/incidents?limit=500")) as { incidents: { id: number; priority: string; status: string; lastFinding?: unknown }[] };
    const ranks = inc.incidents.map((i) => (i.status === "open" ? 0 : i.status === "acknowledged" ? 1 : 2) * 10 + Number(i.priority.slice(1)));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(inc.incidents.every((i) => i.lastFinding)).toBe(true);
    const page1 = (await get("/ui/api/findings?limit=10")) as { findings: { id: number }[]; next?: number };
    expect(page1.findings).toHaveLength(10);
    const page2 = (await get(`/ui/api/findings?limit=10&before=${page1.next}`)) as { findings: { id: number }[] };
    expect(Math.max(...page2.findings.map((f) => f.id))).toBeLessThan(Math.min(...page1.findings.map((f) => f.id)));
    const esm = (await get("/ui/api/findings?q=ESM&priority=P0,P1")) as { findings: { finding: { description: string } }[] };
    expect(esm.findings.every((f) => /esm/i.test(JSON.stringify(f)))).toBe(true);
    expect(((await get("/ui/api/bots")) as { bots: { name: string }[] }).bots.map((b) => b.name)).toContain("maker-emergency");
    expect(await get("/ui/api/vitals")).toMatchObject({ series: [], bucketMs: 60_000 });
    const detail = (await get(`/ui/api/incidents/${inc.incidents[0]!.id}`)) as { timeline: unknown[]; series: unknown[] };
    expect(detail.timeline.length).toBeGreaterThan(0);
    expect(await (await fetch(`${url}/ui/api/incidents/${inc.incidents[0]!.id}/report`)).text()).toMatch(/^# INC-/);
  } finally {
    await h.close();
    await s.close();
    await pg.drop();
  }
});
