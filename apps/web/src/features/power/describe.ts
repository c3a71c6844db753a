import type { SitePower } from '@afterhours/shared';
import { ACTION_LABELS, type ActionKind } from './fields';

type Shown = SitePower['systems'][number]['shutdown'];

/** One line for an action, without secrets: "SSH admin@10.0.0.5: sudo shutdown -h now". */
export function describeAction(action: Shown): string {
  if (!action) return 'nothing set';
  const s = action.settings as Record<string, string | number | undefined>;
  switch (action.kind as ActionKind) {
    case 'ssh':
      return `SSH ${s.username}@${s.host}${s.port && s.port !== 22 ? `:${s.port}` : ''}: ${s.command ?? 'sudo shutdown -h now'}`;
    case 'ipmi':
      return `IPMI ${s.host}${s.shutdown === 'off' ? ' (power off)' : ''}`;
    case 'redfish':
      return `Redfish ${s.url}`;
    case 'wol':
      return `Wake-on-LAN ${s.mac}`;
    case 'manual':
      return `A person${s.instructions ? `: ${s.instructions}` : ' confirms'}`;
    default:
      return ACTION_LABELS[action.kind as ActionKind] ?? action.kind;
  }
}

/** "NUT office@10.0.0.2" / "SNMP 10.0.0.3 (PowerNet)". */
export function describeUps(ups: SitePower['ups'][number]): string {
  const s = ups.settings as Record<string, string | number | undefined>;
  return ups.kind === 'nut'
    ? `NUT ${s.ups}@${s.host}${s.port && s.port !== 3493 ? `:${s.port}` : ''}`
    : `SNMP ${s.host}${s.mib === 'powernet' ? ' (PowerNet)' : ''}`;
}
