// Keys of other systems put into a window spec's Larder against the provider fakes, each token registered as a secret
// the page must never show: Grill Haven's SafetyCulture inspections key and a customer's Airtable reports base.
import type { KeyMeta } from '../../../src/main/core/keys/key-model.ts'
import type { ProviderSandbox } from '../../../src/main/sandbox/providers/index.ts'
import type { DashboardHost } from './dashboard-host.ts'

/** "Grill Haven inspections": Pat Jansen's SafetyCulture user token in the Grill Haven Group, customer Grill Haven. */
export async function addInspectionsKey(dash: DashboardHost, fakes: ProviderSandbox): Promise<KeyMeta> {
  const sc = fakes.safetyCulture
  const org = sc.addOrganisation({ name: 'Grill Haven Group' })
  const pat = sc.addUser({ organisationId: org.id, firstname: 'Pat', lastname: 'Jansen' })
  const token = sc.issueUserToken(pat.id).value
  dash.secrets.add(token)
  const details = { kind: 'user', organisation: 'Grill Haven Group', owner: 'Pat Jansen', keepAlive: false, apiBaseUrl: sc.url } as const
  return dash.assembled.core.keys.add({ system: 'safetyculture', name: 'Grill Haven inspections', customer: 'Grill Haven', token, details })
}

/** "Reports base": an Airtable token that reads records, of a user with one base, customer Bistro Nord. */
export async function addReportsKey(dash: DashboardHost, fakes: ProviderSandbox, user: { email: string; base: string }): Promise<{ key: KeyMeta; tokenId: string }> {
  const at = fakes.airtable
  const owner = at.addUser({ email: user.email, bases: [{ name: user.base }] })
  const token = at.createToken({ userId: owner.id, name: 'reports', scopes: ['data.records:read'] })
  dash.secrets.add(token.value)
  const key = await dash.assembled.core.keys.add({ system: 'airtable', name: 'Reports base', customer: 'Bistro Nord', token: token.value, details: { scopes: ['data.records:read'], apiBaseUrl: at.url } })
  return { key, tokenId: token.id }
}
