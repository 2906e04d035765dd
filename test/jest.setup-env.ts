/**
 * Each jest worker: keep the shared logger quiet unless the developer asks (LOG_LEVEL=debug npx
 * jest ...). Retries and failures that tests provoke on purpose would otherwise flood the output.
 */
process.env.LOG_LEVEL ??= "silent";
// Bots' declared interest (Agent.wantsTransaction) checked in every test that runs the runtime:
// the handlers a bot declines still run, and one that returns a finding or changes its state
// stops the run naming the bot and transaction (shared/runtime/interest-check.ts).
process.env.VIGIL_CHECK_INTEREST ??= "1";
