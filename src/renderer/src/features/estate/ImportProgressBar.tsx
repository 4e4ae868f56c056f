// An import under way: how many of the ready rows are done (from 'import.progress'), and Cancel, which stops rows from
// starting (rows already sent finish: a refresh cut off half way would lose the new token).
import type { ImportProgressView } from '../../../../shared/contract.ts'

export interface ImportProgressBarProps {
  readonly progress: ImportProgressView
  readonly cancelling: boolean
  onCancel(): void
}

export function ImportProgressBar({ progress, cancelling, onCancel }: ImportProgressBarProps): React.JSX.Element {
  const { total, done, ok, failed } = progress
  const share = total === 0 ? 0 : Math.round((done / total) * 100)
  const words = `${done.toLocaleString()} of ${total.toLocaleString()} rows done`
  return (
    <div className="import-progress">
      <div className="import-progress-line">
        <div
          className="import-progress-bar"
          role="progressbar"
          aria-label="Import progress"
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={done}
          aria-valuetext={words}
        >
          <div className="import-progress-fill" style={{ width: `${share}%` }} />
        </div>
        <button type="button" className="button" disabled={cancelling} onClick={onCancel}>
          {cancelling ? 'Cancelling…' : 'Cancel import'}
        </button>
      </div>
      <p className="import-progress-words" aria-live="polite">
        {words}: {ok.toLocaleString()} imported{failed > 0 ? `, ${failed.toLocaleString()} failed` : ''}.
        {cancelling ? ' Cancelling: rows not started will not be; rows already sent finish.' : ''}
      </p>
    </div>
  )
}
