// What a demo prints to the terminal that started it (`npm run dev:web`, `npm run demo`): where the stand-in is, the
// libraries in the vault with their states, one library ready to add and the OAuth client for a personal token. The
// credentials are the stand-in's test credentials, printed to the person's own terminal only (never to a log or a
// file): a throwaway server on 127.0.0.1 whose data exists for this run alone.
import type { LibraryStatus } from '../../shared/contract.ts'
import { STATUS_HEADINGS } from '../core/desktop/status-words.ts'
import type { Sandbox } from '../sandbox/index.ts'
import type { DemoWorld } from './seed.ts'

/** Healthy first, then each kind of trouble as it gets worse. */
const LISTED_ORDER: readonly LibraryStatus[] = ['healthy', 'refreshing', 'expiring_soon', 'expired', 'error', 'needs_reauth', 'revoked', 'moved']

const TOKEN_TYPE_WORDS: Readonly<Record<string, string>> = {
  service_account: 'service account',
  connected_application: 'connected application',
  personal: 'personal token'
}

/** The lines about the sandbox and its data, for the summary at the top. */
export function sandboxLines(sandbox: Sandbox): string[] {
  const seed = sandbox.fixtures.seed
  return [
    `  API:      ${sandbox.url} (the Apicbase sandbox; seed ${seed}, --seed ${seed} repeats its credentials)`,
    ...(sandbox.adminUrl === null ? [] : [`  admin:    ${sandbox.adminUrl}/ (clock, faults, counters: JSON)`])
  ]
}

/** The vault's libraries, the library to add and the OAuth client, as sections a person reads top to bottom. */
export function worldLines(sandbox: Sandbox, world: DemoWorld): string[] {
  const nameWidth = Math.max(...world.libraries.map((library) => library.name.length)) + 2
  const headingWidth = Math.max(...world.libraries.map((library) => STATUS_HEADINGS[library.status].length)) + 2
  const ready = world.readyToAdd
  const field = (label: string, value: string): string => `  ${`${label}:`.padEnd(16)}${value}`
  return [
    '',
    'In the vault, one library in each state:',
    ...[...world.libraries].sort((a, b) => LISTED_ORDER.indexOf(a.status) - LISTED_ORDER.indexOf(b.status)).map((library) => `  ${library.name.padEnd(nameWidth)}${STATUS_HEADINGS[library.status].padEnd(headingWidth)}${library.why}`),
    '',
    'Ready to add ("Add library"; test credentials that work only against this sandbox):',
    field('name', ready.name),
    field('token type', TOKEN_TYPE_WORDS[ready.tokenType] ?? ready.tokenType),
    field('client ID', ready.clientId),
    field('client secret', ready.clientSecret),
    field('access token', ready.accessToken),
    field('refresh token', ready.refreshToken),
    field('API base URL', `${sandbox.url} (under Advanced; already the default here)`),
    '',
    'Connect a personal token ("Connect personal token") with the partner application:',
    field('client ID', world.partner.clientId),
    field('client secret', world.partner.clientSecret),
    field('API base URL', sandbox.url),
    `  The sandbox's authorization page signs in as ${world.personalUser.name} (user ${world.personalUser.id}), who may use ${world.personalUser.libraries.join(', ')}.`
  ]
}
