import { randomUUID } from 'node:crypto';
import { runCheck, type CheckKind } from '@afterhours/checks';
import {
  type ActionSpec,
  initialWatch,
  NutReader,
  type PowerPlan,
  type PowerWatch,
  powerPlan,
  probeHostKey,
  readPowerState,
  type RunEffect,
  type RunEvent,
  type RunState,
  runAction,
  SnmpUpsReader,
  shutdownReason,
  startRun,
  step,
  type Transition,
  type UpsReader,
  type UpsReading,
  watchReading,
  worstReading,
} from '@afterhours/power';
import type { AgentMessage, PowerConfigMessage, PowerLogEntry } from '@afterhours/shared';
import type { Logger } from '../log.js';
import type { PowerStore } from './store.js';

/**
 * The agent's power watch and plan runner. Polls the site's UPSes, tells the hub what it reads, starts
 * the site's plan when a trigger fires and carries it out (commands, verification by the systems'
 * checks or the BMC), all without the hub: the config, the running plan and its log are on disk, and
 * the log goes to the hub whenever the link is up, until acknowledged.
 */
export interface PowerControllerOptions {
  store: PowerStore;
  log: Logger;
  /** Sends a message if the link is up; false otherwise. */
  send: (message: AgentMessage) => boolean;
  now?: () => number;
  tickMs?: number;
  verifyEveryMs?: number;
  commandTimeoutMs?: number;
  readerFor?: (ups: PowerConfigMessage['ups'][number]) => UpsReader;
}

interface ActiveRun {
  id: string;
  trigger: string;
  state: RunState;
}

const defaultReader = (ups: PowerConfigMessage['ups'][number]): UpsReader =>
  ups.kind === 'nut'
    ? new NutReader(ups.settings as unknown as ConstructorParameters<typeof NutReader>[0])
    : new SnmpUpsReader(ups.settings as never);

const HOST_KEY_CHECK_MS = 3600_000;

/** "host:port" of an SSH action, the key its pinned host key is kept under. */
function sshTarget(spec: ActionSpec | null | undefined): string | null {
  if (spec?.kind !== 'ssh') return null;
  return `${String(spec.settings.host)}:${Number(spec.settings.port ?? 22)}`;
}

export class PowerController {
  private readers = new Map<string, UpsReader>();
  private readings = new Map<string, UpsReading>();
  private watch: PowerWatch = initialWatch;
  private plan: PowerPlan | null = null;
  private run: ActiveRun | null;
  private pollTimers = new Map<string, NodeJS.Timeout>();
  private tickTimer: NodeJS.Timeout | undefined;
  private verifyTimer: NodeJS.Timeout | undefined;
  private hostKeyTimer: NodeJS.Timeout | undefined;
  private lastSentKey = '';
  private lastSentAt = 0;
  private stopped = false;
  /** Systems whose command was accepted and are being verified (not manual ones). */
  private verifying = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly options: PowerControllerOptions) {
    this.now = options.now ?? Date.now;
    this.run = (options.store.data.run as ActiveRun | null) ?? null;
  }

  get currentRun(): Readonly<ActiveRun> | null {
    return this.run;
  }

  start(): void {
    const { config } = this.options.store.data;
    if (config) this.apply(config);
    if (this.run && this.run.state.phase === 'running') {
      // Resumed after a restart: verify what was commanded, never send a command twice.
      // A manual step stays waiting for the person's confirmation (no check can stand in for it).
      for (const [id, s] of Object.entries(this.run.state.steps))
        if (s.status === 'commanded' && !this.isManual(id, this.run.state.direction)) this.verifying.add(id);
      this.journal({ kind: 'log', level: 'warning', message: 'the agent restarted during the run; resuming it' });
    }
    this.tickTimer = setInterval(() => this.feed({ type: 'tick', now: this.now() }), this.options.tickMs ?? 1000);
    this.verifyTimer = setInterval(() => void this.verify(), this.options.verifyEveryMs ?? 2000);
    this.hostKeyTimer = setInterval(() => void this.checkHostKeys(), HOST_KEY_CHECK_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.pollTimers.values()) clearTimeout(timer);
    clearInterval(this.tickTimer);
    clearInterval(this.verifyTimer);
    clearInterval(this.hostKeyTimer);
    for (const reader of this.readers.values()) reader.close();
    await this.options.store.flush();
  }

  /**
   * Reads each SSH server's host key (no login): pins it on first use, or reports a changed one, so a
   * reinstalled server is noticed and re-pinned before a power cut rather than refused during one.
   */
  async checkHostKeys(): Promise<void> {
    const config = this.options.store.data.config;
    for (const system of config?.systems ?? []) {
      const spec = system.shutdown as ActionSpec | null;
      const target = sshTarget(spec);
      if (!spec || !target || this.stopped) continue;
      const pinned = (spec.settings.hostKey as string | undefined) || this.options.store.data.pins[target];
      const seen = await probeHostKey(String(spec.settings.host), Number(spec.settings.port ?? 22), 10_000);
      if (!seen || seen === pinned) continue;
      if (!pinned) this.pin(system.id, target, seen, 'host-keys');
      else
        this.journal(
          {
            kind: 'log',
            level: 'warning',
            message: `${system.name}: SSH host key changed (the server shows ${seen}, pinned is ${pinned}); a shutdown would not be sent. If the server was reinstalled, an owner or admin can re-pin its key on the site's Power screen`,
            systemId: system.id,
            refusedHostKey: seen,
          },
          'host-keys',
        );
    }
  }

  /** The hub sent the site's power config: keep it on disk and use it. */
  configure(config: PowerConfigMessage): void {
    void this.options.store.update((d) => {
      d.config = config;
      for (const system of config.systems) {
        const target = sshTarget(system.shutdown as ActionSpec | null);
        const key = system.shutdown?.settings.hostKey;
        if (target && typeof key === 'string' && key) d.pins[target] = key;
      }
    });
    this.apply(config);
    void this.checkHostKeys();
  }

  /** A person on the hub ordered a shutdown, a startup, or confirmed a manual step. */
  command(command: 'shutdown' | 'startup' | 'confirm', by: string, systemId?: string): void {
    const now = this.now();
    if (command === 'confirm' && systemId) {
      this.feed({ type: 'verified', systemId, message: `confirmed by ${by}`, now });
    } else if (command === 'shutdown') {
      if (this.run && this.run.state.phase === 'running') return;
      this.begin('shutdown', `ordered by ${by}`);
    } else if (command === 'startup') {
      if (this.run && (this.run.state.phase === 'down' || this.run.state.phase === 'waiting-for-power'))
        this.feed({ type: 'start-up', now, by });
      else if (this.run?.state.phase !== 'running') this.begin('startup', `ordered by ${by}`);
    }
  }

  /** The link is up: send the state and every log batch not yet acknowledged. */
  linkUp(): void {
    this.lastSentKey = '';
    this.report(true);
    for (const batch of this.options.store.data.log)
      this.options.send({ type: 'power-log', seq: batch.seq, entries: batch.entries });
  }

  acknowledge(seq: number): void {
    void this.options.store.update((d) => {
      d.log = d.log.filter((b) => b.seq > seq);
    });
  }

  private apply(config: PowerConfigMessage): void {
    const parsed = config.plan ? powerPlan.safeParse(config.plan) : null;
    if (parsed && !parsed.success)
      this.options.log.error({ issues: parsed.error.issues }, 'the power plan is not valid');
    this.plan = parsed?.success ? parsed.data : null;
    for (const reader of this.readers.values()) reader.close();
    const readers = new Map(config.ups.map((u) => [u.id, (this.options.readerFor ?? defaultReader)(u)]));
    this.readers = readers;
    this.readings.clear();
    for (const timer of this.pollTimers.values()) clearTimeout(timer);
    this.pollTimers.clear();
    if (this.stopped) return;
    for (const ups of config.ups) void this.poll(readers, ups.id, ups.pollMs ?? config.pollMs);
  }

  /** Each UPS on its own interval; a reader of a replaced config stops at its next turn. */
  private async poll(readers: Map<string, UpsReader>, id: string, pollMs: number): Promise<void> {
    const reader = readers.get(id);
    if (!reader) return;
    const reading = await reader.read();
    if (this.stopped || this.readers !== readers) return;
    this.readings.set(id, reading);
    this.onReadings();
    this.pollTimers.set(
      id,
      setTimeout(() => void this.poll(readers, id, pollMs), pollMs),
    );
  }

  private onReadings(): void {
    const now = this.now();
    const worst = worstReading([...this.readings.values()]);
    const before = this.watch;
    if (worst) this.watch = watchReading(this.watch, worst, now);
    this.report(false);
    const onBattery = this.watch.onBatterySince !== null;
    if (this.run && (before.onBatterySince !== null) !== onBattery) this.feed({ type: 'power', onBattery, now });
    if (!this.plan || (this.run && !['finished', 'stopped'].includes(this.run.state.phase))) return;
    const config = this.options.store.data.config;
    const windows = (config?.windows ?? []).map((w) => ({
      id: w.id,
      startsAt: Date.parse(w.startsAt),
      endsAt: Date.parse(w.endsAt),
      note: w.note,
    }));
    const fired = shutdownReason(this.plan.triggers, this.watch, worst, windows, now);
    if (!fired) return;
    if (fired.windowId) this.watch = { ...this.watch, firedWindows: [...this.watch.firedWindows, fired.windowId] };
    this.begin('shutdown', `trigger: ${fired.reason}`);
  }

  /** Sends the readings when something that matters changed, and at least every minute. */
  private report(force: boolean): void {
    if (this.readings.size === 0) return;
    const readings = [...this.readings.entries()].map(([upsId, reading]) => ({ upsId, reading }));
    const key = JSON.stringify(
      readings.map(({ reading: r }) => [r.state, r.power, r.lowBattery, r.forcedShutdown, r.flags.join(' ')]),
    );
    const now = this.now();
    if (!force && key === this.lastSentKey && now - this.lastSentAt < 60_000) return;
    if (this.options.send({ type: 'power', at: new Date(now).toISOString(), readings })) {
      this.lastSentKey = key;
      this.lastSentAt = now;
    }
  }

  private begin(direction: 'shutdown' | 'startup', trigger: string): void {
    if (!this.plan) {
      this.options.log.warn({ trigger }, 'power: no plan for this site; nothing to run');
      return;
    }
    const now = this.now();
    this.run = { id: randomUUID(), trigger, state: undefined as unknown as RunState };
    this.verifying.clear();
    this.journal({ kind: 'started', level: 'info', message: `${direction} plan started`, trigger });
    const onBattery = this.watch.onBatterySince !== null;
    this.apply_(startRun(this.plan, direction, { now, reason: trigger, onBattery }));
  }

  private feed(event: RunEvent): void {
    if (this.stopped || !this.run || !this.plan) return;
    this.apply_(step(this.plan, this.run.state, event));
  }

  private apply_(transition: Transition): void {
    if (!this.run) return;
    const phaseBefore = this.run.state?.phase;
    this.run.state = transition.state;
    for (const effect of transition.effects) this.carryOut(effect);
    if (transition.state.phase !== phaseBefore)
      this.journal({
        kind: 'phase',
        level: 'info',
        message: `run is ${transition.state.phase}`,
        phase: transition.state.phase,
      });
    if (transition.effects.length > 0 || transition.state.phase !== phaseBefore) {
      const run = this.run;
      void this.options.store.update((d) => {
        d.run = run;
      });
    }
  }

  private carryOut(effect: RunEffect): void {
    switch (effect.type) {
      case 'log':
        this.journal({ kind: 'log', level: effect.level, message: effect.message, systemId: effect.systemId });
        return;
      case 'maintenance-on':
      case 'maintenance-off':
        this.journal({ kind: effect.type, level: 'info', message: effect.type, systemId: effect.systemId });
        return;
      case 'command':
        void this.command_(effect.systemId, effect.direction);
        return;
    }
  }

  private isManual(systemId: string, direction: 'shutdown' | 'startup'): boolean {
    const system = this.system(systemId);
    return (direction === 'shutdown' ? system?.shutdown : system?.startup)?.kind === 'manual';
  }

  private system(id: string) {
    return this.options.store.data.config?.systems.find((s) => s.id === id);
  }

  private async command_(systemId: string, direction: 'shutdown' | 'startup'): Promise<void> {
    const system = this.system(systemId);
    const spec = (direction === 'shutdown' ? system?.shutdown : system?.startup) as ActionSpec | null | undefined;
    if (!spec) {
      this.feed({
        type: 'command-result',
        systemId,
        ok: false,
        message: `no ${direction} action set`,
        now: this.now(),
      });
      return;
    }
    const target = sshTarget(spec);
    const pinned = target && !spec.settings.hostKey ? this.options.store.data.pins[target] : undefined;
    const runnable = pinned ? { ...spec, settings: { ...spec.settings, hostKey: pinned } } : spec;
    const result = await runAction(runnable, direction, this.options.commandTimeoutMs ?? 30_000);
    this.journal({
      kind: 'command',
      level: result.ok ? 'info' : 'warning',
      message: result.message,
      systemId,
      ...(result.refusedHostKey ? { refusedHostKey: result.refusedHostKey } : {}),
    });
    if (target && result.pinnedHostKey) this.pin(systemId, target, result.pinnedHostKey);
    this.feed({ type: 'command-result', systemId, ok: result.ok, message: result.message, now: this.now() });
    if (result.ok && spec.kind !== 'manual') {
      this.verifying.add(systemId);
      void this.verify();
    }
  }

  /** Keeps a host key seen on first use (on disk, so a restarted agent refuses a changed key) and tells the hub. */
  private pin(systemId: string, target: string, hostKey: string, runId?: string): void {
    void this.options.store.update((d) => {
      d.pins[target] = hostKey;
    });
    const name = this.system(systemId)?.name ?? systemId;
    this.journal(
      {
        kind: 'log',
        level: 'info',
        message: `${name}: SSH host key pinned on first use: ${hostKey}`,
        systemId,
        hostKey,
      },
      runId,
    );
  }

  /** Verifies commanded systems: all checks down (or up), else the BMC's power state, else the command. */
  private async verify(): Promise<void> {
    const run = this.run;
    if (run?.state.phase !== 'running') return;
    const direction = run.state.direction;
    await Promise.all(
      [...this.verifying].map(async (systemId) => {
        if (run.state.steps[systemId]?.status !== 'commanded') return this.verifying.delete(systemId);
        const system = this.system(systemId);
        const verdict = await this.verdict(system, direction);
        if (verdict && this.run === run && run.state.direction === direction) {
          this.verifying.delete(systemId);
          this.feed({ type: 'verified', systemId, message: verdict, now: this.now() });
        }
      }),
    );
  }

  private async verdict(
    system: PowerConfigMessage['systems'][number] | undefined,
    direction: 'shutdown' | 'startup',
  ): Promise<string | null> {
    if (!system) return 'unknown system: counted as done';
    const want = direction === 'shutdown' ? 'down' : 'up';
    if (system.checks.length > 0) {
      const results = await Promise.all(
        system.checks.map((c) => runCheck(c.kind as CheckKind, c.params, { timeoutMs: 3000 }).catch(() => null)),
      );
      const all = results.every((r) => (want === 'down' ? r?.status === 'down' : r?.status === 'up'));
      return all ? `verified ${want}: ${results.length} check(s) ${want}` : null;
    }
    const bmc = [system.shutdown, system.startup].find((s) => s && (s.kind === 'ipmi' || s.kind === 'redfish'));
    if (bmc) {
      const state = await readPowerState(bmc as ActionSpec, 5000);
      return state === (want === 'down' ? 'off' : 'on') ? `verified ${want}: the BMC says ${state}` : null;
    }
    return `no check or BMC to verify with: counted as ${want} once the command was accepted`;
  }

  /** A log line of the running plan, or of `runId` (the host-key check runs outside any plan). */
  private journal(entry: Omit<PowerLogEntry, 'at' | 'runId'>, runId?: string): void {
    const id = runId ?? this.run?.id;
    if (this.stopped || !id) return;
    const full: PowerLogEntry = { at: new Date(this.now()).toISOString(), runId: id, ...entry };
    if (entry.systemId === undefined) delete full.systemId;
    this.options.log.info({ power: full }, `power: ${full.message}`);
    const store = this.options.store;
    const seq = store.data.nextSeq;
    // On disk first, then sent: an agent killed in between never reuses a number the hub has already stored.
    void store
      .update((d) => {
        d.log.push({ seq, entries: [full] });
        d.nextSeq = seq + 1;
      })
      .then(() => this.options.send({ type: 'power-log', seq, entries: [full] }));
  }
}
