/**
 * The dashboard's client: plain TypeScript and the DOM (a ten-line element helper, no framework),
 * uPlot for charts, bundled by esbuild and served by the sink (no CDN). Pages keep their filters in
 * the URL; a server-sent event stream re-renders the page when the store changes.
 */
import uPlot from "uplot";

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | EventListener | undefined | null>;

function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  const add = (c: Child): void => {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) return c.forEach(add);
    el.append(c instanceof Node ? c : String(c));
  };
  children.forEach(add);
  return el;
}

// ---- formatting ----------------------------------------------------------------------------

const utc = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
/** A date in the viewer's timezone, UTC on hover. */
function when(ms: number | undefined): Child {
  if (!ms) return "—";
  return h("time", { datetime: new Date(ms).toISOString(), title: `${utc(ms)} (UTC)` }, new Date(ms).toLocaleString());
}
function ago(ms: number | undefined): string {
  if (!ms) return "—";
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 90) return `${s}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}
function since(ms: number | undefined): Child {
  if (!ms) return "—";
  return h("time", { datetime: new Date(ms).toISOString(), title: `${new Date(ms).toLocaleString()} — ${utc(ms)} (UTC)` }, ago(ms));
}
const prio = (p: string) => h("span", { class: `prio prio-${p}`, title: p === "P0" ? "P0: act now" : p }, p === "P0" ? "⚠ P0" : p);
const status = (s: string) => h("span", { class: `status status-${s}` }, s);
const sev = (s: string) => h("span", { class: `sev sev-${s}` }, s);

// ---- data ----------------------------------------------------------------------------------

class ApiError extends Error {}
async function api<T>(path: string): Promise<T> {
  const r = await fetch(path, { headers: { accept: "application/json" }, credentials: "same-origin" });
  const body = (await r.json().catch(() => ({}))) as { error?: string };
  if (!r.ok) throw new ApiError(body.error ?? `${r.status} ${r.statusText}`);
  return body as T;
}

/** The token is kept for this tab only (and as a cookie for reads beyond loopback); the actor's name is remembered. */
const store = {
  get token(): string { return sessionStorage.getItem("vigil.token") ?? ""; }, // prettier-ignore
  set token(v: string) { sessionStorage.setItem("vigil.token", v), (document.cookie = `vigil_token=${encodeURIComponent(v)}; path=/; SameSite=Strict`); }, // prettier-ignore
  get actor(): string { return localStorage.getItem("vigil.actor") ?? ""; }, // prettier-ignore
  set actor(v: string) { localStorage.setItem("vigil.actor", v); }, // prettier-ignore
};

/** Ask who acts and with which token (kept for this tab; the actor is remembered). */
function credentials(): Promise<boolean> {
  return new Promise((resolve) => {
    const actor = h("input", { id: "cred-actor", name: "actor", required: true, autocomplete: "username", value: store.actor }) as HTMLInputElement;
    const token = h("input", { id: "cred-token", name: "token", type: "password", required: true, autocomplete: "current-password", value: store.token }) as HTMLInputElement;
    const dlg = h(
      "dialog",
      { class: "cred", "aria-labelledby": "cred-title" },
      h(
        "form",
        { method: "dialog" },
        h("h2", { id: "cred-title" }, "Who is acting?"),
        h("p", {}, "Every action needs one of the sink's tokens (SINK_TOKENS) and lands in the timeline under your name."),
        h("label", { for: "cred-actor" }, "Your name"),
        actor,
        h("label", { for: "cred-token" }, "Sink token"),
        token,
        h("div", { class: "row" }, h("button", { value: "ok", class: "primary" }, "Save"), h("button", { value: "cancel", formnovalidate: true }, "Cancel")),
      ),
    ) as HTMLDialogElement;
    dlg.addEventListener("close", () => {
      const ok = dlg.returnValue === "ok" && !!actor.value.trim() && !!token.value.trim();
      if (ok) {
        store.actor = actor.value.trim();
        store.token = token.value.trim();
      }
      dlg.remove();
      resolve(ok);
    });
    document.body.append(dlg);
    dlg.showModal();
    actor.value ? token.focus() : actor.focus();
  });
}

async function act(incident: number, command: string, extra: Record<string, string> = {}): Promise<void> {
  if (!store.token || !store.actor) if (!(await credentials())) return;
  const r = await fetch(`/v1/incidents/${incident}/${command}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${store.token}` },
    body: JSON.stringify({ actor: store.actor, ...extra }),
  });
  const body = (await r.json().catch(() => ({}))) as { error?: string };
  if (r.status === 401) {
    sessionStorage.removeItem("vigil.token");
    toast(`Not allowed: ${body.error ?? "token refused"}. Enter a valid token and try again.`, true);
    return;
  }
  if (!r.ok) return toast(body.error ?? `${command} failed (${r.status})`, true);
  toast(`${command} done as ${store.actor}`);
  await render();
}

function toast(text: string, bad = false): void {
  const t = h("div", { class: `toast${bad ? " bad" : ""}`, role: bad ? "alert" : "status" }, text);
  document.body.append(t);
  setTimeout(() => t.remove(), 6000);
}

// ---- charts --------------------------------------------------------------------------------

interface Series {
  bot: string;
  name: string;
  labels: Record<string, string>;
  points: [number, number, number][];
}

const PALETTE = ["#2f6fde", "#d9480f", "#2b8a3e", "#9c36b5", "#e67700", "#0b7285", "#c2255c", "#5c940d", "#495057", "#1864ab"];

function seriesLabel(s: Series, withName: boolean): string {
  const l = Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(" ");
  return withName ? `${s.name}${l ? ` {${l}}` : ""}` : l || s.name;
}

/** 1234567 -> "1.23M": axis labels that fit. */
function compact(v: number): string {
  const a = Math.abs(v);
  for (const [d, s] of [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "k"]] as const) if (a >= d) return `${+(v / d).toPrecision(3)}${s}`;
  return a !== 0 && a < 0.01 ? v.toExponential(1) : `${+v.toPrecision(3)}`;
}

const charts: uPlot[] = [];
function chart(title: string, series: Series[], opts: { id?: string; note?: string; bars?: boolean; range?: [number, number]; marks?: number[] } = {}): HTMLElement {
  const box = h("figure", { class: "chart", "data-chart": opts.id ?? title }, h("figcaption", {}, title, opts.note ? h("small", {}, ` ${opts.note}`) : null));
  const withData = series.filter((s) => s.points.length);
  if (!withData.length) {
    box.append(h("p", { class: "muted" }, "No observations yet."));
    return box;
  }
  const names = new Set(withData.map((s) => s.name));
  const tables = withData.map((s) => [s.points.map((p) => p[0] / 1000), s.points.map((p) => p[1])] as [number[], number[]]);
  const data = uPlot.join(tables as unknown as uPlot.AlignedData[]);
  const css = getComputedStyle(document.documentElement);
  const fg = css.getPropertyValue("--fg").trim() || "#222";
  const grid = css.getPropertyValue("--grid").trim() || "#ddd";
  const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
  const holder = h("div", { class: "plot", role: "img", "aria-label": `${title}: ${withData.map((s) => seriesLabel(s, names.size > 1)).join(", ")}` });
  box.append(holder);
  requestAnimationFrame(() => {
    const width = Math.max(280, holder.clientWidth || 600);
    const u = new uPlot(
      {
        width,
        height: 220,
        scales: { x: opts.range ? { time: true, range: [opts.range[0] / 1000, opts.range[1] / 1000] } : { time: true } },
        axes: [axis, { ...axis, size: 60, values: (_u: uPlot, vals: number[]) => vals.map(compact) }],
        series: [
          {},
          ...withData.map((s, i) => ({
            label: seriesLabel(s, names.size > 1),
            stroke: PALETTE[i % PALETTE.length],
            width: 2,
            spanGaps: !opts.bars,
            // an observation holds until the next one: steps, not slopes
            ...(opts.bars ? { fill: PALETTE[i % PALETTE.length], paths: uPlot.paths.bars!({ size: [0.8, 40] }), points: { show: false } } : { paths: uPlot.paths.stepped!({ align: 1 }), points: { show: s.points.length < 60 } }),
            value: (_u: uPlot, v: number | null) => (v === null ? "—" : compact(v)),
          })),
        ],
        legend: { live: true },
        hooks: {
          // the incident's findings, as dashed lines at their blocks' time
          draw: [
            (u: uPlot) => {
              if (!opts.marks?.length) return;
              const ctx = u.ctx;
              ctx.save();
              ctx.strokeStyle = css.getPropertyValue("--p0").trim() || "#c00";
              ctx.setLineDash([5, 4]);
              ctx.lineWidth = 1.5;
              for (const m of opts.marks) {
                const x = Math.round(u.valToPos(m / 1000, "x", true));
                if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
                ctx.beginPath();
                ctx.moveTo(x, u.bbox.top);
                ctx.lineTo(x, u.bbox.top + u.bbox.height);
                ctx.stroke();
              }
              ctx.restore();
            },
          ],
        },
      },
      data,
      holder,
    );
    charts.push(u);
  });
  return box;
}

function activityChart(rows: { bot: string; bucket: number; n: number }[], bucketMs: number): HTMLElement {
  const bots = [...new Set(rows.map((r) => r.bot))].sort();
  const series: Series[] = bots.map((bot) => ({ bot, name: "findings", labels: { bot }, points: rows.filter((r) => r.bot === bot).map((r) => [r.bucket, r.n, 0] as [number, number, number]) }));
  const xs = rows.map((r) => r.bucket);
  const range: [number, number] | undefined = xs.length ? [Math.min(...xs) - bucketMs, Math.max(...xs) + bucketMs] : undefined;
  return chart(`Findings per bot per ${bucketMs === 60_000 ? "minute" : "hour"}`, series, { id: "findings-per-bot", bars: true, range });
}

// ---- pages ---------------------------------------------------------------------------------

const main = () => document.getElementById("main")!;
function link(href: string, ...children: Child[]): HTMLElement {
  return h("a", { href, "data-nav": true }, ...children);
}
function qs(params: Record<string, string | number | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : "";
}

/** A filter form: GET to the page's own path, so its values land in the URL. */
function filterForm(path: string, fields: { name: string; label: string; type?: string; options?: string[]; placeholder?: string }[], q: URLSearchParams): HTMLElement {
  const form = h(
    "form",
    { class: "filters", role: "search", action: path, method: "get" },
    fields.map((f) => {
      const id = `f-${f.name}`;
      const input = f.options
        ? h("select", { id, name: f.name }, h("option", { value: "" }, "any"), f.options.map((o) => h("option", { value: o, selected: q.get(f.name) === o }, o)))
        : h("input", { id, name: f.name, type: f.type ?? "text", value: q.get(f.name) ?? "", placeholder: f.placeholder ?? "" });
      return h("span", { class: "field" }, h("label", { for: id }, f.label), input);
    }),
    h("button", { type: "submit", class: "primary" }, "Filter"),
    h("a", { href: path, "data-nav": true, class: "button" }, "Clear"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(form as HTMLFormElement);
    const params: Record<string, string> = {};
    for (const [k, v] of data.entries()) if (String(v)) params[k] = String(v);
    navigate(path + qs(params));
  });
  return form;
}

interface Incident {
  id: number;
  key: string;
  title: string;
  type: string;
  priority: string;
  status: string;
  owner: string;
  why: string;
  channels: string[];
  chainId: number;
  alertId: string;
  bot: string;
  openedAt: number;
  updatedAt: number;
  closedAt?: number;
  findings?: number;
  lastFinding?: { alertId: string; severity: string; description: string; blockNumber: number; at: number };
}

async function incidentsPage(q: URLSearchParams): Promise<Child> {
  const offset = Number(q.get("offset") ?? 0);
  const data = await api<{ incidents: Incident[]; more: boolean; owners: string[] }>(`/ui/api/incidents${location.search}`);
  const rows = data.incidents;
  return [
    h("h1", {}, "Incidents"),
    filterForm(
      "/ui/incidents",
      [
        { name: "priority", label: "Priority", options: ["P0", "P1", "P2"] },
        { name: "status", label: "Status", options: ["open", "acknowledged", "resolved", "retracted"] },
        { name: "owner", label: "Owner", options: data.owners },
        { name: "bot", label: "Bot", placeholder: "maker-vat" },
        { name: "chain", label: "Chain", placeholder: "1" },
        { name: "since", label: "Changed since", type: "datetime-local" },
      ],
      q,
    ),
    rows.length === 0
      ? h("p", { class: "empty" }, "No incidents match.")
      : h(
          "table",
          { class: "list incidents" },
          h("thead", {}, h("tr", {}, ["Priority", "Incident", "Status", "Type", "Owner", "Age", "Last change", "Last finding"].map((c) => h("th", { scope: "col" }, c)))),
          h(
            "tbody",
            {},
            rows.map((i) =>
              h(
                "tr",
                { class: `row-${i.priority} row-${i.status}`, "data-incident": i.key },
                h("td", {}, prio(i.priority)),
                h("td", {}, link(`/ui/incidents/${i.id}`, h("strong", {}, i.key), " ", i.title), h("div", { class: "muted small" }, `${i.bot} · ${i.alertId} · chain ${i.chainId}`)),
                h("td", {}, status(i.status)),
                h("td", {}, i.type),
                h("td", {}, i.owner),
                h("td", {}, since(i.openedAt)),
                h("td", {}, since(i.updatedAt)),
                h("td", { class: "last" }, i.lastFinding ? [sev(i.lastFinding.severity), " ", h("span", { title: i.lastFinding.description }, i.lastFinding.description.slice(0, 120))] : "—"),
              ),
            ),
          ),
        ),
    h(
      "nav",
      { class: "pager", "aria-label": "pages" },
      offset > 0 ? link(location.pathname + qs({ ...Object.fromEntries(q), offset: Math.max(0, offset - 50) }), "← Newer") : null,
      data.more ? link(location.pathname + qs({ ...Object.fromEntries(q), offset: offset + 50 }), "More →") : null,
    ),
  ];
}

interface Finding {
  id: number;
  bot: string;
  chainId: number;
  blockNumber: number;
  blockHash: string;
  txHash?: string;
  receivedAt: number;
  incidentId?: number;
  retracted: boolean;
  finding: { alertId: string; name: string; description: string; severity: string; type: string; metadata: Record<string, string>; addresses: string[]; uniqueKey: string };
}

function findingDetails(f: Finding): HTMLElement {
  return h(
    "details",
    { class: "finding" },
    h("summary", {}, sev(f.finding.severity), " ", h("strong", {}, f.finding.alertId), " ", f.finding.description, f.retracted ? h("em", {}, " (retracted)") : null),
    h(
      "dl",
      {},
      h("dt", {}, "Block"),
      h("dd", {}, `${f.blockNumber} (chain ${f.chainId})`, h("code", { class: "hash" }, f.blockHash)),
      f.txHash ? [h("dt", {}, "Transaction"), h("dd", {}, h("code", {}, f.txHash))] : null,
      f.finding.addresses.length ? [h("dt", {}, "Addresses"), h("dd", {}, f.finding.addresses.map((a) => h("code", { class: "addr" }, a)))] : null,
      h("dt", {}, "Received"),
      h("dd", {}, when(f.receivedAt)),
      h("dt", {}, "uniqueKey"),
      h("dd", {}, h("code", {}, f.finding.uniqueKey)),
    ),
    h("table", { class: "meta" }, h("tbody", {}, Object.entries(f.finding.metadata ?? {}).map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, k), h("td", {}, h("code", {}, v)))))),
  );
}

interface TimelineEvent {
  id: number;
  at: number;
  actor: string;
  kind: string;
  detail: string;
}
interface Message {
  id: number;
  channel: string;
  event: string;
  state: string;
  attempts: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

/** The chain time of each finding's block, from the observations' (block, time) pairs. */
function findingTimes(findings: Finding[], series: Series[]): number[] {
  const at = new Map<number, number>();
  for (const s of series) for (const p of s.points) at.set(p[2], p[0]);
  const blocks = [...at.keys()].sort((a, b) => a - b);
  return findings.flatMap((f) => {
    if (at.has(f.blockNumber)) return [at.get(f.blockNumber)!];
    const next = blocks.find((b) => b >= f.blockNumber);
    return next === undefined ? [] : [at.get(next)!];
  });
}

async function incidentPage(id: string): Promise<Child> {
  const d = await api<{ incident: Incident; timeline: TimelineEvent[]; findings: Finding[]; messages: Message[]; series: Series[]; ownerName: string; owners: string[] }>(`/ui/api/incidents/${encodeURIComponent(id)}`);
  const i = d.incident;
  const entries = [
    ...d.timeline.map((e) => ({ at: e.at, kind: e.kind, node: h("li", { class: `ev ev-${e.kind}`, "data-kind": e.kind }, when(e.at), " ", h("strong", {}, e.kind), " by ", h("span", { class: "actor" }, e.actor), e.detail ? [": ", e.detail] : null) })),
    ...d.messages.map((m) => ({
      at: m.sent_at ?? m.created_at,
      kind: "notification",
      node: h(
        "li",
        { class: `ev ev-notification state-${m.state}`, "data-kind": "notification" },
        when(m.sent_at ?? m.created_at),
        " ",
        h("strong", {}, "notification"),
        ` ${m.event} → ${m.channel}: `,
        h("span", { class: `outcome outcome-${m.state}` }, m.state),
        m.attempts > 1 ? ` after ${m.attempts} attempts` : "",
        m.last_error ? h("span", { class: "err" }, ` (${m.last_error})`) : null,
      ),
    })),
  ].sort((a, b) => a.at - b.at);
  const open = i.status === "open" || i.status === "acknowledged";
  const note = h("textarea", { id: "note", name: "note", rows: 2, placeholder: "A note for the timeline (optional for actions, required to comment)" }) as HTMLTextAreaElement;
  const withNote = (): Record<string, string> => (note.value.trim() ? { note: note.value.trim() } : {});
  const reqPrio = h("select", { id: "rq-priority", "aria-label": "new priority" }, ["P0", "P1", "P2"].map((p) => h("option", { value: p, selected: p === i.priority }, p))) as HTMLSelectElement;
  const reqType = h("select", { id: "rq-type", "aria-label": "new type" }, ["A", "B", "protocol"].map((t) => h("option", { value: t, selected: t === i.type }, t))) as HTMLSelectElement;
  const owner = h("select", { id: "as-owner", "aria-label": "new owner" }, d.owners.map((o) => h("option", { value: o, selected: o === i.owner }, o))) as HTMLSelectElement;
  const names = [...new Set(d.series.map((s) => s.name))];
  return [
    h("p", { class: "crumbs" }, link("/ui/incidents", "← Incidents")),
    h("h1", { class: `inc-${i.priority}` }, prio(i.priority), " ", `${i.key}: ${i.title}`),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Status"),
      h("dd", { id: "inc-status" }, status(i.status)),
      h("dt", {}, "Type"),
      h("dd", {}, i.type),
      h("dt", {}, "Owner"),
      h("dd", {}, `${d.ownerName} (${i.owner})`),
      h("dt", {}, "Opened"),
      h("dd", {}, when(i.openedAt), ` (${ago(i.openedAt)} ago)`),
      h("dt", {}, "Last change"),
      h("dd", {}, when(i.updatedAt)),
      h("dt", {}, "Source"),
      h("dd", {}, `${i.bot} · ${i.alertId} · chain ${i.chainId}`),
      h("dt", {}, "Channels"),
      h("dd", {}, i.channels.join(", ") || "none"),
      h("dt", {}, "Why"),
      h("dd", {}, i.why),
    ),
    h(
      "section",
      { class: "actions", "aria-label": "actions" },
      h("label", { for: "note" }, "Note"),
      note,
      h(
        "div",
        { class: "row" },
        i.status === "open" ? h("button", { class: "primary", id: "act-ack", accesskey: "a", onclick: () => act(i.id, "ack", withNote()) }, "Acknowledge") : null,
        open ? h("button", { id: "act-resolve", onclick: () => act(i.id, "resolve", withNote()) }, "Resolve") : h("button", { id: "act-reopen", onclick: () => act(i.id, "reopen", withNote()) }, "Reopen"),
        h("button", { id: "act-comment", onclick: () => (note.value.trim() ? act(i.id, "comment", withNote()) : (note.focus(), toast("Write the comment in the note first", true))) }, "Comment"),
        h("span", { class: "group" }, reqPrio, reqType, h("button", { id: "act-requalify", onclick: () => act(i.id, "requalify", { priority: reqPrio.value, type: reqType.value, ...withNote() }) }, "Requalify")),
        h("span", { class: "group" }, owner, h("button", { id: "act-assign", onclick: () => act(i.id, "assign", { owner: owner.value, ...withNote() }) }, "Assign")),
        h("a", { class: "button", href: `/ui/api/incidents/${i.id}/report`, download: `${i.key}.md` }, "Download report (Markdown)"),
        h("button", { class: "link", onclick: () => credentials() }, store.actor ? `Acting as ${store.actor}` : "Set name and token"),
      ),
    ),
    h("h2", {}, "Timeline"),
    h("ol", { class: "timeline", id: "timeline" }, entries.map((e) => e.node)),
    h("h2", {}, "Observations around the incident"),
    names.length ? names.map((n) => chart(n, d.series.filter((s) => s.name === n), { id: `obs-${n}`, marks: findingTimes(d.findings, d.series), note: "dashed: this incident's findings" })) : h("p", { class: "muted", "data-chart": "none" }, `No observations from ${i.bot} near these blocks.`),
    h("h2", {}, `Findings (${d.findings.length})`),
    h("div", { class: "findings" }, d.findings.map(findingDetails)),
  ];
}

async function findingsPage(q: URLSearchParams): Promise<Child> {
  const data = await api<{ findings: Finding[]; next?: number }>(`/ui/api/findings${location.search}`);
  const rest = Object.fromEntries([...q].filter(([k]) => k !== "before"));
  return [
    h("h1", {}, "Findings"),
    filterForm(
      "/ui/findings",
      [
        { name: "q", label: "Text", type: "search", placeholder: "address, words…" },
        { name: "bot", label: "Bot" },
        { name: "alertId", label: "Alert", placeholder: "MAKER-ESM-FIRE" },
        { name: "severity", label: "Severity", options: ["Critical", "High", "Medium", "Low", "Info"] },
        { name: "priority", label: "Priority", options: ["P0", "P1", "P2"] },
        { name: "chain", label: "Chain" },
        { name: "blockFrom", label: "From block" },
        { name: "blockTo", label: "To block" },
        { name: "since", label: "Since", type: "datetime-local" },
        { name: "until", label: "Until", type: "datetime-local" },
      ],
      q,
    ),
    data.findings.length === 0
      ? h("p", { class: "empty" }, "No findings match.")
      : h(
          "table",
          { class: "list findings" },
          h("thead", {}, h("tr", {}, ["Received", "Severity", "Alert", "Bot", "Block", "Description", "Incident"].map((c) => h("th", { scope: "col" }, c)))),
          h(
            "tbody",
            {},
            data.findings.map((f) =>
              h(
                "tr",
                {},
                h("td", {}, when(f.receivedAt)),
                h("td", {}, sev(f.finding.severity)),
                h("td", {}, f.finding.alertId),
                h("td", {}, f.bot),
                h("td", {}, `${f.blockNumber}`),
                h("td", {}, findingDetails(f)),
                h("td", {}, f.incidentId ? link(`/ui/incidents/${f.incidentId}`, `INC-${f.incidentId}`) : "—"),
              ),
            ),
          ),
        ),
    h("nav", { class: "pager", "aria-label": "pages" }, q.get("before") ? link(location.pathname + qs(rest), "← Newest") : null, data.next ? link(location.pathname + qs({ ...rest, before: data.next }), "Older →") : null),
  ];
}

interface BotView {
  name: string;
  alerts: { id: string; name: string; severity: string; type: string }[];
  activity?: { findings: number; lastBlock?: number; lastAt?: number };
  errors: number;
  lastError?: { alertId: string; description: string; at: number };
  disabled?: string;
}

async function botsPage(): Promise<Child> {
  const d = await api<{ bots: BotView[]; runtime: { cursor?: number; head?: { number: number; timestamp: number }; disabled: Record<string, string> } | null; now: number }>("/ui/api/bots");
  const head = d.runtime?.head;
  return [
    h("h1", {}, "Bots"),
    h(
      "p",
      { class: "muted" },
      head
        ? ["Runtime at block ", h("strong", {}, String(head.number)), " (", when(head.timestamp * 1000), "; lag behind wall clock ", ago(head.timestamp * 1000), ")."]
        : "The runtime keeps its state elsewhere: blocks and disabled bots are not known here; activity comes from the findings received.",
    ),
    h(
      "table",
      { class: "list bots" },
      h("thead", {}, h("tr", {}, ["Bot", "State", "Last block with a finding", "Findings", "Errors", "Alerts"].map((c) => h("th", { scope: "col" }, c)))),
      h(
        "tbody",
        {},
        d.bots.map((b) =>
          h(
            "tr",
            { "data-bot": b.name },
            h("th", { scope: "row" }, link(`/ui/findings${qs({ bot: b.name })}`, b.name)),
            h("td", {}, b.disabled ? h("span", { class: "status status-disabled", title: b.disabled }, "disabled: ", b.disabled) : b.errors ? h("span", { class: "status status-errors" }, "errors") : h("span", { class: "status status-ok" }, "running")),
            h("td", {}, b.activity?.lastBlock !== undefined ? [String(b.activity.lastBlock), " ", since(b.activity.lastAt)] : "—"),
            h("td", {}, String(b.activity?.findings ?? 0)),
            h("td", {}, b.errors ? [String(b.errors), b.lastError ? h("div", { class: "small err", title: b.lastError.description }, b.lastError.description.slice(0, 140)) : null] : "0"),
            h(
              "td",
              {},
              h(
                "details",
                {},
                h("summary", {}, `${b.alerts.length} alerts`),
                h("table", { class: "catalogue" }, h("tbody", {}, b.alerts.map((a) => h("tr", {}, h("td", {}, h("code", {}, a.id)), h("td", {}, sev(a.severity)), h("td", {}, a.type), h("td", {}, a.name))))),
              ),
            ),
          ),
        ),
      ),
    ),
  ];
}

/** Which observation names go in which vital-sign chart (names the bots use with ctx.observe). */
const VITALS: { section: string; charts: { title: string; names: string[]; note?: string }[] }[] = [
  {
    section: "Consensus",
    charts: [
      { title: "Finality distance (epochs since finalized)", names: ["consensus.finality_distance"] },
      { title: "Participation (target / head / source)", names: ["consensus.participation"], note: "fraction of active stake" },
      { title: "Active validators", names: ["consensus.active_validators"] },
    ],
  },
  {
    section: "Maker",
    charts: [
      { title: "Oracle prices: current and queued per OSM", names: ["maker.osm_price"] },
      { title: "Ilk utilisation (debt / line)", names: ["maker.ilk_utilisation"] },
      { title: "PSM reserves", names: ["maker.psm_reserve"] },
      { title: "System debt against its ceiling (Vat debt, Line)", names: ["maker.vat_debt", "maker.vat_line"] },
      { title: "ESM progress (sum against min)", names: ["maker.esm_sum", "maker.esm_min"] },
      { title: "DAI bridge: L1 escrow against L2 supply", names: ["maker.bridge_escrow", "maker.bridge_l2_supply"] },
    ],
  },
];

async function vitalsPage(q: URLSearchParams): Promise<Child> {
  const d = await api<{ series: Series[]; activity: { bot: string; bucket: number; n: number }[]; bucketMs: number }>(`/ui/api/vitals${location.search}`);
  const used = new Set(VITALS.flatMap((s) => s.charts.flatMap((c) => c.names)));
  const others = [...new Set(d.series.map((s) => s.name).filter((n) => !used.has(n)))].sort();
  return [
    h("h1", {}, "Vital signs"),
    filterForm("/ui/vitals", [{ name: "since", label: "Since", type: "datetime-local" }], q),
    VITALS.map((s) =>
      h("section", { class: "vitals" }, h("h2", {}, s.section), h("div", { class: "grid" }, s.charts.map((c) => chart(c.title, d.series.filter((x) => c.names.includes(x.name)), { id: c.names[0], note: c.note })))),
    ),
    h("section", { class: "vitals" }, h("h2", {}, "Activity"), h("div", { class: "grid" }, activityChart(d.activity, d.bucketMs))),
    others.length ? h("section", { class: "vitals" }, h("h2", {}, "Other observations"), h("div", { class: "grid" }, others.map((n) => chart(n, d.series.filter((x) => x.name === n))))) : null,
  ];
}

// ---- shell ---------------------------------------------------------------------------------

const NAV: [string, string, string][] = [
  ["/ui/incidents", "Incidents", "1"],
  ["/ui/findings", "Findings", "2"],
  ["/ui/bots", "Bots", "3"],
  ["/ui/vitals", "Vital signs", "4"],
];

function header(): void {
  const top = document.getElementById("top")!;
  top.replaceChildren(
    h(
      "nav",
      { "aria-label": "main" },
      h("span", { class: "brand" }, "Vigil"),
      NAV.map(([href, label, key]) => h("a", { href, "data-nav": true, "aria-current": location.pathname.startsWith(href) ? "page" : undefined, title: `${label} (key ${key})` }, label)),
      h("span", { id: "live", class: "live", role: "status", "aria-live": "polite" }, live),
    ),
  );
}

let live = "connecting…";
let rendering: Promise<void> | undefined;
let stale = false;

async function render(): Promise<void> {
  const path = location.pathname.replace(/\/+$/, "");
  const q = new URLSearchParams(location.search);
  header();
  for (const c of charts.splice(0)) c.destroy();
  let content: Child;
  try {
    const m = /^\/ui\/incidents\/([^/]+)$/.exec(path);
    if (m) content = await incidentPage(decodeURIComponent(m[1]!));
    else if (path === "/ui/findings") content = await findingsPage(q);
    else if (path === "/ui/bots") content = await botsPage();
    else if (path === "/ui/vitals") content = await vitalsPage(q);
    else content = await incidentsPage(q);
  } catch (err) {
    content = h("div", { class: "error", role: "alert" }, h("h1", {}, "Could not load this page"), h("p", {}, (err as Error).message));
  }
  const el = main();
  const y = window.scrollY;
  const open = [...el.querySelectorAll("details[open]")].map((d) => d.querySelector("summary")?.textContent);
  el.replaceChildren(...([content].flat(3).filter(Boolean) as (Node | string)[]).map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
  for (const d of el.querySelectorAll("details")) if (open.includes(d.querySelector("summary")?.textContent)) (d as HTMLDetailsElement).open = true;
  window.scrollTo(0, y);
  document.body.dataset.ready = String(Date.now());
}

function refresh(): void {
  const a = document.activeElement;
  // never pull the page from under someone typing or in a dialog
  if (a && (a.tagName === "INPUT" || a.tagName === "TEXTAREA" || a.tagName === "SELECT" || document.querySelector("dialog[open]"))) {
    stale = true;
    return;
  }
  rendering = (rendering ?? Promise.resolve()).then(render);
}

function navigate(href: string): void {
  history.pushState(null, "", href);
  window.scrollTo(0, 0);
  void render().then(() => main().focus());
}

document.addEventListener("click", (e) => {
  const a = (e.target as Element).closest("a[data-nav]") as HTMLAnchorElement | null;
  if (!a || e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  navigate(a.getAttribute("href")!);
});
document.addEventListener("focusout", () => setTimeout(() => stale && (stale = false, refresh()), 0));
document.addEventListener("keydown", (e) => {
  const t = e.target as HTMLElement;
  if (e.metaKey || e.ctrlKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
  const nav = NAV.find(([, , k]) => k === e.key);
  if (nav) return (e.preventDefault(), navigate(nav[0]));
  if (e.key === "/") {
    const f = document.querySelector(".filters input, .filters select") as HTMLElement | null;
    if (f) (e.preventDefault(), f.focus());
  }
});
window.addEventListener("popstate", () => void render());

function connect(): void {
  const es = new EventSource("/ui/api/events");
  const set = (s: string) => {
    live = s;
    const el = document.getElementById("live");
    if (el) el.textContent = s;
  };
  es.addEventListener("hello", () => set("● live"));
  es.addEventListener("change", () => (set("● live"), refresh()));
  es.onerror = () => set("○ reconnecting…");
}

void render();
connect();
