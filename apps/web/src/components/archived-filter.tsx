export type ArchivedFilter = 'false' | 'true' | 'all';

/** Active / Archived / All, as the list endpoints' `archived` query. */
export function ArchivedFilterControl({ value, onChange, label }: { value: ArchivedFilter; onChange: (v: ArchivedFilter) => void; label: string }) {
  const choices: [ArchivedFilter, string][] = [
    ['false', 'Active'],
    ['true', 'Archived'],
    ['all', 'All'],
  ];
  return (
    <div className="segmented segmented-small" role="radiogroup" aria-label={label}>
      {choices.map(([v, text]) => (
        <label key={v} className={value === v ? 'is-on' : ''}>
          <input type="radio" checked={value === v} onChange={() => onChange(v)} />
          {text}
        </label>
      ))}
    </div>
  );
}
