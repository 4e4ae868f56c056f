// Handing a key of another system to a terminal (`larder token`, `larder exec`): the token as its system carries it
// (Bearer, or the header an admin named), or in the variables its system's scripts expect. Never once the key is
// revoked, expired, inactive or refused (the key service refuses, and audits the refusal); every hand-out is audited
// with the command and the terminal session, never the token, and counts as a use.
import type { TokenFormat } from '../../../shared/terminal-words.ts'
import { InputError } from '../../core/errors.ts'
import type { KeyMeta } from '../../core/keys/key-model.ts'
import type { KeyService } from '../../core/keys/key-service.ts'
import { keyTimeline } from '../../core/keys/key-status.ts'
import { keySystemOf } from '../../core/systems/registry.ts'
import { envKey, type HandedToken, type HandOutTo } from './hand-out-token.ts'
import { assertKeyFormat, keyText } from './key-text.ts'

export async function handOutKeyToken(keys: KeyService, meta: KeyMeta, format: TokenFormat, to: HandOutTo): Promise<HandedToken> {
  assertKeyFormat(meta, format)
  const token = await keys.takeToken(meta.id, 'handed_out', audited(`larder token --format ${format}`, to))
  return { text: keyText(meta, token, format), expiresAt: keyTimeline(meta).expiresAt }
}

/** A key for `larder exec`: `prefix` is the KEY of `--library KEY=LIB`. */
export interface EnvKey {
  readonly meta: KeyMeta
  readonly prefix?: string
}

/**
 * The variables of keys for `larder exec`: each key's system's names (SAFETYCULTURE_API_TOKEN, AIRTABLE_API_KEY, the
 * name an admin's token was given); with several, or a KEY given, each name prefixed KEY_ (KEY being the one given or
 * the key's name in upper snake case). `taken` holds the names already given (Apicbase's): a clash is refused before
 * any token is handed out.
 */
export async function handOutKeyEnv(keys: KeyService, chosen: readonly EnvKey[], prefixed: boolean, command: string, to: HandOutTo, taken: ReadonlySet<string>): Promise<Record<string, string>> {
  const names = chosen.map(({ meta, prefix }) => {
    const system = keySystemOf(meta.system)
    const key = prefixed ? envKey(prefix ?? meta.name) : ''
    return Object.keys(system.environment(meta.details, 'x')).map((name) => (key === '' ? name : `${key}_${name}`))
  })
  const seen = new Set(taken)
  names.forEach((list, index) => {
    for (const name of list) {
      if (seen.has(name)) throw new InputError(`libraries.${index}`, `${chosen[index]?.meta.name} would set ${name} a second time; give each its own KEY (--library KEY=LIB).`)
      seen.add(name)
    }
  })
  const env: Record<string, string> = {}
  for (const [index, { meta }] of chosen.entries()) {
    const token = await keys.takeToken(meta.id, 'handed_out', audited(`larder exec ${command}`, to))
    const values = Object.values(keySystemOf(meta.system).environment(meta.details, token))
    ;(names[index] ?? []).forEach((name, at) => (env[name] = values[at] ?? ''))
  }
  return env
}

function audited(what: string, to: HandOutTo): string {
  const line = `${what}; session ${to.session} (pid ${to.pid})`.replace(/[\u0000-\u001f\u007f]/g, '?')
  return line.length > 900 ? `${line.slice(0, 900)}…` : line
}
