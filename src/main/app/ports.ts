// What a host hands the app: where the data lives, how secrets are sealed, the clock, the HTTP client, where copied
// tokens go, and (where the host has them) a tray, notifications and a system browser. Everything with a host in it
// comes in through here; the app itself imports no host.
import type { AppInfo } from '../../shared/contract.ts'
import type { FilesPort } from './files-port.ts'
import type { ApicbaseClient } from '../core/apicbase/index.ts'
import type { LarderCoreOptions, SecretSink } from '../core/larder-core.ts'
import type { Clock } from '../core/time/clock.ts'
import type { Cipher, JsonFileStore, ScryptCost } from '../core/vault/index.ts'
import type { NotifierPort, TrayPort } from './desktop-feed.ts'
import type { TerminalPolicy, TerminalPromptPort } from './terminal/terminal-access.ts'
import type { IdlePort, PresencePort } from './lock/lock-ports.ts'

export type { IdlePort, PresencePort }

export type { TerminalPolicy, TerminalPromptPort }
export type { FilesPort }

export interface StoragePorts {
  readonly vaultPath: string
  readonly auditPath: string
  /** The whole-file store the vault writes through (electron-store in the app, conf elsewhere). */
  readonly openStore: () => JsonFileStore
}

export type LogLevel = 'warn' | 'error'
/** Plain facts about an event: call names, error kinds and class names, system error codes, stack frames. */
export type LogFields = Readonly<Record<string, string | readonly string[]>>
/**
 * Where a host keeps what went wrong, so "the details are in the log" is true. Callers pass names and kinds only:
 * never an error's message (it may quote what a server sent), never an input value, never a secret.
 */
export type LogPort = (level: LogLevel, event: string, fields: LogFields) => void

export interface AppPorts {
  readonly info: AppInfo
  readonly storage: StoragePorts
  /** The OS keychain's cipher when it is trustworthy here; null means the vault asks for a passphrase. */
  readonly keychain: Cipher | null
  /** Where a copied token goes (the system clipboard, which clears it later). */
  readonly clipboard: SecretSink
  readonly clock?: Clock
  /** Default: an undici client of the app's own, closed with the app. */
  readonly http?: ApicbaseClient
  readonly tray?: TrayPort
  readonly notifier?: NotifierPort
  /** Opens Apicbase's authorization page in the system browser; absent where there is none. */
  readonly openExternal?: (url: string) => void
  /** scrypt cost for a new passphrase vault (an existing one keeps its own). */
  readonly scryptCost?: ScryptCost
  /** Engine and personal-token tuning (concurrency, budgets). */
  readonly tuning?: Pick<LarderCoreOptions, 'engine' | 'personal'>
  /** Failed and refused calls, by name and kind; absent: not logged. */
  readonly log?: LogPort
  /**
   * Terminal sessions (the `larder` command): 'ask' the person in the window for each new session, or 'allow' every
   * one (the agent without a window). `prompt` shows a request (window, notification). Absent: 'ask', no prompt.
   */
  readonly terminal?: { readonly policy: TerminalPolicy; readonly prompt?: TerminalPromptPort }
  /**
   * The app lock's user-presence prompt (macOS: Touch ID, from Electron's systemPreferences); absent elsewhere. Every
   * host but the agent (info.host 'agent': no window, no person at it) has the lock itself.
   */
  readonly presence?: PresencePort
  /** The system's idle time (Electron's powerMonitor) for the idle lock; absent: the idle lock cannot work here. */
  readonly idle?: IdlePort
  /** Open, save and folder dialogs; absent (the browser host, the agent): the window asks for a path as text. */
  readonly files?: FilesPort
  /**
   * LARDER_TEAM_DATABASE_URL as the host read it (teamDatabaseOverride in team/team-mode.ts: blank is absent): where a
   * member's vault and team calls reach the team instead of the URL saved when this machine joined. Absent: the saved one.
   */
  readonly teamDatabaseUrl?: string
}
