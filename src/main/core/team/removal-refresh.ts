// After a removal, every team credential is refreshed (issue 16: "rotating tokens make revocation real"): a refresh
// rotates the refresh token and revokes the old access token at Apicbase, so the copies the removed member's Larder
// holds stop working. Each goes through the engine's normal refresh (the row's lease, one refresher per family), a
// few at a time and spaced out, so Apicbase sees a steady trickle rather than a burst. Which ones still need it is
// read from the records themselves (refreshed before the removal began), so whoever runs it again after a crash
// carries on where it stopped. Those that cannot be refreshed (waiting for re-authorization, revoked, moved or
// paused by a person) are listed: until a person deals with them, the removed member's copy of them may still work.
import type { LibraryMeta } from '../model.ts'

export interface RefreshAllProgress {
  readonly total: number
  readonly refreshed: number
  /** Not refreshed, and why (a person's words; ids are the team's random row ids, no secret). */
  readonly left: readonly { readonly id: string; readonly name: string; readonly why: string }[]
}

export interface RefreshAllOptions {
  /** The library records this member holds (entries share their connection's pair and need no refresh of their own). */
  list(): readonly LibraryMeta[]
  /** The engine's refresh of one library (the normal lease path). */
  refresh(id: string): Promise<unknown>
  /** When the removal began (server ms, team.rekey.startedAt): a record refreshed before then is refreshed again. */
  readonly since: number
  /** Pause between starting one refresh and the next. Default 400 ms (10,000 credentials in a bit over an hour). */
  readonly gapMs?: number
  /** Refreshes under way at once. Default 4. */
  readonly concurrency?: number
  onProgress?(progress: RefreshAllProgress): void
  readonly sleep?: (ms: number) => Promise<void>
}

const HELD: Partial<Record<LibraryMeta['tokenState'], string>> = {
  needs_reauth: 'it needs re-authorization: a refresh cannot be made until its owner issues a new pair',
  revoked: 'its tokens were revoked at Apicbase',
  moved: 'it was moved to another machine: that machine refreshes it',
  paused: 'its refreshes are paused by a person'
}

/** Which libraries still need their post-removal refresh: those not refreshed since `since`. */
export function stillToRefresh(list: readonly LibraryMeta[], since: number): LibraryMeta[] {
  return list.filter((meta) => (meta.lastRefreshedAt ?? meta.issuedAt ?? 0) < since)
}

export async function refreshAllAfterRemoval(options: RefreshAllOptions): Promise<RefreshAllProgress> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const gapMs = options.gapMs ?? 400
  const todo = stillToRefresh(options.list(), options.since)
  const left: { id: string; name: string; why: string }[] = []
  let refreshed = 0
  const said = (): void => options.onProgress?.({ total: todo.length, refreshed, left: [...left] })
  const refreshable = todo.filter((meta) => {
    const why = HELD[meta.tokenState]
    if (why !== undefined) left.push({ id: meta.id, name: meta.name, why })
    return why === undefined
  })
  said()
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < refreshable.length) {
      const meta = refreshable[next] as LibraryMeta
      next += 1
      try {
        await options.refresh(meta.id)
        refreshed += 1
      } catch (error) {
        left.push({ id: meta.id, name: meta.name, why: error instanceof Error ? error.message : String(error) })
      }
      said()
      if (gapMs > 0 && next < refreshable.length) await sleep(gapMs)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker))
  return { total: todo.length, refreshed, left }
}
