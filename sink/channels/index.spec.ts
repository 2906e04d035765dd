import { CHANNEL_FACTORIES, CHANNEL_KINDS, isChannelKind } from ".";

describe("CHANNEL_FACTORIES", () => {
  it("has a factory for every kind, each named by its key", () => {
    expect(CHANNEL_KINDS.sort()).toEqual(["console", "discord", "email", "file", "pagerduty", "slack", "telegram", "webhook"]);
    for (const k of CHANNEL_KINDS) expect(CHANNEL_FACTORIES[k].kind).toBe(k);
    expect(isChannelKind("slack")).toBe(true);
    expect(isChannelKind("opsgenie")).toBe(false);
  });

  it("check() returns one problem per bad field, each starting with the field's name", () => {
    for (const k of CHANNEL_KINDS) {
      const problems = CHANNEL_FACTORIES[k].check({ bogus: 1 });
      expect(problems.some((p) => p.startsWith("bogus: unknown option"))).toBe(true);
      for (const p of problems) expect(p).toMatch(/^[a-zA-Z]+: /);
    }
  });

  it("never echoes a secret field's value in a problem", () => {
    const secretish = "https://hooks.example.org/services/SECRET-TOKEN-123456";
    for (const k of CHANNEL_KINDS) {
      for (const f of CHANNEL_FACTORIES[k].secretFields) {
        const problems = CHANNEL_FACTORIES[k].check({ [f]: secretish.replace("https", "ftp") });
        expect(problems.join("\n")).not.toContain("SECRET-TOKEN-123456");
      }
    }
  });
});
