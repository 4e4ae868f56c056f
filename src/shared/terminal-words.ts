// The words the `larder` command and the running app share over the local endpoint: protocol version, size caps,
// token formats, error kinds and exit codes. Plain data with no schema library, so the command (which must start in
// tens of milliseconds) can import it; the server checks every frame against zod schemas of its own.

/** The protocol spoken over the endpoint; a server answers older versions it knows and refuses newer ones. */
export const PROTOCOL_VERSION = 1

/** A request line larger than this is refused and its connection closed. */
export const MAX_REQUEST_BYTES = 64 * 1024
/** An answer line larger than this is refused by the client (`ls` of 10,000 libraries fits). */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024

/** The calls a terminal may make: a narrow table of its own, never the window's bridge. */
export const TERMINAL_CALLS = ['ls', 'status', 'token', 'env', 'refresh', 'import', 'import-cancel', 'backup', 'restore', 'export-config', 'lock', 'forget',
  // `larder team …` (issue 16): the team's membership, made, joined, approved, left or taken home from a terminal.
  'team-status', 'team-create', 'team-join', 'team-approve', 'team-leave', 'team-take-home'] as const
export type TerminalCallName = (typeof TERMINAL_CALLS)[number]

/** How `larder token` prints a token: the bare token, an Authorization header, shell exports, a curl line, JSON. */
export const TOKEN_FORMATS = ['raw', 'header', 'env', 'curl', 'json'] as const
export type TokenFormat = (typeof TOKEN_FORMATS)[number]

/** Why a terminal call failed, as the command branches on it. */
/** 'locked': the app lock is on (the vault is open and refreshing); `passphraseAccepted` says whether the call may be tried again with it. */
export const TERMINAL_ERROR_KINDS = ['invalid_input', 'not_found', 'vault', 'api', 'not_approved', 'internal', 'locked'] as const
export type TerminalErrorKind = (typeof TERMINAL_ERROR_KINDS)[number]

/** What the command tells about itself and the terminal session it runs in (not verifiable: see README). */
export interface ClientFacts {
  readonly pid: number
  readonly ppid: number
  /** Identifies the terminal session (e.g. `linux:sid=4100;tty=34816;start=123`); same session, same string. */
  readonly session: string
  readonly tty: string | null
  readonly cwd: string
  /** The larder subcommand (`token`, `exec`…). */
  readonly command: string
  /** The parent process's name (`bash`, `make`), where the system tells it: what a person recognises in the prompt. */
  readonly parent?: string
}

/** A library the command may name, when a name matched none or several. */
export interface LibraryCandidate {
  readonly id: string
  readonly name: string
  readonly apicbaseLibraryId: string
}

export interface TerminalError {
  readonly kind: TerminalErrorKind
  readonly message: string
  /** `vault`: where the vault stands (`locked`, `missing`…). */
  readonly vaultState?: string
  /** `api`: the API's failure kind (`invalid_grant` means the library needs re-authorization). */
  readonly apiKind?: string
  /** `not_found`: the libraries the name could have meant. */
  readonly candidates?: readonly LibraryCandidate[]
  /** `invalid_input`: the field that was refused (`library`, `libraries.1`, `input`). */
  readonly field?: string
  /** `invalid_input` on `confirmedHosts` (a restore): the hosts that need the person's confirmation, each by name. */
  readonly hosts?: readonly string[]
  /**
   * `locked`: true when Larder answers this one call if it comes again with the passphrase (the terminal session is
   * allowed; the window stays locked); false when only unlocking Larder in its window helps.
   */
  readonly passphraseAccepted?: boolean
}

export type TerminalResult<T = unknown> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: TerminalError }

/**
 * Exit codes of `larder`, distinct per cause. `larder exec` exits with its command's status instead once the command
 * has started; larder's own failures always print a `larder:` line on stderr first.
 */
export const EXIT_CODES = {
  ok: 0,
  internal: 1,
  usage: 2,
  notRunning: 3,
  locked: 4,
  needsReauth: 5,
  notFound: 6,
  apiFailure: 7,
  notApproved: 8,
  unsafeEndpoint: 9,
  folderHeld: 10,
  /** `larder import`: some row was not imported (with --dry-run: is not ready); the table says why. */
  importIncomplete: 11,
  /** `larder import`: the file cannot be imported as a whole (missing, unreadable, too large, unknown columns). */
  importRefused: 12,
  /** `larder import`: Ctrl-C cancelled it and Larder confirmed: rows imported before stay, rows not started were not sent. */
  importCancelled: 13,
  /** A team credential (issue 16) this machine cannot refresh or change now: it is offline from the team database. */
  teamOffline: 14,
  /** A second Ctrl-C: larder stopped at once without Larder's answer (the shell's 128 + SIGINT). */
  interrupted: 130
} as const
export type ExitCodeName = keyof typeof EXIT_CODES

/** Answers one terminal call; `pending` sends the command a line to show while it waits (approval in the app). */
export type TerminalHandler = (input: unknown, client: ClientFacts, pending: (message: string) => void) => Promise<TerminalResult>
export type TerminalHandlers = { readonly [N in TerminalCallName]: TerminalHandler }

/** What the server says about itself in its hello (before any call, even while the vault is still locked). */
export interface EndpointHolder {
  readonly host: 'desktop' | 'agent' | 'test'
  readonly pid: number
  readonly version: string
  /** The vault's state as `vault.state` says it (`open`, `locked`…). */
  readonly vault: string
}
