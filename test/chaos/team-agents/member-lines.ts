// What a team member's process says beyond the engine's lines, so the team-agents run can time how fast a pair reaches
// every member (issue 16: within 2 s of a refresh) from separate processes:
//   took <id> <fingerprint> <wall ms> <state>   a library's record changed (a newer row taken in): its refresh token's
//                                       fingerprint and its token state (a mark another member wrote shows here)
//   team <online|offline> <wall ms>     the member's link to the team database
//   stall <from> <to>                   this process's event loop stood still (> 100 ms): its lateness is its own
// Wall times are Date.now(): every member runs on this machine, so their clocks agree.
import type { Vault } from '../../../src/main/core/vault/index.ts'
import { secretFingerprint } from '../secret-scan.ts'

/** What the agent's app gives to watch: the core's record announcements and the session's link to the team. */
export interface TeamMemberApp {
  readonly core: { on(event: 'changed', listener: (id: string) => void): unknown; readonly vault: Vault }
  readonly session: { on(event: 'team', listener: (state: { readonly state: string }) => void): unknown; teamState(): { readonly state: string } | null }
}

const TICK_MS = 20
const STALL_MS = 100

/**
 * Starts the lines above for a team member (nothing for a local vault); returns a stop function. A record's first
 * announcement holding a newer refresh token is its take-in (a member's own rotation is never timed: its pair is its).
 */
export function sayTeamLines(app: TeamMemberApp, say: (line: string) => void): () => void {
  const state = app.session.teamState()
  if (state === null) return () => undefined
  const { vault } = app.core
  app.core.on('changed', (id) => {
    const at = Date.now()
    const meta = vault.get(id)
    if (meta === undefined) return
    vault.secrets(id, ['refreshToken']).then(
      ({ refreshToken }) => say(`took ${id} ${secretFingerprint(refreshToken)} ${at} ${meta.tokenState}`),
      () => undefined
    )
  })
  app.session.on('team', (next) => say(`team ${next.state} ${Date.now()}`))
  say(`team ${state.state} ${Date.now()}`)
  let last = Date.now()
  const timer = setInterval(() => {
    const now = Date.now()
    if (now - last > STALL_MS) say(`stall ${last + TICK_MS} ${now}`)
    last = now
  }, TICK_MS)
  timer.unref()
  return () => clearInterval(timer)
}
