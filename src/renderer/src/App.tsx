import { lazy, Suspense, useState } from 'react'
import { DemoBanner } from './features/common/DemoBanner.tsx'
import { EmptyState } from './features/common/EmptyState.tsx'
import { NotConnected } from './features/common/NotConnected.tsx'
import { Toasts } from './features/common/Toasts.tsx'
import { LibrariesView } from './features/libraries/LibrariesView.tsx'
import { LockControls } from './features/lock/LockControls.tsx'
import { ShortcutsDialog } from './features/shortcuts/ShortcutsDialog.tsx'
import { VaultScreen } from './features/vault/VaultScreen.tsx'
import { useActions, useApp } from './store/provider.tsx'
import type { View } from './store/types.ts'
import './app.css'

// What the first page does not show is fetched the first time it is opened: the audit log, the settings and the two
// dialogs. Less for the page to parse and compile before the list; a chunk of the app's own, read from its own origin.
const AuditView = lazy(() => import('./features/audit/AuditView.tsx').then((module) => ({ default: module.AuditView })))
const SettingsView = lazy(() => import('./features/settings/SettingsView.tsx').then((module) => ({ default: module.SettingsView })))
// Shown only once Larder is locked: loaded then (or at a start that is locked), not with every start.
const LockScreen = lazy(() => import('./features/lock/LockScreen.tsx').then((module) => ({ default: module.LockScreen })))
const EstateView = lazy(() => import('./features/estate/EstateView.tsx').then((module) => ({ default: module.EstateView })))
const AddLibraryDialog = lazy(() => import('./features/add-library/AddLibraryDialog.tsx').then((module) => ({ default: module.AddLibraryDialog })))
const ConnectPersonalDialog = lazy(() => import('./features/personal/ConnectPersonalDialog.tsx').then((module) => ({ default: module.ConnectPersonalDialog })))
const AddKeyDialog = lazy(() => import('./features/add-key/AddKeyDialog.tsx').then((module) => ({ default: module.AddKeyDialog })))
const ApprovalDialog = lazy(() => import('./features/terminal/ApprovalDialog.tsx').then((module) => ({ default: module.ApprovalDialog })))

/** The dialogs, each loaded (and rendered) only once it is open. */
function Dialogs({ addKeyOpen, closeAddKey }: { readonly addKeyOpen: boolean; readonly closeAddKey: () => void }): React.JSX.Element {
  const addOpen = useApp((state) => state.addOpen)
  const personalOpen = useApp((state) => state.personalDialog !== null)
  const terminalAsks = useApp((state) => state.terminalRequests.length > 0)
  return (
    <Suspense fallback={null}>
      {addOpen ? <AddLibraryDialog /> : null}
      {addKeyOpen ? <AddKeyDialog onClose={closeAddKey} /> : null}
      {personalOpen ? <ConnectPersonalDialog /> : null}
      {/* Last: a terminal's question goes over any other dialog. */}
      {terminalAsks ? <ApprovalDialog /> : null}
    </Suspense>
  )
}

const VIEWS: readonly { readonly view: View; readonly label: string }[] = [
  { view: 'libraries', label: 'Libraries' },
  { view: 'audit', label: 'Audit log' },
  { view: 'estate', label: 'Import & backup' },
  { view: 'settings', label: 'Settings' }
]

function TopBar({ openAddKey }: { readonly openAddKey: () => void }): React.JSX.Element {
  const view = useApp((state) => state.view)
  const connected = useApp((state) => state.connection === 'connected')
  const open = useApp((state) => state.vault?.state === 'open')
  const { setView, openAdd, openConnect } = useActions()
  return (
    <header className="topbar">
      <div className="brand">
        <img src="./larder.svg" alt="" width={22} height={22} />
        <h1>Larder</h1>
      </div>
      {connected && open ? (
        <nav aria-label="Views" className="views">
          {VIEWS.map(({ view: target, label }) => (
            <button
              key={target}
              type="button"
              className="view-link"
              aria-current={view === target ? 'page' : undefined}
              onClick={() => setView(target)}
            >
              {label}
            </button>
          ))}
        </nav>
      ) : null}
      <span className="topbar-spacer" />
      {connected && !open ? null : (
        <button type="button" className="button primary" disabled={!connected} onClick={openAdd}>
          Add library
        </button>
      )}
      {connected && open ? (
        // Another system's key (SafetyCulture, Airtable, a service token): its own dialog, with that system's guidance.
        <button type="button" className="button" onClick={openAddKey}>
          Add key
        </button>
      ) : null}
      {connected && open ? (
        <button type="button" className="button" onClick={openConnect}>
          Connect personal token
        </button>
      ) : null}
      {connected && open ? <LockControls /> : null}
    </header>
  )
}

function Footer(): React.JSX.Element | null {
  const info = useApp((state) => state.appInfo)
  if (info === null) return null
  return (
    <footer className="footer">
      {info.name} {info.version}
      {info.host === 'browser' ? ' · browser test host' : ''}
    </footer>
  )
}

export function App(): React.JSX.Element {
  const view = useApp((state) => state.view)
  const connected = useApp((state) => state.connection === 'connected')
  const open = useApp((state) => state.vault?.state === 'open')
  // Locked by the app lock: the lock screen and nothing else (no list, pane, dialog or message).
  const guarded = useApp((state) => state.vault?.state === 'guarded')
  // The add-key dialog's only state is whether it is open: the page's own, beside the button that opens it.
  const [addKeyOpen, setAddKeyOpen] = useState(false)
  // A dialog open when the vault closed does not come back with it.
  if (!open && addKeyOpen) setAddKeyOpen(false)
  return (
    <div className="app">
      <DemoBanner />
      <TopBar openAddKey={() => setAddKeyOpen(true)} />
      <main className="main">
        {!connected ? (
          <div className="page">
            <NotConnected />
            <EmptyState />
          </div>
        ) : guarded ? (
          <Suspense fallback={<p className="loading">Locked.</p>}>
            <LockScreen />
          </Suspense>
        ) : !open ? (
          <VaultScreen />
        ) : view === 'libraries' ? (
          <LibrariesView />
        ) : (
          <Suspense fallback={<p className="loading">Loading…</p>}>{view === 'audit' ? <AuditView /> : view === 'estate' ? <EstateView /> : <SettingsView />}</Suspense>
        )}
      </main>
      <Footer />
      {guarded ? null : (
        <>
          <Toasts />
          <Dialogs addKeyOpen={addKeyOpen && open} closeAddKey={() => setAddKeyOpen(false)} />
          <ShortcutsDialog />
        </>
      )}
    </div>
  )
}
