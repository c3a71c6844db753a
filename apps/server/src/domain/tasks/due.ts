/** A due time as a message reads it, in the site's time zone: "Sat 6 Dec 07:00 (Europe/London)". */
export function formatDue(dueAt: string, timeZone: string | null): string {
  const zone = timeZone ?? 'UTC';
  const text = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: zone,
  }).format(new Date(dueAt));
  return `${text.replace(',', '')} (${zone})`;
}
