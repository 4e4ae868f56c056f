// How long an allowed terminal session lasts, as Larder's contract says (src/shared/contract/terminal.ts:
// DEFAULT_SESSION_IDLE_MS, MAX_SESSION_MS). Repeated here because importing a value from the contract would bring
// zod into the page (about 90 kB); a test checks the two agree.
import { HOUR, MINUTE } from '../../lib/time.ts'

/** Unused this long, an allowed session must ask again. */
export const SESSION_IDLE_MS = 10 * MINUTE
/** The longest a session can be allowed, however busy. */
export const SESSION_MAX_MS = 12 * HOUR
