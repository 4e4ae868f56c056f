// Connecting a personal token through Apicbase's authorization page (OAuth authorization code), then adding the
// libraries its user can reach. Larder opens the page in the system browser; the link is always shown too (the
// browser host opens nothing). Two ways back: paste the code Apicbase shows, or let Larder catch it on 127.0.0.1.
import { useId } from 'react'
import { useActions, useApp } from '../../store/provider.tsx'
import { DialogHeader } from '../common/DialogHeader.tsx'
import { Modal } from '../common/Modal.tsx'
import { DiscoverLibraries } from './DiscoverLibraries.tsx'
import { OAuthForm } from './OAuthForm.tsx'
import { ConnectedStep, FailedStep, StartedStep } from './OAuthSteps.tsx'
import { useOAuthFlow } from './useOAuthFlow.ts'
import './personal.css'

export function ConnectPersonalDialog(): React.JSX.Element | null {
  const dialog = useApp((state) => state.personalDialog)
  if (dialog === null) return null
  if (dialog.mode === 'discover') return <DiscoverDialog connectionId={dialog.connectionId} />
  return <ConnectDialog />
}

function DiscoverDialog({ connectionId }: { readonly connectionId: string }): React.JSX.Element {
  const titleId = useId()
  const name = useApp((state) => state.byId[connectionId]?.personal?.connectionName ?? state.byId[connectionId]?.name ?? 'personal token')
  const { closePersonal: close } = useActions()
  return (
    <Modal labelledBy={titleId} onDismiss={close} className="personal-dialog">
      <DialogHeader titleId={titleId} title={<>Add libraries from {name}</>} onClose={close} />
      <DiscoverLibraries connectionId={connectionId} onDone={close} />
    </Modal>
  )
}

function ConnectDialog(): React.JSX.Element {
  const defaultBase = useApp((state) => state.settings?.defaultApiBaseUrl ?? 'https://api.apicbase.com')
  const { closePersonal: close } = useActions()
  const uid = useId()
  const flow = useOAuthFlow(uid)
  const { phase, busy } = flow
  const titleId = `${uid}-title`
  return (
    <Modal labelledBy={titleId} onDismiss={close} busy={busy} className="personal-dialog">
      <DialogHeader titleId={titleId} title="Connect personal token" onClose={close} busy={busy} />
      {phase.kind === 'editing' || phase.kind === 'starting' ? (
        <OAuthForm uid={uid} flow={flow} defaultBase={defaultBase} onCancel={close} />
      ) : phase.kind === 'started' ? (
        <StartedStep uid={uid} flow={flow} onCancel={close} started={phase.flow} finishing={phase.finishing} />
      ) : phase.kind === 'failed' ? (
        <FailedStep uid={uid} flow={flow} onCancel={close} error={phase.error} />
      ) : (
        <ConnectedStep connected={phase.connected} onDone={close} />
      )}
    </Modal>
  )
}
