/**
 * A measurement in a result's message: a number with a unit of time or a percentage (`312.4 ms`, `2 s`, `33%`),
 * a count out of a total (`2/3 replies`), or a value held against a threshold (SNMP's `… is 41.5, above 40`:
 * the value, not the threshold). Status codes, ports, addresses, day counts and other values without a unit
 * are not: they say which problem it is.
 */
const MEASUREMENT =
  /\b\d+(?:\.\d+)?(?:\s?(?:ms|µs|s)\b|%)|\b\d+\/\d+\b|(?<=\bis )-?\d+(?:\.\d+)?(?=, (?:above|below) )/g;

/**
 * What kind of reason a message gives, its measurements left out: "slow replies (over 200 ms): 3/3 replies from
 * gw, average 312.4 ms" and the same with 298.1 ms are one kind; "HTTP 500" and "HTTP 503" are two.
 */
export function reasonKind(message: string): string {
  return message.replace(MEASUREMENT, '#');
}
