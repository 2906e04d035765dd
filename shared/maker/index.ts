export * from "./chainlog";
