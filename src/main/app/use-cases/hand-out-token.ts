// Handing a fresh token to a terminal (`larder token`, `larder exec`): the same fresh token a copy gets (refreshed
// first within the margin, checked, switched for a personal token), in the format asked, or as the environment of a
// command. Every hand-out is audited with the library, the command and the terminal session, never the token.
import { copyText, type CopyFormatName } from '../../../shared/copy-formats.ts'
import type { TokenFormat } from '../../../shared/terminal-words.ts'
import { ignoreAuditFailure } from '../../core/audit/index.ts'
import { InputError } from '../../core/errors.ts'
import type { LarderCore } from '../../core/larder-core.ts'
import type { LibraryWithStatus } from '../../core/libraries/library-service.ts'
import { markUsed, withFreshToken, type FreshTokenPorts } from './fresh-token.ts'

export type HandOutPorts = FreshTokenPorts & Pick<LarderCore, 'audit'>

/** Who is handed the token: the terminal session's label and the command that asked (for the audit trail). */
export interface HandOutTo {
  /** "pts/3, shell pid 4100": the allowed session. */
  readonly session: string
  readonly pid: number
}

export interface HandedToken {
  readonly text: string
  readonly expiresAt: number | null
}

const AS_COPY_FORMAT: Readonly<Record<Exclude<TokenFormat, 'json'>, CopyFormatName>> = { raw: 'token', header: 'header', env: 'env', curl: 'curl' }

export async function handOutToken(ports: HandOutPorts, id: string, format: TokenFormat, to: HandOutTo): Promise<HandedToken> {
  const handed = await fresh(ports, id, `larder token --format ${format}`, to)
  const text =
    format === 'json'
      ? JSON.stringify({
          access_token: handed.token,
          token_type: 'Bearer',
          expires_at: handed.expiresAt === null ? null : new Date(handed.expiresAt).toISOString(),
          api_url: handed.meta.apiBaseUrl,
          library_id: handed.libraryId
        })
      : copyText(AS_COPY_FORMAT[format], handed.token, { apiBaseUrl: handed.meta.apiBaseUrl, apicbaseLibraryId: handed.libraryId })
  return { text, expiresAt: handed.expiresAt }
}

/** One library of `larder exec`: `prefix` is the KEY of `--library KEY=LIB`. */
export interface EnvLibrary {
  readonly id: string
  readonly prefix?: string
}

/**
 * The environment of `larder exec`: APICBASE_ACCESS_TOKEN, APICBASE_API_URL and APICBASE_LIBRARY_ID for one
 * library; with several (or a KEY given), APICBASE_<KEY>_ACCESS_TOKEN and so on, KEY being the one given or the
 * library's name in upper snake case. Two libraries with one KEY, or two libraries of one personal token (only one
 * can be its user's active library at a time), are refused before any token is handed out.
 */
export async function handOutEnv(
  ports: HandOutPorts,
  libraries: readonly EnvLibrary[],
  command: string,
  to: HandOutTo,
  /** True when the command also takes keys of other systems: every name is then prefixed. */
  withOthers = false
): Promise<Record<string, string>> {
  const metas = libraries.map((library) => ports.libraries.get(library.id))
  const prefixed = withOthers || libraries.length > 1 || libraries.some((library) => library.prefix !== undefined)
  const keys = libraries.map((library, index) => (prefixed ? envKey(library.prefix ?? metas[index]?.name ?? '') : ''))
  const seen = new Map<string, number>()
  keys.forEach((key, index) => {
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      throw new InputError(`libraries.${index}`, `${metas[earlier]?.name} and ${metas[index]?.name} would both be APICBASE_${key}_…; give each its own KEY (--library KEY=LIB).`)
    }
    seen.set(key, index)
  })
  const connections = new Map<string, string>()
  metas.forEach((meta, index) => {
    if (meta.personal?.role !== 'library') return
    const other = connections.get(meta.personal.connectionId)
    if (other !== undefined) {
      throw new InputError(`libraries.${index}`, `${other} and ${meta.name} go through one personal token, which acts on one library at a time; run them in separate commands.`)
    }
    connections.set(meta.personal.connectionId, meta.name)
  })
  const env: Record<string, string> = {}
  for (const [index, meta] of metas.entries()) {
    const key = keys[index] ?? ''
    const name = (what: string): string => (key === '' ? `APICBASE_${what}` : `APICBASE_${key}_${what}`)
    const handed = await fresh(ports, meta.id, `larder exec ${command}${key === '' ? '' : ` as APICBASE_${key}_*`}`, to)
    env[name('ACCESS_TOKEN')] = handed.token
    env[name('API_URL')] = handed.meta.apiBaseUrl
    if (handed.libraryId !== null) env[name('LIBRARY_ID')] = handed.libraryId
  }
  return env
}

/** A library name as an environment variable's part: "Café Zuid 2" → CAFE_ZUID_2. */
export function envKey(text: string): string {
  const key = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  if (key === '') throw new InputError('libraries', `"${text.slice(0, 60)}" gives no usable variable name; name it with --library KEY=LIB.`)
  return /^[0-9]/.test(key) ? `L${key}` : key
}

interface Fresh {
  readonly meta: LibraryWithStatus
  readonly token: string
  readonly expiresAt: number | null
  /** The Apicbase library the token acts on (for a personal token's own record: its user's active one, when known). */
  readonly libraryId: string | null
}

async function fresh(ports: HandOutPorts, id: string, what: string, to: HandOutTo): Promise<Fresh> {
  const meta = ports.libraries.get(id)
  const detail = (tail: string): string => clean(`${what}; session ${to.session} (pid ${to.pid})${tail}`)
  try {
    const run = await withFreshToken(ports, id, `handing its token to ${what}`, (token) => Promise.resolve(token))
    await markUsed(ports, meta)
    const now = ports.libraries.get(id)
    const libraryId = run.personal?.role === 'connection' ? run.personal.activeId : meta.apicbaseLibraryId
    const switched = run.personal?.role === 'library' && run.personal.switched ? `; switched to ${run.personal.activeName ?? run.personal.activeId} first` : ''
    ports.audit.append({ action: 'handed_out', libraryId: id, libraryName: meta.name, outcome: 'ok', detail: detail(switched) }).catch(ignoreAuditFailure)
    return { meta: now, token: run.value, expiresAt: now.expiresAt, libraryId }
  } catch (error) {
    const failure = `: ${error instanceof Error ? error.message : 'failed'}`
    ports.audit.append({ action: 'handed_out', libraryId: id, libraryName: meta.name, outcome: 'error', detail: detail(failure) }).catch(ignoreAuditFailure)
    throw error
  }
}

/** What a terminal said of itself goes into the audit trail only as one line of plain text. */
function clean(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f]/g, '?')
  return line.length > 900 ? `${line.slice(0, 900)}…` : line
}
