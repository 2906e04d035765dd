import { FindingSeverity } from "../../../shared/findings";
import { dec } from "../../../shared/math";
import { classifySpell, type SpellFacts } from "./spell-class";

const NOW = 1_800_000_000;
const T = { minCampaignSeconds: 24 * 3600, minSupporters: 2, minDelegateShare: dec("0.5") };
const SPELL = { hasCode: true, pauseMatches: true, actionHasCode: true, tagMatches: true, expiration: String(NOW + 30 * 86400), done: false, description: "Executive vote" };
const CAMPAIGN = { observed: true, firstSupport: NOW - 2 * 86400, supporters: 3, delegateSupporters: 3, delegateShare: dec(1) };
const facts = (over: Partial<SpellFacts> = {}): SpellFacts => ({ configured: false, emsp: null, protego: false, dropSpell: false, shape: SPELL, campaign: CAMPAIGN, learnedDeployer: false, now: NOW, ...over });

describe("classifySpell", () => {
  it("an ordinary executive voted over days by delegates is a vetted normal spell (Info), with no list configured", () => {
    expect(classifySpell(facts(), T)).toMatchObject({ class: "normal", severity: FindingSeverity.Info, vetted: true });
  });
  it("a DssSpell-shaped hat whose campaign was not seen is vetted at Low, or Info once cast or from a deployer with a history", () => {
    const unobserved = { observed: false, firstSupport: null, supporters: 0, delegateSupporters: 0, delegateShare: null };
    expect(classifySpell(facts({ campaign: unobserved }), T)).toMatchObject({ class: "normal", severity: FindingSeverity.Low, vetted: true });
    expect(classifySpell(facts({ campaign: unobserved, shape: { ...SPELL, done: true } }), T).severity).toBe(FindingSeverity.Info);
    expect(classifySpell(facts({ campaign: unobserved, learnedDeployer: true }), T).severity).toBe(FindingSeverity.Info);
  });
  it("a spell dressed up as ordinary but won fast, by one voter, from outside the delegates is suspicious (High), each reason named", () => {
    const v = classifySpell(facts({ campaign: { observed: true, firstSupport: NOW - 600, supporters: 1, delegateSupporters: 0, delegateShare: dec(0) } }), T);
    expect(v).toMatchObject({ class: "suspicious", severity: FindingSeverity.High, vetted: false });
    expect(v.reasons).toEqual(["won 0.2 h after its first vote (under 24.0 h)", "1 voter(s) (under 2)", "0.0% of its approvals in VoteDelegates (under 50%)"]);
  });
  it("boundaries: exactly the minimum campaign, voters and share pass", () => {
    expect(classifySpell(facts({ campaign: { observed: true, firstSupport: NOW - 86400, supporters: 2, delegateSupporters: 1, delegateShare: dec("0.5") } }), T).vetted).toBe(true);
    expect(classifySpell(facts({ campaign: { observed: true, firstSupport: NOW - 86399, supporters: 2, delegateSupporters: 1, delegateShare: dec("0.5") } }), T).vetted).toBe(false);
    expect(classifySpell(facts({ campaign: { observed: true, firstSupport: NOW - 86400, supporters: 2, delegateSupporters: 1, delegateShare: dec("0.4999") } }), T).vetted).toBe(false);
  });
  it("a spell whose getters do not add up is suspicious even with a good campaign: another pause, a codeless action, a wrong tag, expired, the EMSP 'never'", () => {
    for (const [shape, reason] of [
      [{ pauseMatches: false }, "pause() is not MCD_PAUSE"],
      [{ actionHasCode: false }, "action() has no code"],
      [{ tagMatches: false }, "tag() is not the action's code hash"],
      [{ expiration: String(NOW - 1) }, "expired"],
      [{ expiration: dec(2).pow(256).minus(1).toFixed() }, "never expires, as an emergency spell, but is no ChainLog EMSP"],
    ] as const) {
      const v = classifySpell(facts({ shape: { ...SPELL, ...shape } }), T);
      expect([v.class, v.reasons]).toEqual(["suspicious", [reason]]);
    }
  });
  it("no code or no DssSpell getters: not a spell (Critical)", () => {
    expect(classifySpell(facts({ shape: { ...SPELL, hasCode: false } }), T)).toMatchObject({ class: "unknown", severity: FindingSeverity.Critical, vetted: false });
    expect(classifySpell(facts({ shape: { ...SPELL, pauseMatches: null } }), T)).toMatchObject({ class: "unknown", severity: FindingSeverity.Critical });
  });
  it("emergency spells, Protego and its drop spells are named, never vetted as ordinary spells; the configured list overrides all", () => {
    expect(classifySpell(facts({ emsp: "EMSP_SPBEAM_HALT" }), T)).toMatchObject({ class: "emsp", severity: FindingSeverity.High, vetted: false });
    expect(classifySpell(facts({ protego: true }), T)).toMatchObject({ class: "protego", severity: FindingSeverity.High });
    expect(classifySpell(facts({ dropSpell: true }), T)).toMatchObject({ class: "drop-spell", severity: FindingSeverity.Medium });
    expect(classifySpell(facts({ configured: true, shape: { ...SPELL, hasCode: false } }), T)).toMatchObject({ class: "configured", severity: FindingSeverity.Info, vetted: true });
  });
});
