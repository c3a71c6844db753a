import type { Criticality, PreferredChannel, SystemKind, Weekday } from '../../api/types';

// Typed by the shared enums, so a new kind fails to compile until it has a label here.
export const SYSTEM_KIND_LABELS: Record<SystemKind, string> = {
  server: 'Server',
  virtual_machine: 'Virtual machine',
  hypervisor: 'Hypervisor',
  nas: 'NAS',
  email: 'Email',
  phone_system: 'Phone system',
  firewall: 'Firewall',
  internet_line: 'Internet line',
  backup_job: 'Backup job',
  ups: 'UPS',
  other: 'Other',
};

export const CRITICALITY_LABELS: Record<Criticality, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  critical: 'Critical',
};

export const CHANNEL_LABELS: Record<PreferredChannel, string> = {
  email: 'E-mail',
  sms: 'SMS',
  phone: 'Phone call',
  none: 'Do not contact',
};

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

export const options = <K extends string>(labels: Record<K, string>) =>
  (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
