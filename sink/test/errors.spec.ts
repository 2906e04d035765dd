/**
 * The sink's errors take the one shape of shared/errors (issue 14): each is a VigilError with its
 * own code from the sink domain, and keeps its message, name and extra fields.
 */
import { VigilError, domainOf, hasCode } from "../../shared/errors";
import { ChannelError } from "../channels/channel";
import { CliError } from "../cli/common";
import { RulesError } from "../config/rules";
import { DashboardError } from "../http/dashboard/routes";
import { CommandError } from "../incidents/engine";
import { FindingValidationError } from "../intake/validate";

describe("sink errors are VigilErrors", () => {
  it("ChannelError keeps retryable, retryAfterMs, status and its name; code SINK_SEND", () => {
    const e = new ChannelError("slack ops: HTTP 429; will retry", true, 30_000, 429);
    expect(e).toBeInstanceOf(VigilError);
    expect(e).toBeInstanceOf(Error);
    expect([e.code, e.name, e.message, e.retryable, e.retryAfterMs, e.status]).toEqual(["SINK_SEND", "ChannelError", "slack ops: HTTP 429; will retry", true, 30_000, 429]);
    expect(hasCode(new Error("delivery failed", { cause: e }), "SINK_SEND")).toBe(e);
  });

  it("DashboardError keeps its status; code SINK_DASHBOARD", () => {
    const e = new DashboardError(405, "the dashboard only reads");
    expect([e.code, e.status, e.message]).toEqual(["SINK_DASHBOARD", 405, "the dashboard only reads"]);
  });

  it("FindingValidationError keeps field and problem; code SINK_BAD_FINDING", () => {
    const e = new FindingValidationError("[0].finding.severity", "must be one of ...");
    expect([e.code, e.field, e.problem, e.message]).toEqual(["SINK_BAD_FINDING", "[0].finding.severity", "must be one of ...", "[0].finding.severity: must be one of ..."]);
  });

  it("CliError, CommandError and RulesError carry their own sink codes", () => {
    expect(new CliError("no such incident").code).toBe("SINK_CLI");
    expect(new CliError("no such incident").message).toBe("no such incident");
    const c = new CommandError("incident INC-9 does not exist", 404);
    expect([c.code, c.status]).toEqual(["SINK_COMMAND", 404]);
    expect(new RulesError("r.yaml", ["a", "b"]).code).toBe("SINK_RULES");
  });

  it("every sink code is in the sink domain", () => {
    for (const code of ["SINK_SEND", "SINK_HTTP", "SINK_DASHBOARD", "SINK_BAD_FINDING", "SINK_CLI", "SINK_COMMAND", "SINK_RULES"]) expect(domainOf(code)).toBe("sink");
    expect(domainOf("MAKER_DEPLOY")).toBe("test");
  });
});
