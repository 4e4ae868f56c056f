// The app lock's Electron adapters: the OS's user-presence prompt (macOS: Touch ID through systemPreferences; Windows
// Hello has no Electron API, so Windows unlocks with the passphrase) and the system's idle time (powerMonitor). Screen
// lock and sleep reach the lock through power.ts.
import { powerMonitor, systemPreferences } from 'electron'
import type { IdlePort, PresencePort } from '../app/ports.ts'

/** Touch ID where the Mac has it; null elsewhere. `available` is asked each time (it can be turned off meanwhile). */
export function createPresence(platform: NodeJS.Platform = process.platform): PresencePort | null {
  if (platform !== 'darwin') return null
  return {
    kind: 'touch_id',
    available: () => {
      try {
        return systemPreferences.canPromptTouchID()
      } catch {
        return false
      }
    },
    // The reason completes macOS's sentence: "Larder is trying to unlock Larder."
    confirm: (reason) => systemPreferences.promptTouchID(reason).then(
      () => true,
      () => false
    )
  }
}

/** Seconds since the last input on this computer (0 where the system does not say: Wayland without idle support). */
export function createIdleTime(): IdlePort {
  return {
    seconds: () => {
      try {
        const seconds = powerMonitor.getSystemIdleTime()
        return Number.isFinite(seconds) && seconds > 0 ? seconds : 0
      } catch {
        return 0
      }
    }
  }
}
