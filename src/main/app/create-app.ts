// The one app object every host builds (the Electron window, the browser host, the command line, the agent): the
// vault session, the use cases, the handler table, the projection and the one event stream. A host builds ports,
// forwards `events` to its clients and calls `close` when it goes; it holds no domain logic of its own.
import type { KeyView, TeamView, VaultState } from '../../shared/contract.ts'
import { AppLock } from './lock/app-lock.ts'
import { guardCalls, passesWhileLocked } from './lock/guard-calls.ts'
import { guardTerminal } from './lock/guard-terminal.ts'
import { LockSecret } from './lock/lock-secret.ts'
import { LarderCore } from '../core/larder-core.ts'
import { systemClock } from '../core/time/clock.ts'
import { createActions, type Actions } from './actions.ts'
import { createDesktopFeed, feedKeyOf, feedLibraryOf, type FeedKey } from './desktop-feed.ts'
import { EventStream } from './event-stream.ts'
import { createHandlers, type Handlers } from './handlers.ts'
import { toKeyView } from './key-views.ts'
import type { AppPorts } from './ports.ts'
import { FRAME_MS, nextTurn, ViewProjection, type ViewBatch } from './projection.ts'
import { VaultSession } from './vault-session.ts'
import { openTeamMode } from './team/team-mode.ts'
import { TerminalAccess } from './terminal/terminal-access.ts'
import { createTerminalHandlers } from './terminal/terminal-handlers.ts'
import type { TerminalHandlers } from '../../shared/terminal-words.ts'
import { ImportRuns } from './import/import-runs.ts'

export interface LarderApp {
  readonly handlers: Handlers
  readonly events: EventStream
  readonly session: VaultSession
  /** What the `larder` command reaches over the local endpoint, and the terminal sessions allowed to. */
  readonly terminal: { readonly handlers: TerminalHandlers; readonly access: TerminalAccess }
  /** The app lock (src/main/app/lock/): locks people out, not refreshes. Null on a host without one (the agent). */
  readonly lock: AppLock | null
  /** The open core and its use cases; null while the vault is locked, damaged or closed. */
  core(): LarderCore | null
  actions(): Actions | null
  projection(): ViewProjection | null
  /** Opens the vault (or waits, locked, for a passphrase). */
  start(): Promise<VaultState>
  /** After sleep, resume or a clock jump. */
  wake(): void
  /**
   * A host asks its window to show one library or key (a tray or notification click; a key's notice names its id):
   * 'navigate.key' for a key of another system, else 'navigate.library', so the window opens the right pane.
   */
  navigate(id: string): void
  /** Lets refreshes in flight finish writing their new pairs, then closes vault and audit trail. */
  close(): Promise<void>
}

export function createLarderApp(ports: AppPorts): LarderApp {
  const clock = ports.clock ?? systemClock
  // Built below, once the session it reads is; while it is on, only 'vault.state' goes out to a window.
  let lock: AppLock | null = null
  const events = new EventStream((name) => passesWhileLocked(name, lock?.guarded() === true))
  const lockable = ports.info.host !== 'agent'
  const feed = createDesktopFeed({ clock, ...(ports.tray ? { tray: ports.tray } : {}), ...(ports.notifier ? { notifier: ports.notifier } : {}), lockItem: lockable })
  let opened: { core: LarderCore; actions: Actions; projection: ViewProjection } | null = null

  const publish = (batch: ViewBatch): void => {
    for (const state of batch.personal) events.emit('personal.active', state)
    // Rows only: a window showing one library's whole view asks for it again (see 'library.changed' in the contract).
    for (const { row } of batch.changed) events.emit('library.changed', row)
    for (const id of batch.removed) events.emit('library.removed', { id })
    feed.apply({ personal: batch.personal, changed: batch.changed.map(feedLibraryOf), removed: batch.removed })
  }
  // LARDER_TEAM_DATABASE_URL, read by the host: where a member reaches its team instead of the saved URL (the vault and
  // the team calls).
  const databaseUrlOverride = ports.teamDatabaseUrl
  const attach = (core: LarderCore): void => {
    const projection = new ViewProjection(core, publish, nextTurn, { clock, minGapMs: FRAME_MS })
    // A backup's scrypt work factor follows the vault's (a small one only where the host asks for one: tests, the demo).
    const estate = ports.scryptCost ? { estate: { logN: Math.log2(ports.scryptCost.N) } } : {}
    // A vault opened again (after a lock that forgot its key) gets its own scheduled backups; the old core's stop.
    void opened?.actions.estate.close()
    opened?.actions.team.close()
    const team = {
      larderVersion: ports.info.version,
      changed: (view: TeamView) => events.emit('team.changed', view),
      teamState: () => session.teamState(),
      reopen: () => session.reopen(),
      exit: () => session.teamVault(),
      ...(databaseUrlOverride === undefined ? {} : { databaseUrlOverride }),
      // After a member is removed, every team credential is refreshed through the engine (each under its row's lease),
      // so the copies the removed member holds die at Apicbase.
      afterRemoval: {
        followEpoch: () => session.teamVault()?.checkMembership() ?? Promise.resolve(),
        list: () => core.vault.list(),
        refresh: (id: string) => core.engine.refresh(id, 'manual'),
        lastRemoval: () => session.teamVault()?.lastRemoval() ?? Promise.resolve(null),
        roster: () => session.teamVault()?.currentSession().roster ?? null
      }
    }
    opened = { core, actions: createActions(core, { sink: ports.clipboard, ...(ports.openExternal ? { openExternal: ports.openExternal } : {}), ...estate, team }), projection }
    core.on('settings', (settings) => {
      feed.configure(settings.notifications)
      lock?.replan()
    })
    // A key's view is built once per change, for the window and the desktop both.
    const keyView = (id: string): KeyView | null => {
      const meta = core.vault.key(id)
      return meta === undefined ? null : toKeyView(meta, clock.now(), core.vault)
    }
    core.on('key.changed', (id) => {
      const view = keyView(id)
      if (view === null) return
      events.emit('key.changed', view)
      feed.applyKeys([view], [])
    })
    core.on('key.removed', (id) => {
      events.emit('key.removed', { id })
      feed.applyKeys([], [id])
    })
    const allKeys = (): FeedKey[] => core.vault.keys().map((meta) => feedKeyOf(toKeyView(meta, clock.now(), core.vault)))
    feed.start(() => projection.all(), core.vault.settings().notifications, allKeys)
  }

  const session = new VaultSession({
    vaultPath: ports.storage.vaultPath,
    auditPath: ports.storage.auditPath,
    openStore: ports.storage.openStore,
    keychain: ports.keychain,
    makeCore: (vault, audit) => new LarderCore({ vault, audit, clock, ...(ports.http ? { client: ports.http } : {}), ...ports.tuning }),
    // Network and lease times are the team database's and the wall clock's, not the app's (a test's manual clock).
    openTeam: (vault, audit) => openTeamMode(vault, audit, databaseUrlOverride === undefined ? {} : { databaseUrlOverride }),
    now: () => clock.now(),
    ...(ports.scryptCost ? { scryptCost: ports.scryptCost } : {})
  })
  // What a window and the tray are told: the vault's state, or 'guarded' while the app lock is on.
  const shownState = (vault: VaultState = session.state()): VaultState => lock?.view(vault) ?? vault
  const publishState = (vault?: VaultState): void => {
    const state = shownState(vault)
    feed.vault(state)
    events.emit('vault.state', state)
  }
  // Online or offline from the team: the window's team view and banner.
  session.on('team', (state) => {
    // Offline, the notices hold back the team's expiring tokens and say once that this machine is offline.
    feed.team(state.state === 'offline' ? state.since : null)
    // A removal's refreshes cut short (its member quit) are finished from the first member back online.
    if (state.state === 'online') void opened?.actions.team.resumeRemoval().catch(() => undefined)
    void opened?.actions.team.state().then((view) => events.emit('team.changed', view), () => undefined)
  })
  session.on('state', (state) => {
    const core = session.core()
    if (state.state === 'open' && core && opened?.core !== core) attach(core)
    else if (core === null && opened !== null) {
      // Closed while the app runs (the lock forgot the key): the closed core's views stop with it.
      opened.projection.flush()
      opened.projection.stop()
      opened = null
    }
    lock?.vaultChanged()
    publishState(state)
  })
  const access = new TerminalAccess({
    clock,
    policy: ports.terminal?.policy ?? 'ask',
    prompt: ports.terminal?.prompt,
    emit: { requested: (request) => events.emit('terminal.requested', request), sessions: (view) => events.emit('terminal.sessions', view) },
    audit: () => opened?.core.audit ?? null
  })
  const imports = new ImportRuns({ ports: () => opened?.core ?? null, clock, emit: (progress) => events.emit('import.progress', progress) })
  const appLock = lockable
    ? new AppLock({
        clock,
        vaultState: () => session.state(),
        core: () => opened?.core ?? null,
        seal: () => session.seal(),
        secret: new LockSecret({ vaultPath: ports.storage.vaultPath, ...(ports.scryptCost ? { scryptCost: ports.scryptCost } : {}) }),
        presence: ports.presence,
        idle: ports.idle,
        changed: () => publishState(),
        engaged: () => access.refusePending('Larder was locked')
      })
    : null
  lock = appLock
  const bridge = createHandlers({
    actions: () => opened?.actions ?? null,
    state: () => shownState(),
    ...(appLock ? { lock: appLock } : {}),
    unlock: (passphrase) => session.unlock(passphrase),
    restoreBackup: (passphrase) => session.restoreBackup(passphrase)
  }, ports.info, ports.log, access, imports, ports.files)
  const handlers = appLock ? guardCalls(bridge, () => appLock.guarded()) : bridge
  const terminal = { handlers: guardTerminal(createTerminalHandlers({ core: () => opened?.core ?? null, state: () => session.state(), estate: () => opened?.actions.estate ?? null, team: () => opened?.actions.team ?? null }, access, ports.log, imports), appLock, access, ports.log), access }

  let closing: Promise<void> | null = null
  return {
    handlers,
    events,
    session,
    terminal,
    lock: appLock,
    core: () => opened?.core ?? null,
    actions: () => opened?.actions ?? null,
    projection: () => opened?.projection ?? null,
    start: () => session.start(),
    wake: () => {
      opened?.core.wake()
      // Asleep, the idle check's timer stood still while the system's idle time went on.
      appLock?.replan()
    },
    navigate: (id) => (opened?.core.vault.key(id) === undefined ? events.emit('navigate.library', { id }) : events.emit('navigate.key', { id })),
    close() {
      if (closing) return closing
      // `closing` is set before the first step runs: closing fires events at once (an import's last progress), and a
      // listener that calls close() again must get this same promise, not start a second close that returns early.
      let closed!: () => void
      let failed!: (error: unknown) => void
      closing = new Promise<void>((resolve, reject) => {
        closed = resolve
        failed = reject
      })
      const steps = async (): Promise<void> => {
        feed.dispose()
        appLock?.close()
        access.close()
        // An import's rows in flight finish writing before the vault closes; the rest are cancelled.
        await imports.close()
        const projection = opened?.projection
        // The scheduled backups' timer stops; a backup being written finishes first.
        await opened?.actions.estate.close()
        opened?.actions.team.close()
        await session.close()
        // What the last refreshes changed is still handed out before the stream goes quiet.
        projection?.flush()
        projection?.stop()
        opened = null
      }
      steps().then(closed, failed)
      return closing
    }
  }
}
