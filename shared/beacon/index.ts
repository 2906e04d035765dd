/** The consensus bots' beacon toolkit: client, clock, events, SSE, agent skeleton, findings. */
export * from "./types";
export * from "./errors";
export * from "./client";
export * from "./clock";
export * from "./events";
export * from "./sse";
export * from "./agent";
export * from "./findings";
export * from "./config";
