export async function runDevnet(_o: { once: boolean; bots?: string[]; format: string; out?: string; handlerTimeoutMs: number }): Promise<void> { throw new Error("devnet: not yet"); }
