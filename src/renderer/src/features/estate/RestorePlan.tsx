// A restore's report, before (inspect) or after: the counts in words, then each library with what happens to it and
// why, and each key. After a restore, a paused library offers "Refresh it now: no other machine holds it" right here.
import type { RestoreReportView } from '../../../../shared/contract.ts'
import { SYSTEM_LABEL } from '../../../../shared/status-words.ts'
import { useApp } from '../../store/provider.tsx'
import { KEY_OUTCOME_WORDS, outcomeTone, plural, RESTORE_OUTCOME_WORDS } from './estate-words.ts'
import { HoldAction } from './HoldActions.tsx'

function countsWords(report: RestoreReportView): string {
  const { restored, needs_reauth, paused, kept, unchanged, left_out, confirm_host } = report.counts
  const verb = (count: number): string => (report.dryRun ? 'would be' : count === 1 ? 'was' : 'were')
  const parts = [
    restored > 0 ? `${plural(restored, 'library', 'libraries')} ${verb(restored)} restored live` : '',
    needs_reauth > 0 ? `${plural(needs_reauth, 'library', 'libraries')} ${report.dryRun ? 'would need' : needs_reauth === 1 ? 'needs' : 'need'} re-authorization (used since the backup)` : '',
    paused > 0 ? `${plural(paused, 'library', 'libraries')} ${verb(paused)} paused (Larder cannot tell whether the token is live)` : '',
    kept > 0 ? `${plural(kept, 'library', 'libraries')} kept as ${kept === 1 ? 'it is' : 'they are'} here (newer here)` : '',
    unchanged > 0 ? `${plural(unchanged, 'library', 'libraries')} already here unchanged` : '',
    left_out > 0 ? `${plural(left_out, 'library', 'libraries')} left out` : '',
    confirm_host > 0 ? `${plural(confirm_host, 'library', 'libraries')} ${confirm_host === 1 ? 'waits' : 'wait'} for you to confirm ${confirm_host === 1 ? 'its host' : 'their hosts'}` : ''
  ].filter((part) => part !== '')
  return parts.length === 0 ? 'The backup holds no library.' : `${parts.join('; ')}.`
}

export function RestorePlan({ report }: { readonly report: RestoreReportView }): React.JSX.Element {
  const label = report.dryRun ? 'What a restore would do with each library' : 'What the restore did with each library'
  return (
    <>
      <p className="restore-counts" role="status">
        {countsWords(report)}
      </p>
      {report.libraries.length > 0 ? (
        <table className="restore-table">
          <caption className="visually-hidden">{label}</caption>
          <thead>
            <tr>
              <th scope="col">Library</th>
              <th scope="col">{report.dryRun ? 'A restore would' : 'Outcome'}</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {report.libraries.map((library) => (
              <tr key={library.id} className={`restore-row restore-${library.outcome}`}>
                <th scope="row">
                  {library.name}
                  {library.apicbaseLibraryId !== null ? <span className="muted"> #{library.apicbaseLibraryId}</span> : null}
                </th>
                <td>
                  <span className={`outcome outcome-${outcomeTone(library.outcome)}`}>{RESTORE_OUTCOME_WORDS[library.outcome][report.dryRun ? 'before' : 'after']}</span>
                  {library.checkedAtApi ? <span className="muted"> (one read at the API with its access token)</span> : null}
                </td>
                <td className="restore-reason">
                  {library.reason}
                  {!report.dryRun && library.outcome === 'paused' ? <PausedAction id={library.id} name={library.name} /> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {report.keys.length > 0 ? (
        <>
          <h4 className="restore-keys-title">Keys of other systems</h4>
          <ul className="restore-keys">
            {report.keys.map((key) => (
              <li key={key.id}>
                <strong>{key.name}</strong> ({SYSTEM_LABEL[key.system]}): <span className={`outcome outcome-${outcomeTone(key.outcome)}`}>{KEY_OUTCOME_WORDS[key.outcome]}</span>.{' '}
                <span className="muted">{key.reason}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p className="muted">Settings: {report.settings === 'restored' ? (report.dryRun ? 'would be restored from the backup' : 'restored from the backup') : 'kept as they are here'}.</p>
    </>
  )
}

/** Offered while the library is still paused (resumed from its pane meanwhile, it is not). */
function PausedAction({ id, name }: { readonly id: string; readonly name: string }): React.JSX.Element | null {
  const paused = useApp((state) => state.byId[id]?.hold?.kind === 'paused')
  if (!paused) return null
  return (
    <div className="restore-action">
      <HoldAction id={id} name={name} kind="paused" />
    </div>
  )
}
