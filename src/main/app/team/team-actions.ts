// The team calls (src/shared/contract/team.ts) on one open vault: make a team, ask to join one and wait for a member's
// approval, withdraw the request, approve another, and what this machine's membership is. Each database step opens a
// connection for itself and closes it; while a request waits, its approval is looked for every few seconds, and the
// window is told when it came (or when the request ran out).
import { InputError } from '../../core/errors.ts'
import type { Clock, TimerHandle } from '../../core/time/clock.ts'
import { redactedUrl, teamConnectionOptions, type TeamDatabaseSettings } from '../../core/team/db/connection-config.ts'
import { approveJoin } from '../../core/team/membership.ts'
import { askToJoin, connectTeamDb, finishJoining, openMembership, refreshMembership, startTeam, type OpenTeamDb, type TeamPlace } from '../../core/team/team-membership.ts'
import { openDatabaseSettings, openJoinCode, openTeamKey, readTeamFile, removeTeamFile, teamFilePath, type TeamFile } from '../../core/team/team-settings.ts'
import type { TeamSyncState } from '../../core/team/sync.ts'
import type { Vault } from '../../core/vault/vault-types.ts'
import type { TeamRemovalView, TeamView } from '../../../shared/contract/team.ts'
import type { LibraryMeta } from '../../core/model.ts'
import { continueRekey, removeMember } from '../../core/team/removal.ts'
import { refreshAllAfterRemoval, stillToRefresh } from '../../core/team/removal-refresh.ts'
import type { RekeyProgress } from '../../core/team/removal.ts'
import type { Roster } from '../../core/team/roster.ts'
import { removalView, removedLabel, type RemovalRun } from './team-removal-view.ts'
import type { TeamVault } from '../../core/team/team-vault.ts'

export interface TeamActionsOptions {
  readonly vault: Pick<Vault, 'path' | 'sealValue' | 'openValue'>
  readonly clock: Clock
  readonly larderVersion: string
  /** The membership changed (joined, approved someone, withdrew): the window reads 'team.state' again. */
  readonly changed: (view: TeamView) => void
  /** How often a waiting request looks for its approval. */
  readonly pollMs?: number
  /** Online or offline from the team, for a vault open in a team; null otherwise. */
  readonly teamState?: () => TeamSyncState | null
  /** LARDER_TEAM_DATABASE_URL: a member reaches its team there instead of at the saved URL (as the open vault does). */
  readonly databaseUrlOverride?: string
  /** The open team vault's way back to a local vault (leaving, taking home) and whether it is out; null: none open. */
  readonly exit?: () => Pick<TeamVault, 'leave' | 'takeHome' | 'outOfTeam'> | null
  /** Opens the vault again, so that a vault that just made or joined a team runs as a team vault. */
  readonly reopen?: () => Promise<unknown>
  /**
   * After a removal, what refreshes every team credential (all three, or the refresh is not made from here and the
   * view says so): the open team vault's checkMembership (it must stand at the new epoch before any pair is written),
   * the library records it holds, and the engine's refresh of one (the normal lease path).
   */
  readonly afterRemoval?: {
    followEpoch(): Promise<void>
    list(): readonly LibraryMeta[]
    refresh(id: string): Promise<unknown>
    /** Where the team's last removal stands (team.rekey), read from the open team vault; null: none ever. */
    lastRemoval(): Promise<RekeyProgress | null>
    /** Who the team's members and former members are now (the removed member's name). */
    roster(): Roster | null
    /** Pause between refreshes (default 400 ms). */
    readonly gapMs?: number
  }
}

export interface TeamActions {
  state(): Promise<TeamView>
  create(input: TeamPlaceInput): Promise<TeamView>
  requestJoin(input: TeamPlaceInput): Promise<TeamView>
  cancelJoin(): Promise<TeamView>
  approve(code: string): Promise<{ readonly memberId: string; readonly name: string }>
  /** Removes a member (new team key, everything sealed again, then refreshed); the answer is where it starts. */
  remove(memberId: string): Promise<TeamRemovalView>
  /** This machine leaves the team; its vault is local again (its copies of the team's credentials deleted). */
  leave(): Promise<TeamView>
  /** Ends the team: every credential comes into this vault with its newest pair; the others drop their copies. */
  takeHome(): Promise<TeamView>
  /**
   * Online in a team: a removal whose refreshes were cut short (its member quit, or lost the database) is finished
   * from here, so the removed member's copies die now rather than on each token's schedule. Nothing when there is none.
   */
  resumeRemoval(): Promise<void>
  /** Stops looking for an approval (the vault closes); a request still waits and is looked for at the next open. */
  close(): void
}

export interface TeamPlaceInput {
  readonly databaseUrl: string
  readonly caPem?: string
  readonly schema?: string
  readonly name: string
}

const NO_LINK = { state: 'none', since: null, reason: null } as const
const LOCAL: TeamView = { membership: 'none', name: null, code: null, database: null, members: [], link: NO_LINK }

export function createTeamActions(options: TeamActionsOptions): TeamActions {
  const { vault, clock } = options
  const file = teamFilePath(vault.path)
  const pollMs = options.pollMs ?? 3_000
  let poll: TimerHandle | null = null
  let closed = false
  /** The last removal made here, while under way and once done (shown in the team view). */
  let removal: RemovalRun | null = null

  const connect = (place: TeamPlace): Promise<OpenTeamDb> => connectTeamDb(place, { applicationName: 'larder', larderVersion: options.larderVersion })
  const withDb = async <T>(place: TeamPlace, work: (db: OpenTeamDb) => Promise<T>): Promise<T> => {
    const db = await connect(place)
    try {
      return await work(db)
    } finally {
      await db.close().catch(() => undefined)
    }
  }
  const placeOf = (input: TeamPlaceInput): TeamPlace => {
    const database: TeamDatabaseSettings = { url: input.databaseUrl, ...(input.caPem === undefined ? {} : { caPem: input.caPem }) }
    // The URL's rules (TLS, parameters) are checked before anything connects; the error names the field, never the password.
    teamConnectionOptions(database, 'larder')
    return { database, schema: input.schema ?? 'larder' }
  }
  /** Where a member reaches its team: the saved URL, or LARDER_TEAM_DATABASE_URL's (team-mode.ts; the saved CA kept). */
  const savedPlace = async (team: TeamFile): Promise<TeamPlace> => {
    const saved = await openDatabaseSettings(vault, team)
    const url = team.state === 'member' ? options.databaseUrlOverride : undefined
    return { database: url === undefined ? saved : { ...saved, url }, schema: team.schema }
  }

  const view = async (): Promise<TeamView> => {
    const team = readTeamFile(file)
    if (team === null) return LOCAL
    const place = await savedPlace(team)
    const database = redactedUrl(place.database.url)
    if (team.state === 'joining') return { membership: 'joining', name: team.label, code: await openJoinCode(vault, team), database, members: [], link: NO_LINK }
    const session = await openMembership(vault)
    const state = options.teamState?.() ?? null
    const out = options.exit?.()?.outOfTeam() ?? null
    return {
      membership: out === null ? 'member' : 'out',
      ...(out === null ? {} : { out: { why: out.why, since: out.since } }),
      name: team.label,
      code: null,
      database,
      members: session.roster.members.map((member) => ({ id: member.id, name: member.label, you: member.id === team.memberId })),
      link: state === null ? { state: 'connecting', since: null, reason: null } : state.state === 'online' ? { state: 'online', since: state.since, reason: null } : { state: 'offline', since: state.since, reason: state.why },
      ...(removal === null ? {} : { removal: removalView(removal) })
    }
  }

  const told = (): void => void view().then(options.changed, () => undefined)
  /** The open team vault, for leaving or taking home; refused with nothing changed when there is none. */
  const openExit = (): NonNullable<ReturnType<NonNullable<TeamActionsOptions['exit']>>> => {
    const team = readTeamFile(file)
    if (team === null || team.state !== 'member') throw new InputError('team', 'This vault is in no team; nothing was changed.')
    const exit = options.exit?.() ?? null
    if (exit === null) throw new InputError('team', 'The team vault is still opening; try again in a moment. Nothing was changed.')
    if (removal !== null && (!removal.reseal.finishedAt || removal.refresh?.finished === false)) throw new InputError('team', `The removal of ${removedLabel(removal.started.removed)} is still under way; wait until it is done. Nothing was changed.`)
    return exit
  }
  /** Back to a local vault: told, and the vault opened again (after this call has answered) as a local one. */
  const local = (): TeamView => {
    removal = null
    options.changed(LOCAL)
    reopenSoon()
    return LOCAL
  }
  /** Seals every credential again (this connection), then refreshes each through the open vault's engine. */
  const carryOn = async (db: OpenTeamDb, run: RemovalRun, session: Parameters<typeof continueRekey>[1]): Promise<void> => {
    try {
      const keyOf = async (epoch: number): Promise<Buffer | undefined> => {
        const team = readTeamFile(file)
        return team === null ? undefined : openTeamKey(vault, team, epoch)
      }
      const done = await continueRekey(db, session, { keyOf, onProgress: (progress) => ((run.reseal = progress), told()) })
      if (done !== null) run.reseal = done
    } finally {
      await db.close().catch(() => undefined)
    }
    told()
    await refreshAll(run)
  }

  /** Refreshes every team credential not refreshed since the removal began, through the open vault's engine. */
  const refreshAll = async (run: RemovalRun): Promise<void> => {
    const after = options.afterRemoval
    if (after === undefined) return
    // No pair may be written under the old key: the vault stands at the new epoch first.
    await after.followEpoch()
    run.refresh = { total: 0, refreshed: 0, left: [], finished: false }
    const result = await refreshAllAfterRemoval({ list: after.list, refresh: after.refresh, since: run.started.progress.startedAt, ...(after.gapMs === undefined ? {} : { gapMs: after.gapMs }), onProgress: (progress) => ((run.refresh = { ...progress, finished: false }), told()) })
    run.refresh = { ...result, finished: true }
    told()
  }

  /** A vault that became a member (or left its team) runs as a team (or local) vault from now on: opened again, after this call has answered. */
  const reopenSoon = (): void => {
    const reopen = options.reopen
    if (reopen !== undefined) clock.setTimeout(() => void reopen().catch(() => undefined), 0)
  }

  const stopPolling = (): void => {
    if (poll !== null) clock.clearTimeout(poll)
    poll = null
  }
  const lookForApproval = (): void => {
    stopPolling()
    if (closed) return
    poll = clock.setTimeout(() => {
      poll = null
      void (async () => {
        const team = readTeamFile(file)
        if (team === null || team.state !== 'joining') return
        try {
          const session = await withDb(await savedPlace(team), (db) => finishJoining(vault, db))
          if (session !== null) {
            options.changed(await view())
            reopenSoon()
            return
          }
        } catch {
          // The server out of reach, or the request ran out: looked for again; the window shows the code until withdrawn.
        }
        lookForApproval()
      })()
    }, pollMs)
  }
  if (readTeamFile(file)?.state === 'joining') lookForApproval()

  return {
    state: view,
    async create(input) {
      const place = placeOf(input)
      await withDb(place, (db) => startTeam(vault, db, place, input.name))
      const shown = await view()
      options.changed(shown)
      reopenSoon()
      return shown
    },
    async requestJoin(input) {
      const place = placeOf(input)
      await withDb(place, (db) => askToJoin(vault, db, place, input.name))
      lookForApproval()
      const shown = await view()
      options.changed(shown)
      return shown
    },
    async cancelJoin() {
      const team = readTeamFile(file)
      if (team === null || team.state !== 'joining') throw new InputError('team', 'This machine is not asking to join a team.')
      stopPolling()
      // The request is withdrawn from the database when it can be; the code dies with the file either way (it lives ten minutes).
      await withDb(await savedPlace(team), (db) => db.pool.query(`DELETE FROM ${db.schema}.join_requests WHERE id = $1 AND approval IS NULL`, [team.memberId])).catch(() => undefined)
      removeTeamFile(file)
      options.changed(LOCAL)
      return LOCAL
    },
    async approve(code) {
      const team = readTeamFile(file)
      if (team === null || team.state !== 'member') throw new InputError('team', 'Only a member of a team can let someone in.')
      const admitted = await withDb(await savedPlace(team), async (db) => {
        const session = await refreshMembership(vault, db, await openMembership(vault))
        const approved = await approveJoin(db, session, code)
        await refreshMembership(vault, db, session)
        return approved
      })
      options.changed(await view())
      return { memberId: admitted.memberId, name: admitted.label }
    },
    async remove(memberId) {
      const team = readTeamFile(file)
      if (team === null || team.state !== 'member') throw new InputError('team', 'Only a member of a team can remove another.')
      if (removal !== null && (!removal.reseal.finishedAt || removal.refresh?.finished === false)) throw new InputError('memberId', `The removal of ${removedLabel(removal.started.removed)} is still under way; remove the next member once it is done.`)
      const db = await connect(await savedPlace(team))
      let run: RemovalRun
      let session
      try {
        const before = await refreshMembership(vault, db, await openMembership(vault))
        const started = await removeMember(db, before, memberId)
        // This machine's own key of the new epoch, from its wrap, kept in the team file before anything is sealed with it.
        session = await refreshMembership(vault, db, before)
        run = { started, reseal: started.progress, refresh: null, refreshesHere: options.afterRemoval !== undefined }
      } catch (error) {
        await db.close().catch(() => undefined)
        throw error
      }
      removal = run
      void carryOn(db, run, session).catch((error: unknown) => {
        run.failed = error instanceof Error ? error.message : String(error)
        told()
      })
      return removalView(run)
    },
    async leave() {
      const exit = openExit()
      await exit.leave()
      return local()
    },
    async takeHome() {
      const exit = openExit()
      const team = readTeamFile(file) as TeamFile
      await withDb(await savedPlace(team), (db) => exit.takeHome(db))
      return local()
    },
    async resumeRemoval() {
      const after = options.afterRemoval
      if (after === undefined || (removal !== null && removal.refresh?.finished !== true) || options.exit?.()?.outOfTeam() != null) return
      // One read on most reconnects: the membership is followed only when a finished re-sealing may have left refreshes.
      const progress = await after.lastRemoval()
      if (progress === null || progress.finishedAt === null) return
      await after.followEpoch()
      if (stillToRefresh(after.list(), progress.startedAt).every((meta) => meta.tokenState !== 'active')) return
      // The member that removal took out: the last one kept as former at the epoch before; null where the roster does
      // not say (an older roster keeps no former members), and the view then speaks of "a member".
      const former = after.roster()?.former?.filter((member) => member.lastEpoch === progress.epoch - 1).at(-1)
      const removed = former === undefined ? null : { id: former.id, label: former.label }
      const run: RemovalRun = { started: { epoch: progress.epoch, removed, progress }, reseal: progress, refresh: null, refreshesHere: true }
      removal = run
      told()
      await refreshAll(run).catch((error: unknown) => {
        run.failed = error instanceof Error ? error.message : String(error)
        told()
      })
    },
    close() {
      closed = true
      stopPolling()
    }
  }
}
