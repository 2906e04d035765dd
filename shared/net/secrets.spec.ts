import { maskUrl, redact, registerSecret } from "./secrets";

describe("secrets", () => {
  it("masks a URL's path, query and credentials, keeping scheme, host and port", () => {
    expect(maskUrl("https://eth-mainnet.example.com/v2/KEY123")).toBe("https://eth-mainnet.example.com/…");
    expect(maskUrl("http://user:pass@127.0.0.1:8545")).toBe("http://127.0.0.1:8545/…");
    expect(maskUrl("http://127.0.0.1:8545")).toBe("http://127.0.0.1:8545");
  });

  it("removes registered secrets and every URL's path from free text, leaving punctuation alone", () => {
    registerSecret("https://rpc.example.org/abcdefghijklmnopqrstuvwxyz0123");
    const text = "failed at https://rpc.example.org/abcdefghijklmnopqrstuvwxyz0123: timeout; key abcdefghijklmnopqrstuvwxyz0123 (see http://127.0.0.1:59999/x?token=s3cr3t).";
    const out = redact(text);
    expect(out).not.toContain("abcdefghijklmnopqrstuvwxyz0123");
    expect(out).not.toContain("s3cr3t");
    expect(out).toBe("failed at https://rpc.example.org/…: timeout; key *** (see http://127.0.0.1:59999/…).");
  });
});
