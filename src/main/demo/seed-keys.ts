// The demo's keys of other systems, against the provider fakes: one in each state a person meets, each reached the
// way it happens for real and added through the key service (checked first, as a person's would be): a SafetyCulture
// token in use, one unused for 25 days (expiring), one kept alive; an Airtable token in use and one regenerated in
// Airtable since (refused at its check: paste the new value); an admin's service token expiring in five days and one
// the admin revoked. Shared by `npm run dev:web` and the desktop demo.
import type { KeyMeta } from '../core/keys/key-model.ts'
import type { KeyStatus } from '../core/keys/key-status.ts'
import type { KeyService } from '../core/keys/key-service.ts'
import type { ProviderSandbox } from '../sandbox/providers/index.ts'
import type { DemoClock } from './clock.ts'

const DAY = 86_400_000
/** Added this long ago and not used since, a SafetyCulture token is inside its warning (day 23 of 30). */
export const UNUSED_FOR_MS = 25 * DAY

export interface SeededKey {
  readonly name: string
  readonly status: KeyStatus
  readonly why: string
}

export interface KeySeedPorts {
  readonly keys: KeyService
  readonly fakes: ProviderSandbox
  /** The app's clock: moved back for a moment while the unused token is added. */
  readonly clock: DemoClock
}

export async function seedKeys({ keys, fakes, clock }: KeySeedPorts): Promise<SeededKey[]> {
  const sc = fakes.safetyCulture
  const org = sc.addOrganisation({ name: 'Grill Haven Group' })
  const pat = sc.addUser({ organisationId: org.id, firstname: 'Pat', lastname: 'Jansen' })
  const robot = sc.addServiceUser({ organisationId: org.id, name: 'larder-sync' })
  const safetyCulture = (kind: 'user' | 'service_user', owner: string, keepAlive = false) => ({ kind, organisation: 'Grill Haven Group', owner, keepAlive, apiBaseUrl: sc.url })
  const seeded: { meta: KeyMeta; why: string }[] = []

  // First, alone: while "now" is 25 days back nothing else may be added.
  clock.shift(-UNUSED_FOR_MS)
  fakes.clock.advance(-UNUSED_FOR_MS)
  try {
    const old = await keys.add({ system: 'safetyculture', name: 'Grill Haven audits', customer: 'Grill Haven', token: sc.issueUserToken(pat.id).value, details: safetyCulture('user', 'Pat Jansen') })
    seeded.push({ meta: old, why: 'added 25 days ago and not used since: it stops working at day 30 unless it is used' })
  } finally {
    clock.shift(UNUSED_FOR_MS)
    fakes.clock.advance(UNUSED_FOR_MS)
  }

  const inUse = await keys.add({ system: 'safetyculture', name: 'Grill Haven inspections', customer: 'Grill Haven', token: sc.issueUserToken(pat.id).value, details: safetyCulture('user', 'Pat Jansen') })
  seeded.push({ meta: inUse, why: 'checked with WhoAmI when added: acts as Pat Jansen' })
  const kept = await keys.add({ system: 'safetyculture', name: 'Grill Haven sync', customer: 'Grill Haven', token: sc.issueServiceUserToken(robot.id).value, details: safetyCulture('service_user', 'larder-sync', true) })
  seeded.push({ meta: kept, why: 'a service-user token with keep-alive on: a WhoAmI three weeks after each use' })

  const at = fakes.airtable
  const ops = at.addUser({ email: 'ops@grillhaven.example', bases: [{ name: 'Inspections tracker' }, { name: 'Suppliers' }] })
  const tracking = await keys.add({
    system: 'airtable',
    name: 'Tracking base',
    customer: 'Grill Haven',
    token: at.createToken({ userId: ops.id, name: 'larder', scopes: ['data.records:read', 'schema.bases:read', 'user.email:read'], bases: 'all' }).value,
    details: { scopes: ['data.records:read', 'schema.bases:read', 'user.email:read'], apiBaseUrl: at.url }
  })
  seeded.push({ meta: tracking, why: 'checked with whoami when added' })
  const regenerated = at.createToken({ userId: ops.id, name: 'reports', scopes: ['data.records:read'] })
  const reports = await keys.add({ system: 'airtable', name: 'Reports base', customer: 'Bistro Nord', token: regenerated.value, details: { scopes: ['data.records:read'], apiBaseUrl: at.url } })
  at.regenerateToken(regenerated.id)
  seeded.push({ meta: await keys.check(reports.id), why: 'regenerated in Airtable since: refused at its check; paste the new value' })

  const cu = fakes.checkUrl
  const svc = cu.createServiceUser({ name: 'svc-sync' })
  const prod = cu.createToken({ serviceUserId: svc.id, name: 'production', environment: 'production', expiresAt: clock.now() + 5 * DAY })
  const production = await keys.add({
    system: 'service_token',
    name: 'Platform sync (production)',
    customer: 'Bistro Nord',
    token: prod.value,
    details: { serviceUser: 'svc-sync', environment: 'production', expiresAt: clock.now() + 5 * DAY, checkUrl: prod.checkUrl, envName: 'PLATFORM_TOKEN' }
  })
  seeded.push({ meta: production, why: 'the admin set it to expire in 5 days' })
  const stage = cu.createToken({ serviceUserId: svc.id, name: 'staging', environment: 'staging', carrier: { kind: 'header', name: 'X-Service-Token' } })
  const staging = await keys.add({
    system: 'service_token',
    name: 'Platform sync (staging)',
    customer: 'Bistro Nord',
    token: stage.value,
    details: { serviceUser: 'svc-sync', environment: 'staging', expiresAt: null, carry: { kind: 'header', name: 'X-Service-Token' }, checkUrl: stage.checkUrl, envName: 'PLATFORM_TOKEN' }
  })
  cu.revokeToken(stage.id)
  seeded.push({ meta: await keys.recordLifecycle(staging.id, 'revoked'), why: 'revoked by its admin (recorded in Larder with the date)' })

  return seeded.map(({ meta, why }) => ({ name: meta.name, status: keys.status(meta), why }))
}
