import { useApi } from '../../api/use-api';
import { SelectField } from '../../components/field';
import type { ContractDraft } from './contract-fields';

type Least = 'low' | 'normal' | 'high' | 'critical' | 'none';
/** The least critical system that pages, within and outside support hours. */
export interface PagingRules {
  withinHours: Least;
  outsideHours: Least;
}

/** Critical systems page at any hour; the rest only within support hours (the hub's default). */
export const DEFAULT_PAGING: PagingRules = { withinHours: 'low', outsideHours: 'critical' };

const LEAST: readonly { value: Least; label: string }[] = [
  { value: 'low', label: 'Every system' },
  { value: 'normal', label: 'Normal, high and critical systems' },
  { value: 'high', label: 'High and critical systems' },
  { value: 'critical', label: 'Critical systems only' },
  { value: 'none', label: 'Nothing (listed, not paged)' },
];

const leastLabel = (least: Least) => LEAST.find((l) => l.value === least)?.label.toLowerCase() ?? least;

/** "Pages for every system within support hours; outside them, critical systems only." */
export function describePaging(paging: PagingRules | undefined, always: boolean): string {
  const p = paging ?? DEFAULT_PAGING;
  if (always) return `Pages for ${leastLabel(p.withinHours)}, at any hour`;
  return `Pages for ${leastLabel(p.withinHours)} within support hours; outside them, ${leastLabel(p.outsideHours)}`;
}

interface Props {
  value: ContractDraft;
  onChange: (value: ContractDraft) => void;
  fields: Record<string, string>;
  prefix: string;
}

/** Which escalation policy pages for the client, and what pages when. */
export function PagingFields({ value, onChange, fields, prefix }: Props) {
  const policies = useApi<{ items: Array<{ id: string; name: string; isDefault: boolean }> }>(
    '/api/escalation-policies',
    { live: false },
  );
  const set = (paging: Partial<PagingRules>) => onChange({ ...value, paging: { ...value.paging, ...paging } });
  const fallback = policies.data?.items.find((p) => p.isDefault);
  const options = [
    { value: '', label: fallback ? `The default (${fallback.name})` : 'The default policy' },
    ...(policies.data?.items ?? []).map((p) => ({ value: p.id, label: p.name })),
  ];
  const always = value.kind === 'always';
  return (
    <>
      <SelectField
        label="Escalation policy"
        options={options}
        value={value.escalationPolicyId}
        onChange={(e) => onChange({ ...value, escalationPolicyId: e.target.value })}
        error={fields[`${prefix}.escalationPolicyId`]}
        hint="Who is paged, in what order, when this client has a problem."
      />
      <SelectField
        label={always ? 'What pages (24/7)' : 'What pages within support hours'}
        options={LEAST}
        value={value.paging.withinHours}
        onChange={(e) => set({ withinHours: e.target.value as Least })}
        error={fields[`${prefix}.paging.withinHours`]}
      />
      {!always && (
        <SelectField
          label="What pages outside support hours"
          options={LEAST}
          value={value.paging.outsideHours}
          onChange={(e) => set({ outsideHours: e.target.value as Least })}
          error={fields[`${prefix}.paging.outsideHours`]}
          hint="The rest is recorded and listed for the morning."
        />
      )}
    </>
  );
}
