// A team credential refused because this machine is offline from the team (issue 16) reaches the window and the
// terminal as the failure kind 'team_offline' with its own sentence, not as Larder's unexpected problem.
import { describe, expect, it } from 'vitest'
import { failureFacts, toBridgeError } from '../../../src/main/app/bridge-errors.ts'
import { toTerminalError } from '../../../src/main/app/terminal/terminal-handlers.ts'
import { TeamTurnError } from '../../../src/main/core/engine/refresh-turn.ts'
import { TeamOfflineError } from '../../../src/main/core/team/team-errors.ts'

const SINCE = Date.UTC(2026, 11, 7, 10, 42)

describe('team refusals through the bridge', () => {
  it('a change refused offline (TeamOfflineError) is kind team_offline with its message', () => {
    const error = new TeamOfflineError('Bistro Noord', SINCE, 'connect ECONNREFUSED 127.0.0.1:5432')
    expect(toBridgeError(error)).toEqual({ kind: 'api', apiKind: 'team_offline', message: error.message })
    expect(toTerminalError(error)).toEqual({ kind: 'api', apiKind: 'team_offline', message: error.message })
    expect(failureFacts(error, 'api')).toMatchObject({ error: 'TeamOfflineError', apiKind: 'team_offline' })
  })

  it("a refresh this machine had no turn for (TeamTurnError) keeps its kind: team_offline, or timeout for another member's", () => {
    const offline = new TeamTurnError('team_offline', 'This machine is offline from the team since 2026-12-07 10:42 UTC.', { offlineSince: SINCE })
    const elsewhere = new TeamTurnError('timeout', 'Ann is refreshing Bistro Noord for the team and has not finished yet.', { retryAt: SINCE + 5_000 })
    expect(toBridgeError(offline)).toEqual({ kind: 'api', apiKind: 'team_offline', message: offline.message })
    expect(toBridgeError(elsewhere)).toEqual({ kind: 'api', apiKind: 'timeout', message: elsewhere.message })
  })
})
