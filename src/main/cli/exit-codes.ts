// What larder says and exits with when it fails: one distinct code per cause (README "Use from scripts"), a
// `larder:` line on stderr naming what was wrong and what to do.
import { EXIT_CODES, type TerminalError } from '../../shared/terminal-words.ts'

export interface Failure {
  readonly code: number
  readonly message: string
  /** A restore refused for hosts not confirmed: the hosts (`larder restore` asks about each on a terminal). */
  readonly hosts?: readonly string[]
}

/** A usage mistake: the command line itself was wrong; nothing was asked of Larder. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** API failure kinds that mean the pair is dead: only the library's owner can give a new one. */
const REAUTH_KINDS = new Set(['invalid_grant', 'needs_reauth', 'revoked', 'reauth'])

/** What to do when this machine is offline from its team: nothing here can be retried into working until it is back. */
const TEAM_OFFLINE_STEP =
  "Check this machine's network connection (or VPN) to the team database; Larder's Team settings say since when it is offline. Larder refreshes and changes team credentials again by itself once it reaches the database."

/** What a refused terminal call means for the person at the terminal. */
export function failureOf(error: TerminalError): Failure {
  switch (error.kind) {
    case 'invalid_input':
      // An import's file refused as a whole (`larder import`) is not a usage mistake.
      return { code: error.field === 'file' ? EXIT_CODES.importRefused : EXIT_CODES.usage, message: error.message, ...(error.hosts === undefined ? {} : { hosts: error.hosts }) }
    case 'not_found': {
      const candidates = error.candidates ?? []
      const list = candidates.map((c) => `  ${c.name}  (id ${c.id}${c.apicbaseLibraryId === '' ? '' : `; Apicbase library ${c.apicbaseLibraryId}`})`).join('\n')
      return { code: EXIT_CODES.notFound, message: candidates.length > 0 ? `${error.message}\n${list}` : error.message }
    }
    case 'vault':
    case 'locked':
      return { code: EXIT_CODES.locked, message: error.message }
    case 'api':
      if (error.apiKind === 'team_offline') return { code: EXIT_CODES.teamOffline, message: `${error.message}\nlarder: ${TEAM_OFFLINE_STEP}` }
      return { code: REAUTH_KINDS.has(error.apiKind ?? '') ? EXIT_CODES.needsReauth : EXIT_CODES.apiFailure, message: error.message }
    case 'not_approved':
      return { code: EXIT_CODES.notApproved, message: error.message }
    case 'internal':
      return { code: EXIT_CODES.internal, message: error.message }
  }
}

/** What a thrown error means: the endpoint's own errors by their names (the classes live with the endpoint). */
export function failureOfThrown(error: unknown): Failure {
  const name = error instanceof Error ? error.name : ''
  const message = error instanceof Error ? error.message : String(error)
  switch (name) {
    case 'UsageError':
      return { code: EXIT_CODES.usage, message: `${message}\nSee larder --help.` }
    case 'EndpointNotRunningError':
      return { code: EXIT_CODES.notRunning, message }
    case 'UnsafeEndpointError':
      return { code: EXIT_CODES.unsafeEndpoint, message }
    case 'DataFolderHeldError':
      return { code: EXIT_CODES.folderHeld, message }
    default:
      return { code: EXIT_CODES.internal, message }
  }
}
