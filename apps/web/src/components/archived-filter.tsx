import { Segmented } from './segmented';

export type ArchivedFilter = 'false' | 'true' | 'all';

/** Active / Archived / All, as the list endpoints' `archived` query. */
export function ArchivedFilterControl({
  value,
  onChange,
  label,
}: {
  value: ArchivedFilter;
  onChange: (v: ArchivedFilter) => void;
  label: string;
}) {
  const choices: [ArchivedFilter, string][] = [
    ['false', 'Active'],
    ['true', 'Archived'],
    ['all', 'All'],
  ];
  return <Segmented small label={label} value={value} choices={choices} onChange={onChange} />;
}
