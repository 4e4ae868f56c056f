// The window's words for 'team_offline' (issue 16): the machine is offline from the team database, so nothing is
// refreshed here until it is back; never "Something went wrong" and never advice to press Refresh now, which cannot
// help while offline.
import { describe, expect, it } from 'vitest'
import { nextStep } from '../../../src/renderer/src/features/detail/next-step.ts'
import { library } from './fixtures.ts'

describe("the next step for a team credential refused offline", () => {
  it('says the machine is offline from the team and what to do', () => {
    const at = Date.UTC(2026, 11, 7, 10, 42)
    const step = nextStep(library({ name: 'Bistro Noord', status: 'error', lastError: { kind: 'team_offline', message: 'This machine is offline from the team since 2026-12-07 10:42 UTC.', at } }))
    expect(step).toMatchObject({ tone: 'warning', title: 'Offline from the team: nothing is refreshed here' })
    expect(step?.text).toContain('team database')
    expect(step?.text).not.toContain('Refresh now')
  })
})
