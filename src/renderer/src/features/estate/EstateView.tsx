// Import & backup (issue 17 items 1-4): bulk import, encrypted backup with scheduled backups, restore, a move to
// another machine and the configuration without secrets, one tab each. Every file is named by its path (the host's
// dialog, or typed where it has none) and read or written by Larder: no secret crosses to the page but the
// passphrases a person types into password fields.
import { useId, useRef, useState } from 'react'
import { shortcutAction } from '../shortcuts/shortcuts.ts'
import { BackupSection } from './BackupSection.tsx'
import { ConfigSection } from './ConfigSection.tsx'
import { ImportSection } from './ImportSection.tsx'
import { MoveSection } from './MoveSection.tsx'
import { RestoreSection } from './RestoreSection.tsx'
import './estate.css'

const TABS = [
  { tab: 'import', label: 'Import' },
  { tab: 'backup', label: 'Back up' },
  { tab: 'restore', label: 'Restore' },
  { tab: 'move', label: 'Move' },
  { tab: 'config', label: 'Configuration' }
] as const
type Tab = (typeof TABS)[number]['tab']

const PANELS: Readonly<Record<Tab, () => React.JSX.Element>> = {
  import: ImportSection,
  backup: BackupSection,
  restore: RestoreSection,
  move: MoveSection,
  config: ConfigSection
}

export function EstateView(): React.JSX.Element {
  const uid = useId()
  const [tab, setTab] = useState<Tab>('import')
  // Each panel is mounted once opened and kept (hidden) after: a form half filled in survives a look at another tab.
  const [opened, setOpened] = useState<ReadonlySet<Tab>>(() => new Set(['import']))
  const tabs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({})

  const show = (next: Tab, focus = false): void => {
    setTab(next)
    if (!opened.has(next)) setOpened(new Set([...opened, next]))
    if (focus) tabs.current[next]?.focus()
  }
  // Arrow keys move between the tabs (one tab stop for the row), Home and End to the ends: the shortcuts table says so.
  const onKeyDown = (event: React.KeyboardEvent): void => {
    const index = TABS.findIndex((entry) => entry.tab === tab)
    const action = shortcutAction('tabs', event)
    const to =
      action === 'nextTab' ? (index + 1) % TABS.length : action === 'previousTab' ? (index - 1 + TABS.length) % TABS.length : action === 'firstTab' ? 0 : action === 'lastTab' ? TABS.length - 1 : -1
    const next = TABS[to]
    if (next === undefined) return
    event.preventDefault()
    show(next.tab, true)
  }

  return (
    <section className="page estate-page" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>Import &amp; backup</h2>
      <div className="estate-tabs" role="tablist" aria-label="Import and backup" onKeyDown={onKeyDown}>
        {TABS.map(({ tab: entry, label }) => (
          <button
            key={entry}
            ref={(element) => {
              tabs.current[entry] = element
            }}
            id={`${uid}-tab-${entry}`}
            type="button"
            role="tab"
            className="estate-tab"
            aria-selected={tab === entry}
            aria-controls={`${uid}-panel-${entry}`}
            tabIndex={tab === entry ? 0 : -1}
            onClick={() => show(entry)}
          >
            {label}
          </button>
        ))}
      </div>
      {TABS.map(({ tab: entry }) => {
        const Panel = PANELS[entry]
        return (
          <div key={entry} id={`${uid}-panel-${entry}`} role="tabpanel" aria-labelledby={`${uid}-tab-${entry}`} hidden={tab !== entry} className="estate-panel">
            {opened.has(entry) ? <Panel /> : null}
          </div>
        )
      })}
    </section>
  )
}
