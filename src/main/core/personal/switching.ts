// Acting on a library through a personal token: "on library X, do Y" switches the token's active library to X
// (POST), confirms it (GET), records the switch and runs Y, all in the token's queue. A token found on another
// library than Larder left it on (drift) is not taken away from whoever switched it: only a person's explicit
// switch through Larder, or keeping the library now active, ends that.
import { auditFailureDetail } from '../audit/index.ts'
import type { ApiTarget, ApicbaseLibrary } from '../apicbase/index.ts'
import { ApiError, InputError } from '../errors.ts'
import { isConnection, type LibraryMeta, type PersonalEntryMeta } from '../model.ts'
import { drifted, type TokenRuntime } from './active-tracker.ts'
import { describeLibrary, switchedOutsideError, unconfirmedSwitchError } from './errors.ts'
import type { PersonalState } from './personal-types.ts'
import { checkId, DEFAULT_MARGIN_MS, type Session, type TokenAccess } from './token-access.ts'

/** What a task run on a library gets. The access token is the connection's, now acting on that library. */
export interface LibraryTaskContext {
  readonly accessToken: string
  /** Where to send requests: the connection's base URL, named after the library, rate-keyed by the token. */
  readonly target: ApiTarget
  /** The entry acted for; null for a library that holds its own token (nothing to switch). */
  readonly entry: PersonalEntryMeta | null
  /** Takes one more slot of the token's budget: call it before each request beyond the task's first. */
  spend(): Promise<void>
}

export interface OnLibraryOptions {
  /** Words for the audit trail: what the switch was for. */
  readonly purpose?: string
  /** Requests the task makes: 0 (it only hands the token out) or 1 (default); more through `spend`. */
  readonly apiCalls?: 0 | 1
  /** Refresh the token first when it has less than this left. Default one minute. */
  readonly marginMs?: number
}

export interface OnLibraryResult<T> {
  readonly value: T
  /** Larder switched the active library for this task. */
  readonly switched: boolean
  /** The active library before (null for a library holding its own token). */
  readonly previous: ApicbaseLibrary | null
  /** The active library the task ran on (null for a library holding its own token). */
  readonly active: ApicbaseLibrary | null
}

type Task<T> = (context: LibraryTaskContext) => Promise<T>

/** See PersonalService.onLibrary. */
export async function onLibrary<T>(access: TokenAccess, id: string, task: Task<T>, options: OnLibraryOptions): Promise<OnLibraryResult<T>> {
  if (typeof task !== 'function') throw new InputError('task', 'task must be a function')
  const marginMs = options.marginMs ?? DEFAULT_MARGIN_MS
  const entry = access.vault.entry(checkId(id))
  if (!entry) {
    const meta = access.vault.get(id)
    if (!meta) throw new InputError('id', `No library with id "${id}"`)
    if (isConnection(meta)) {
      throw new InputError('id', `${meta.name} is a personal token, not a library: choose one of the libraries that use it, so Larder knows which one to switch to`)
    }
    return onOwnToken(access, meta, task, options, marginMs)
  }
  const connection = access.requireConnection(entry.connectionId)
  const runtime = access.tracker.runtime(connection)
  return runtime.queue.run(connection.name, () => onEntry(access, entry.id, runtime, task, options, marginMs))
}

/** See PersonalService.onConnection. */
export async function onConnection<T>(
  access: TokenAccess,
  id: string,
  task: (context: LibraryTaskContext, active: ApicbaseLibrary | null) => Promise<T>,
  options: OnLibraryOptions
): Promise<T> {
  return access.queued(access.connectionOf(id), async (meta, runtime) => {
    const session = await access.session(meta, options.marginMs ?? DEFAULT_MARGIN_MS)
    const target = access.target(meta, meta.name)
    let active: ApicbaseLibrary | null
    try {
      active = await access.look(meta, runtime, session, target)
    } catch (error) {
      if (!(error instanceof ApiError) || error.kind !== 'forbidden') throw error
      active = null
    }
    return runTask(access, meta, { accessToken: session.token, target, entry: null }, options, (context) => task(context, active))
  })
}

/** See PersonalService.switchTo. */
export async function switchTo(access: TokenAccess, id: string): Promise<PersonalState> {
  const entry = access.vault.entry(checkId(id))
  const connection = entry ? access.requireConnection(entry.connectionId) : access.connectionOf(id)
  try {
    return await switchInQueue(access, connection, entry)
  } catch (error) {
    if (!audited.has(error as object)) {
      access.record({ action: 'switched', libraryId: entry?.id ?? connection.id, libraryName: entry?.name ?? connection.name, outcome: 'error', detail: auditFailureDetail(error) })
    }
    throw error
  }
}

/** Errors the switch already recorded in the audit trail (with more to say than the error itself). */
const audited = new WeakSet<object>()

function switchInQueue(access: TokenAccess, connection: LibraryMeta, entry: PersonalEntryMeta | undefined): Promise<PersonalState> {
  const { tracker } = access
  return access.queued(connection, async (meta, runtime) => {
    const session = await access.session(meta, DEFAULT_MARGIN_MS)
    if (!entry) {
      const active = await access.look(meta, runtime, session, access.target(meta, meta.name))
      const was = runtime.expected
      await tracker.expect(meta, runtime, active)
      const detail =
        was !== null && was.id !== active.id
          ? `kept ${describeLibrary(active)}, made active outside Larder (Larder had left it on ${describeLibrary(was)})`
          : `kept ${describeLibrary(active)}, already the active library`
      access.record({ action: 'switched', libraryId: meta.id, libraryName: meta.name, outcome: 'ok', detail })
      tracker.announce(meta, runtime)
      return tracker.stateOf(meta, runtime)
    }
    const current = access.vault.entry(entry.id)
    if (!current) throw new InputError('id', `No library with id "${entry.id}" (it was removed)`)
    const target = access.target(meta, current.name)
    const seen = await access.look(meta, runtime, session, target)
    if (seen.id !== current.apicbaseLibraryId) {
      await switchActive(access, meta, runtime, session, target, current, seen, 'switched in Larder by request')
    } else {
      await tracker.expect(meta, runtime, seen)
      access.record({ action: 'switched', libraryId: current.id, libraryName: current.name, outcome: 'ok', detail: `${describeLibrary(seen)} was already active; nothing to switch` })
    }
    tracker.announce(meta, runtime)
    return tracker.stateOf(meta, runtime)
  })
}

async function onEntry<T>(access: TokenAccess, entryId: string, runtime: TokenRuntime, task: Task<T>, options: OnLibraryOptions, marginMs: number): Promise<OnLibraryResult<T>> {
  // Read again inside the queue: the entry or its token may have changed while this waited.
  const entry = access.vault.entry(entryId)
  if (!entry) throw new InputError('id', `No library with id "${entryId}" (it was removed)`)
  const meta = access.requireConnection(entry.connectionId)
  const session = await access.session(meta, marginMs)
  const target = access.target(meta, entry.name)
  const previous = await access.look(meta, runtime, session, target)
  let switched = false
  if (previous.id !== entry.apicbaseLibraryId) {
    if (drifted(runtime)) throw switchedOutsideError(meta, runtime.expected, entry, previous)
    await switchActive(access, meta, runtime, session, target, entry, previous, options.purpose ?? 'an operation')
    switched = true
  }
  const active = runtime.active ?? previous
  const value = await runTask(access, meta, { accessToken: session.token, target, entry }, options, task)
  return { value, switched, previous, active }
}

/** A library that holds its own token: nothing to switch, the task runs with that token within the same budget. */
async function onOwnToken<T>(access: TokenAccess, meta: LibraryMeta, task: Task<T>, options: OnLibraryOptions, marginMs: number): Promise<OnLibraryResult<T>> {
  const token = await access.tokens.freshAccessToken(meta.id, marginMs)
  const value = await runTask(access, meta, { accessToken: token, target: access.target(meta, meta.name), entry: null }, options, task)
  return { value, switched: false, previous: null, active: null }
}

/** Takes the budget slot of the task's own request (unless it makes none) and runs it. */
async function runTask<T>(access: TokenAccess, meta: LibraryMeta, context: Omit<LibraryTaskContext, 'spend'>, options: OnLibraryOptions, task: Task<T>): Promise<T> {
  if (options.apiCalls !== 0) await access.spend(meta.id)
  return task({ ...context, spend: () => access.spend(meta.id) })
}

/** POST the switch, confirm it with the GET, remember it as expected, and record it. */
async function switchActive(
  access: TokenAccess,
  meta: LibraryMeta,
  runtime: TokenRuntime,
  session: Session,
  target: ApiTarget,
  entry: PersonalEntryMeta,
  from: ApicbaseLibrary,
  purpose: string
): Promise<void> {
  const { client, tracker } = access
  await access.call(meta, session, (token) => client.setActiveLibrary(target, token, entry.apicbaseLibraryId))
  const confirmed = await access.call(meta, session, (token) => client.getActiveLibrary(target, token))
  if (confirmed.id !== entry.apicbaseLibraryId) {
    // Someone switched again between our switch and its confirmation: that is theirs, not ours.
    tracker.seen(meta, runtime, confirmed)
    access.record({ action: 'switched', libraryId: entry.id, libraryName: entry.name, outcome: 'error', detail: `switch to ${entry.apicbaseLibraryId} not confirmed: ${describeLibrary(confirmed)} is active` })
    const error = unconfirmedSwitchError(meta, entry, confirmed)
    audited.add(error)
    throw error
  }
  runtime.active = { ...confirmed, name: confirmed.name ?? entry.apicbaseLibraryName ?? entry.name }
  runtime.checkedAt = access.clock.now()
  await tracker.expect(meta, runtime, runtime.active)
  access.record({ action: 'switched', libraryId: entry.id, libraryName: entry.name, outcome: 'ok', detail: `from ${describeLibrary(from)} to ${describeLibrary(runtime.active)}, for ${purpose}` })
  tracker.announce(meta, runtime)
}
