/**
 * Each jest worker: keep the shared logger quiet unless the developer asks (LOG_LEVEL=debug npx
 * jest ...). Retries and failures that tests provoke on purpose would otherwise flood the output.
 */
process.env.LOG_LEVEL ??= "silent";
