/** What the benchmark reads of other processes (anvil) from /proc: peak RSS and CPU time. */
import { readFileSync } from "fs";

/** anvil's peak RSS (the kernel's VmHWM), null where /proc is not there */
export function anvilPeakRssMb(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Math.round((Number(kb) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

/** CPU ms (user + system) a process has used so far (/proc/<pid>/stat, clock ticks of 10 ms), null where /proc is not there */
export function processCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
