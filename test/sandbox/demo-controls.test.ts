// The controls a demo needs to show each state with the sandbox's own behaviour (issue 19 items 3 and 4): a fault
// that hits one token family only, "another tool refreshed this pair", and an admin root that answers.
import { afterEach, describe, expect, it } from 'vitest'
import type { Sandbox } from './index.ts'
import { startSandbox } from './index.ts'
import { answer, library, postJson, refresh } from './test-helpers.ts'

let sb: Sandbox
afterEach(async () => {
  await sb.close()
})

describe('sandbox controls for the demo', () => {
  it('a fault can be limited to one token family: the others are answered as usual', async () => {
    sb = await startSandbox()
    const failing = library(sb.fixtures.libraries, 1002)
    const other = library(sb.fixtures.libraries, 1001)
    sb.faults.inject({ route: 'token', kind: 'html', status: 502, familyId: failing.familyId })
    expect((await refresh(sb.url, failing)).status).toBe(502)
    expect((await refresh(sb.url, other)).status).toBe(200)
    // It stays until cleared, and a rotation keeps the family (so it keeps failing).
    expect((await refresh(sb.url, failing)).status).toBe(502)
    expect(sb.faults.list()).toEqual([expect.objectContaining({ familyId: failing.familyId, applied: 2 })])
  })

  it('refreshElsewhere rotates a pair as another tool would: the old refresh token is then a reuse', async () => {
    sb = await startSandbox()
    const held = library(sb.fixtures.libraries, 1003)
    const pair = sb.refreshElsewhere(held.familyId)
    expect(pair.refreshToken === held.refreshToken).toBe(false)
    const reused = await refresh(sb.url, held)
    expect(reused.status).toBe(400)
    expect(reused.body['error']).toBe('invalid_grant')
    expect(() => sb.refreshElsewhere('fam-none')).toThrow(/unknown token family/)
  })

  it('the admin root lists the admin endpoints (200), and admin faults take a family', async () => {
    sb = await startSandbox({ admin: true })
    const index = await answer(await fetch(`${sb.adminUrl ?? ''}/`))
    expect(index.status).toBe(200)
    expect(index.text).toContain('faults/')
    const failing = library(sb.fixtures.libraries, 1004)
    expect((await postJson(`${sb.adminUrl ?? ''}/faults/`, { route: 'token', kind: 'status', status: 503, familyId: failing.familyId })).status).toBe(201)
    expect((await refresh(sb.url, failing)).status).toBe(503)
    expect((await postJson(`${sb.adminUrl ?? ''}/tokens/refresh-elsewhere/`, { familyId: failing.familyId })).status).toBe(200)
  })
})
