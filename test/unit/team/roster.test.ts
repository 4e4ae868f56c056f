// The team's roster keeps former members (issue 16): their audit entries verify up to the last epoch whose key they
// held, and not after; the list survives sealing and opening, and a roster sealed before it existed opens with none.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { newMemberKeys } from '../../../src/main/core/team/crypto/member-keys.ts'
import { newTeamKey, sealRow } from '../../../src/main/core/team/crypto/row-seal.ts'
import { openRoster, sealRoster, signerOf, withoutMember, type Roster } from '../../../src/main/core/team/roster.ts'

const teamId = randomUUID()
const member = (label: string) => {
  const keys = newMemberKeys()
  return { id: randomUUID(), label, wrappingKey: keys.wrapping.publicKey, signingKey: keys.signing.publicKey, addedBy: null, addedAt: 1 }
}

describe('former members in the roster', () => {
  const ana = member('Ana')
  const dana = member('Dana')
  const roster: Roster = { version: 3, epoch: 2, members: [ana, dana] }

  it('a removed member verifies up to its last epoch, not after; a stranger not at all', () => {
    const next = withoutMember(roster, dana.id, { version: 4, epoch: 3, lastEpoch: 2 })
    expect(next.members.map((m) => m.label)).toEqual(['Ana'])
    expect(signerOf(next, dana.id, 2)).toEqual({ label: 'Dana', signingKey: dana.signingKey })
    expect(signerOf(next, dana.id, 3)).toEqual({ label: 'Dana', signingKey: null })
    expect(signerOf(next, ana.id, 3)?.signingKey).toEqual(ana.signingKey)
    expect(signerOf(next, randomUUID(), 1)).toBeUndefined()
  })

  it('keeps the former members through sealing and opening; an older roster opens with none', () => {
    const key = newTeamKey()
    const next = withoutMember(roster, dana.id, { version: 4, epoch: 3, lastEpoch: 2 })
    const opened = openRoster(key, teamId, next, sealRoster(key, teamId, next))
    expect(opened.former).toEqual([{ id: dana.id, label: 'Dana', signingKey: dana.signingKey, lastEpoch: 2 }])
    const old = sealRow(key, 'roster', { teamId, rowId: 'roster', kind: 'roster', epoch: 2, pairVersion: 3 }, Buffer.from(JSON.stringify({ members: [{ ...ana, wrappingKey: ana.wrappingKey.toString('base64'), signingKey: ana.signingKey.toString('base64') }] }), 'utf8'))
    expect(openRoster(key, teamId, roster, old)).toMatchObject({ members: [{ id: ana.id }], former: [] })
  })
})
