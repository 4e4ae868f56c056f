// Why Larder holds a library's refreshes back, in its pane, with the way out (HoldAction): a moved library's take-back,
// a paused one's "Refresh it now: no other machine holds it".
import type { LibraryHoldView } from '../../../../shared/contract.ts'
import { HoldAction } from './HoldActions.tsx'
import './hold.css'

export function HoldNotice({ id, name, hold }: { readonly id: string; readonly name: string; readonly hold: LibraryHoldView }): React.JSX.Element {
  return (
    <div className="notice notice-warning hold-notice">
      <p>
        <strong>{hold.kind === 'moved' ? 'Moved to another machine.' : 'Paused after a restore.'}</strong> {hold.message}
      </p>
      <HoldAction id={id} name={name} kind={hold.kind} />
    </div>
  )
}
