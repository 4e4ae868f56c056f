// What each system's add form tells a person, in Larder's own words (facts from the providers' notes): which kind of
// token to make, its limits, the rule that ends it, and what Larder can and cannot learn from the system itself.
import type { KeySystem } from './key-form.ts'

export const SYSTEM_CARD: Readonly<Record<KeySystem, { readonly label: string; readonly text: string }>> = {
  safetyculture: { label: 'SafetyCulture', text: 'An API token for inspections. Larder checks it with WhoAmI and watches the 30-day inactivity rule.' },
  airtable: { label: 'Airtable', text: 'A personal access token. Larder checks it with whoami; you note its scopes and bases.' },
  service_token: { label: 'Service token', text: 'A token an admin made for a service user. Larder keeps the admin’s details and, given a check URL, checks it.' }
}

export const SAFETYCULTURE_KIND: Readonly<Record<'user' | 'service_user', { readonly label: string; readonly badge?: string; readonly text: string }>> = {
  service_user: {
    label: 'Service-user token',
    badge: 'For integrations',
    text: 'Held by a service user an admin set up, with the permissions given to it. Staff leaving does not touch it: the choice for a connection meant to last.'
  },
  user: {
    label: 'User token',
    text: 'Acts as the person who made it (My Profile → Settings → API tokens), with their access. It stops working when they are deactivated or leave.'
  }
}

export const SAFETYCULTURE_RULES: readonly string[] = [
  'A token unused for 30 days stops working. Larder counts its own checks and copies as uses, warns at day 23, and you can tell it “used elsewhere”.',
  'A person may have 10 active user tokens; an organisation 20 active service-user tokens.',
  'A token works in one organisation only: a customer with two organisations needs two keys.',
  'SafetyCulture shows the token once, when it is made. The API needs a Premium or Enterprise plan.'
]

export const KEEP_ALIVE_HELP =
  'Larder makes a harmless WhoAmI call three weeks after each use, so the token does not lapse while unused. Off by default: it also hides that nobody uses the token any more.'

export const AIRTABLE_RULES: readonly string[] = [
  'Airtable does not tell Larder a personal token’s scopes: note them as you chose them when making it.',
  'Regenerating the token in Airtable stops the old value at once: paste the new one into this key’s pane, which keeps its name, notes and history.'
]

export const SERVICE_TOKEN_RULES: readonly string[] = [
  'Only the admin can make, revoke, restore or delete it: record what they do from the key’s pane.',
  'Larder warns a week before the expiry date and never hands out a revoked or expired token.'
]

export const CHECK_URL_HELP =
  'Optional: a read-only GET that answers 2xx while the token works (a “who am I” or status address). Without one, Larder cannot check the token.'
