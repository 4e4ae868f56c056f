// On every screen of a demo (the desktop app's --demo, or dev:web on its sandbox): this is not the person's vault, and
// the API it talks to is a stand-in on this computer. Driven by app.info, so only the host can turn it on. The
// window's title says it too, so the demo is marked in the task bar and the window switcher.
import { useEffect } from 'react'
import { DEMO_LABEL, DEMO_MEANING, isDemo } from '../../lib/host-abilities.ts'
import { useApp } from '../../store/provider.tsx'
import './host-notes.css'

export function DemoBanner(): React.JSX.Element | null {
  const demo = useApp((state) => isDemo(state.appInfo))
  useEffect(() => {
    if (!demo) return undefined
    const before = document.title
    document.title = `${before} — ${DEMO_LABEL}`
    return () => {
      document.title = before
    }
  }, [demo])
  if (!demo) return null
  return (
    <div className="demo-banner" role="note" aria-label={DEMO_LABEL}>
      <strong>{DEMO_LABEL}</strong> — {DEMO_MEANING}
    </div>
  )
}
