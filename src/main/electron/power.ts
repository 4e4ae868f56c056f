// Sleep, wake and clock changes, turned into one "look at the clock again" call (the engine's idempotent
// reevaluate): timers run on a monotonic clock that stops during sleep, so deadlines must be re-read on wake.
import { powerMonitor } from 'electron'
import { createClockJumpDetector } from '../core/desktop/clock-jump.ts'

export type WakeReason = 'resume' | 'unlock-screen' | 'user-did-become-active' | 'clock-jump'

export interface PowerWatchOptions {
  /** The machine is about to sleep. Nothing is refreshed then: a request cut off by sleep is one whose answer is lost. */
  readonly onSuspend?: () => void
  /** The screen is about to lock (macOS and Windows; Electron has no such event on Linux). */
  readonly onLockScreen?: () => void
  /** How often the wall clock is compared with the monotonic one. Default one minute; 0 turns the check off. */
  readonly clockCheckEveryMs?: number
  /** A difference beyond this counts as a jump. Default 30 s. */
  readonly clockToleranceMs?: number
}

/**
 * Calls `onWake` after resume, unlock, a fast user switch back (macOS) and clock jumps; `onSuspend` and `onLockScreen`
 * before sleep and a screen lock (the app lock locks then). Returns a disposer.
 */
export function watchPower(onWake: (reason: WakeReason) => void, options: PowerWatchOptions = {}): () => void {
  const onResume = (): void => onWake('resume')
  const onUnlock = (): void => onWake('unlock-screen')
  const onUserActive = (): void => onWake('user-did-become-active')
  const onSuspend = (): void => options.onSuspend?.()
  const onLockScreen = (): void => options.onLockScreen?.()
  powerMonitor.on('resume', onResume)
  powerMonitor.on('lock-screen', onLockScreen)
  powerMonitor.on('unlock-screen', onUnlock)
  powerMonitor.on('user-did-become-active', onUserActive)
  powerMonitor.on('suspend', onSuspend)

  const everyMs = options.clockCheckEveryMs ?? 60_000
  let interval: ReturnType<typeof setInterval> | null = null
  if (everyMs > 0) {
    const detector = createClockJumpDetector({ wall: () => Date.now(), monotonic: () => performance.now() }, options.clockToleranceMs ?? 30_000)
    interval = setInterval(() => {
      if (detector.check() !== null) onWake('clock-jump')
    }, everyMs)
    interval.unref()
  }

  return () => {
    powerMonitor.removeListener('resume', onResume)
    powerMonitor.removeListener('unlock-screen', onUnlock)
    powerMonitor.removeListener('user-did-become-active', onUserActive)
    powerMonitor.removeListener('suspend', onSuspend)
    powerMonitor.removeListener('lock-screen', onLockScreen)
    if (interval !== null) clearInterval(interval)
  }
}
