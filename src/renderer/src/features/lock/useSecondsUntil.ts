// Whole seconds until a moment (0 once it passed), kept current while it is ahead: the lock screen's wait after
// wrong passphrases. A timer of its own, as the shared clock ticks only every 30 s while no token is close to expiry.
import { useEffect, useState } from 'react'

const TICK_MS = 250

function secondsUntil(at: number | null): number {
  return at === null ? 0 : Math.max(0, Math.ceil((at - Date.now()) / 1000))
}

export function useSecondsUntil(at: number | null): number {
  const [left, setLeft] = useState(() => ({ at, seconds: secondsUntil(at) }))
  // A new moment (Larder said another wait): counted from it at once, not a tick later.
  if (left.at !== at) setLeft({ at, seconds: secondsUntil(at) })
  useEffect(() => {
    if (at === null) return
    const timer = setInterval(() => {
      const seconds = secondsUntil(at)
      setLeft({ at, seconds })
      if (seconds === 0) clearInterval(timer)
    }, TICK_MS)
    return () => clearInterval(timer)
  }, [at])
  return left.at === at ? left.seconds : secondsUntil(at)
}
