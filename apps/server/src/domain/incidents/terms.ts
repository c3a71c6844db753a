import { type Contract, DEFAULT_CONTRACT, type IncidentTerms } from '@afterhours/shared';

/** The contract's support hours and targets as an incident keeps them from the moment it opens. */
export function termsOf(contractJson: string): IncidentTerms {
  let contract: Contract;
  try {
    contract = { ...DEFAULT_CONTRACT, ...(JSON.parse(contractJson) as Partial<Contract>) };
  } catch {
    contract = DEFAULT_CONTRACT;
  }
  return {
    supportHours: contract.supportHours,
    acknowledgeTargetMinutes: contract.responseTargetMinutes,
    resolveTargetMinutes: contract.resolveTargetMinutes ?? null,
  };
}
