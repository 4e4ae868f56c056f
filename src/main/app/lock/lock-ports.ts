// What a host hands the app lock: the OS's user-presence prompt and the system's idle time, where it has them.
// Plain types: the Electron adapters implement them (src/main/electron/presence.ts, idle-time.ts); the browser host and
// the agent have neither.
import type { PresenceKind } from '../../../shared/contract.ts'

/** The OS asks the person to prove they are there (macOS: Touch ID). */
export interface PresencePort {
  readonly kind: PresenceKind
  /** Whether the OS can ask now (Touch ID present, enrolled and not turned off). */
  available(): boolean
  /** Asks; true when the person confirmed, false when they cancelled or the OS refused. Never rejects. */
  confirm(reason: string): Promise<boolean>
}

/** How long this computer has gone without input from anyone (keyboard, mouse), in seconds. */
export interface IdlePort {
  seconds(): number
}
