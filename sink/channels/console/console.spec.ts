import { consoleFactory, createConsoleChannel } from ".";
import { digest, EVENTS, notification, TX } from "../testing/fixtures";

describe("console channel", () => {
  it("prints human lines: headline, what happened, how bad, since when, what to look at", async () => {
    const out: string[] = [];
    const ch = createConsoleChannel("devnet", {}, { write: (s: string) => out.push(s) });
    await ch.send(notification());
    const text = out.join("");
    expect(text.split("\n")[0]).toBe("07:02:05 [P0] INC-42 opened: Emergency shutdown fired");
    expect(text).toContain("New P0 incident (type protocol), owner Maker core team (maker-core).");
    expect(text).toMatch(/Priority\s+P0 \(page now\), severity Critical/);
    expect(text).toMatch(/Since\s+2026-12-06T07:00:00.000Z \(2m 5s ago\)/);
    expect(text).toContain(`https://etherscan.io/tx/${TX}`);
    expect(text).toMatch(/Incident\s+https:\/\/vigil.example.org\/incidents\/INC-42/);
    expect(text).not.toContain("\x1b[");
    expect(text.endsWith("\n")).toBe(true);
  });

  it("renders every event and digests, with colours only when asked", async () => {
    const out: string[] = [];
    const ch = createConsoleChannel("devnet", { color: true }, { write: (s: string) => out.push(s) });
    for (const event of EVENTS) await ch.send(notification({ event, actor: "alice" }));
    await ch.send(digest(2));
    const text = out.join("");
    expect(text).toContain("acknowledged: Emergency shutdown fired");
    expect(text).toContain("Acknowledged by alice");
    expect(text).toContain("retracted (reorg)");
    expect(text).toContain("Vigil digest: 2 low-priority updates");
    expect(text).toContain("  - [P2] INC-100 opened: Oracle price stale on ETH-0 (MAKER-OSM-STALE)");
    expect(text).toContain("\x1b[");
  });

  it("prints one line per message with format: line", async () => {
    const out: string[] = [];
    const ch = createConsoleChannel("devnet", { format: "line" }, { write: (s: string) => out.push(s) });
    await ch.send(notification());
    await ch.send(digest(2));
    expect(out).toEqual([
      `07:02:05 [P0] INC-42 opened: Emergency shutdown fired · MAKER-ESM-FIRE block 19000123 tx ${TX} · owner Maker core team · https://vigil.example.org/incidents/INC-42\n`,
      "07:02:05 Vigil digest: 2 low-priority updates · INC-100 opened, INC-101 opened\n",
    ]);
  });

  it("checks its options", () => {
    expect(consoleFactory.check({})).toEqual([]);
    expect(consoleFactory.check({ stream: "stdin" })).toEqual([expect.stringMatching(/^stream: must be one of stderr, stdout/)]);
  });
});
