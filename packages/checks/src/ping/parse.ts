/** What iputils `ping` printed, reduced to numbers. */
export interface PingSummary {
  transmitted: number;
  received: number;
  lossPercent: number;
  errors: number;
  rttMs: { min: number; avg: number; max: number; mdev: number } | null;
}

/**
 * Parses the summary of iputils-ping (Debian's `ping`):
 *   3 packets transmitted, 3 received, 0% packet loss, time 2003ms
 *   rtt min/avg/max/mdev = 0.032/0.055/0.072/0.016 ms
 * BusyBox prints "round-trip min/avg/max = …" without mdev; both are accepted.
 */
export function parsePingOutput(output: string): PingSummary | null {
  const counts =
    /(\d+) packets transmitted, (\d+) (?:packets )?received,(?: \+(\d+) errors?,)?(?: \+\d+ duplicates,)? ([\d.]+)% packet loss/.exec(
      output,
    );
  if (!counts) return null;
  const rtt = /(?:rtt|round-trip) min\/avg\/max(?:\/mdev)? = ([\d.]+)\/([\d.]+)\/([\d.]+)(?:\/([\d.]+))? ms/.exec(
    output,
  );
  return {
    transmitted: Number(counts[1]),
    received: Number(counts[2]),
    errors: Number(counts[3] ?? 0),
    lossPercent: Number(counts[4]),
    rttMs: rtt ? { min: Number(rtt[1]), avg: Number(rtt[2]), max: Number(rtt[3]), mdev: Number(rtt[4] ?? 0) } : null,
  };
}
