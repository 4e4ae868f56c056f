// Restore (issue 17 item 2): a backup file and its passphrase, then what a restore would do with each library in plain
// words ('backup.inspect': restored live, needs re-authorization because its token was used since, paused because
// Larder cannot tell, kept because this machine holds a newer one), then the restore itself. Nothing is ever revoked,
// and no refresh token is sent to decide. A move's file can be taken over here. A host that is neither Apicbase's nor
// this computer is confirmed by name first, as the import asks (the same warning and checkbox): until it is, Larder
// asks it nothing and refuses the restore.
import { useId, useState } from 'react'
import type { RestoreReportView } from '../../../../shared/contract.ts'
import { formatExact } from '../../lib/time.ts'
import { useActions } from '../../store/provider.tsx'
import { HostTrust } from '../common/ApiHost.tsx'
import { BACKUP_FILTERS } from './estate-words.ts'
import { PassphraseField } from './PassphraseFields.tsx'
import { PathField } from './PathField.tsx'
import { RestorePlan } from './RestorePlan.tsx'

type Errors = Partial<Record<'path' | 'passphrase' | 'form', string>>

export function RestoreSection(): React.JSX.Element {
  const uid = useId()
  const { inspectBackup, restoreBackup } = useActions()
  const [path, setPath] = useState('')
  const [passphrase, setPassphrase] = useState('')
  const [takeOver, setTakeOver] = useState(false)
  const [errors, setErrors] = useState<Errors>({})
  const [busy, setBusy] = useState<'inspect' | 'restore' | null>(null)
  const [plan, setPlan] = useState<RestoreReportView | null>(null)
  const [done, setDone] = useState<RestoreReportView | null>(null)
  // Every host this file's plans asked about (a ticked one stays listed), and those the person ticked.
  const [hosts, setHosts] = useState<readonly string[]>([])
  const [confirmed, setConfirmed] = useState<readonly string[]>([])

  const refuse = (field: string | undefined, message: string): void => setErrors({ [field === 'path' || field === 'passphrase' ? field : 'form']: message })
  const inspect = async (withTakeOver: boolean, withHosts: readonly string[] = confirmed): Promise<void> => {
    if (path.trim() === '') return refuse('path', 'Choose the backup file first.')
    if (passphrase === '') return refuse('passphrase', 'Type the backup’s passphrase.')
    setErrors({})
    setDone(null)
    setBusy('inspect')
    const result = await inspectBackup(path.trim(), passphrase, withTakeOver, withHosts)
    setBusy(null)
    if (result.ok) {
      setPlan(result.value)
      setHosts((known) => [...known, ...result.value.hostsToConfirm.filter((host) => !known.includes(host))])
    } else {
      setPlan(null)
      refuse(result.error.field, result.error.message)
    }
  }
  const restore = async (): Promise<void> => {
    setBusy('restore')
    const result = await restoreBackup(path.trim(), passphrase, takeOver, confirmed)
    setBusy(null)
    if (result.ok) {
      setPassphrase('')
      setPlan(null)
      setDone(result.value)
    } else refuse(result.error.field, result.error.message)
  }
  const startOver = (): void => {
    setPlan(null)
    setDone(null)
    setTakeOver(false)
    setErrors({})
    setHosts([])
    setConfirmed([])
  }
  const confirmHost = (host: string, trusted: boolean): void => {
    const next = [...confirmed.filter((known) => known !== host), ...(trusted ? [host] : [])]
    setConfirmed(next)
    void inspect(takeOver, next)
  }

  return (
    <div className="estate-section">
      <p className="estate-intro">
        Larder first says what a restore would do with each library, without sending any refresh token: a token used since the backup (Larder’s record of used tokens, or
        one read at the API with the backed-up access token) is marked “needs re-authorization”, never sent again. Nothing is revoked.
      </p>
      <form
        className="estate-form"
        noValidate
        aria-label="Backup to restore"
        onSubmit={(event) => {
          event.preventDefault()
          void inspect(takeOver)
        }}
      >
        <PathField
          id={`${uid}-path`}
          label="Backup file"
          request={{ purpose: 'restore', mode: 'open', filters: [...BACKUP_FILTERS] }}
          value={path}
          onChange={(chosen) => {
            setPath(chosen)
            startOver()
          }}
          error={errors.path}
          disabled={busy !== null}
        />
        <PassphraseField id={`${uid}-passphrase`} label="Backup passphrase" value={passphrase} onChange={setPassphrase} error={errors.passphrase} disabled={busy !== null} />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy !== null}>
            {busy === 'inspect' ? <span className="spinner" aria-hidden="true" /> : null}
            See what a restore would do
          </button>
        </div>
      </form>
      {errors.form !== undefined ? (
        <p className="notice notice-error" role="alert">
          {errors.form}
        </p>
      ) : null}
      {plan !== null ? (
        <section className="restore-report" aria-labelledby={`${uid}-plan`}>
          <h3 id={`${uid}-plan`}>What a restore would do</h3>
          <p>
            Made on {formatExact(plan.createdAt)} on <strong>{plan.machine}</strong>.
            {plan.move !== null ? ` It is the file of a move from ${plan.move.from} on ${formatExact(plan.move.at)}.` : ''} Nothing has changed yet.
          </p>
          {plan.move !== null ? (
            <div className="check">
              <input
                id={`${uid}-takeover`}
                type="checkbox"
                checked={takeOver}
                disabled={busy !== null}
                aria-describedby={`${uid}-takeover-help`}
                onChange={(event) => {
                  setTakeOver(event.target.checked)
                  void inspect(event.target.checked)
                }}
              />
              <label htmlFor={`${uid}-takeover`}>Take these libraries over on this machine</label>
              <span id={`${uid}-takeover-help`} className="field-help inline">
                {plan.move.from} stopped refreshing them when it wrote this file: from now on this machine refreshes them.
              </span>
            </div>
          ) : null}
          {hosts.length > 0 ? (
            <div className="import-hosts">
              {hosts.map((host, index) => (
                <HostTrust
                  key={host}
                  id={`${uid}-host-${index}`}
                  host={host}
                  what="the backed-up tokens of this backup’s libraries and keys that name it (and their refreshes and checks from then on)"
                  label={`I trust ${host} with the tokens of this backup’s libraries and keys that name it`}
                  checked={confirmed.includes(host)}
                  onChange={(trusted) => confirmHost(host, trusted)}
                  disabled={busy !== null}
                />
              ))}
            </div>
          ) : null}
          <RestorePlan report={plan} />
          <div className="form-actions">
            <button type="button" className="button primary" disabled={busy !== null} onClick={() => void restore()}>
              {busy === 'restore' ? <span className="spinner" aria-hidden="true" /> : null}
              Restore
            </button>
            <button type="button" className="button" disabled={busy !== null} onClick={startOver}>
              Cancel
            </button>
          </div>
        </section>
      ) : null}
      {done !== null ? (
        <section className="restore-report" aria-labelledby={`${uid}-done`}>
          <h3 id={`${uid}-done`}>Restored</h3>
          <RestorePlan report={done} />
        </section>
      ) : null}
    </div>
  )
}
