// Scheduled backups (off by default): every N hours to a folder the person picked, keeping the last N of Larder's own
// files there. Their passphrase is stored sealed with the vault's key (so Larder can write them alone) and never shown.
import { useEffect, useId, useState } from 'react'
import type { BackupScheduleView } from '../../../../shared/contract.ts'
import { formatExact } from '../../lib/time.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import type { ScheduleChange } from '../../store/estate-types.ts'
import { TextField } from '../common/Field.tsx'
import { FormEnd, useEstateForm } from './EstateForm.tsx'
import { passphraseProblem } from './estate-words.ts'
import { PassphrasePair, usePassphraseDraft } from './PassphraseFields.tsx'
import { PathField } from './PathField.tsx'

type Field = 'folder' | 'everyHours' | 'keep' | 'passphrase' | 'repeat'

export function ScheduleForm(): React.JSX.Element {
  const schedule = useApp((state) => state.backupSchedule)
  const error = useApp((state) => state.backupScheduleError)
  const { loadBackupSchedule } = useActions()
  // Kept here: a save gives the fields a new key (they start from what Larder holds), and the note must outlive that.
  const [saved, setSaved] = useState(false)
  useEffect(() => void loadBackupSchedule(), [loadBackupSchedule])
  if (schedule === null) {
    return (
      <section className="estate-form schedule-form" aria-label="Scheduled backups">
        <h3>Scheduled backups</h3>
        {error !== null ? (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        ) : (
          <p role="status">Reading the schedule…</p>
        )}
      </section>
    )
  }
  // Keyed by what Larder holds: saved (here or elsewhere), the form starts from it again.
  return <ScheduleFields key={`${schedule.enabled}-${schedule.folder}-${schedule.everyHours}-${schedule.keep}-${schedule.hasPassphrase}`} schedule={schedule} saved={saved} onSaved={setSaved} />
}

interface ScheduleFieldsProps {
  readonly schedule: BackupScheduleView
  readonly saved: boolean
  onSaved(saved: boolean): void
}

function ScheduleFields({ schedule, saved, onSaved: setSaved }: ScheduleFieldsProps): React.JSX.Element {
  const uid = useId()
  const { updateBackupSchedule } = useActions()
  const [enabled, setEnabled] = useState(schedule.enabled)
  const [folder, setFolder] = useState(schedule.folder ?? '')
  const [everyHours, setEveryHours] = useState(String(schedule.everyHours))
  const [keep, setKeep] = useState(String(schedule.keep))
  const pair = usePassphraseDraft()
  const form = useEstateForm<Field>(uid)
  const { errors, busy, fail } = form

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    setSaved(false)
    const hours = Number(everyHours)
    const count = Number(keep)
    if (!Number.isInteger(hours) || hours < 1 || hours > 720) return fail('everyHours', 'A whole number of hours from 1 to 720.')
    if (!Number.isInteger(count) || count < 1 || count > 1000) return fail('keep', 'A whole number of files from 1 to 1,000.')
    if (enabled && folder.trim() === '') return fail('folder', 'Choose the folder the backups go to.')
    const { passphrase, repeated } = pair
    const newPassphrase = passphrase !== '' || repeated !== ''
    if (newPassphrase || (enabled && !schedule.hasPassphrase)) {
      const problem = passphraseProblem(passphrase, repeated)
      if (problem !== null) return fail(problem.field, problem.message)
    }
    const change: ScheduleChange = {
      enabled,
      everyHours: hours,
      keep: count,
      ...(folder.trim() === '' ? {} : { folder: folder.trim() }),
      ...(newPassphrase ? { passphrase } : {})
    }
    await form.send(() => updateBackupSchedule(change), ['folder', 'everyHours', 'keep', 'passphrase'], () => {
      pair.clear()
      setSaved(true)
    })
  }

  return (
    <form className="estate-form schedule-form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`}>Scheduled backups</h3>
      <p className="schedule-state" role="status">
        <ScheduleState schedule={schedule} />
      </p>
      <div className="check">
        <input id={`${uid}-enabled`} type="checkbox" checked={enabled} aria-describedby={`${uid}-enabled-help`} onChange={(event) => setEnabled(event.target.checked)} />
        <label htmlFor={`${uid}-enabled`}>Back up on a schedule</label>
        <span id={`${uid}-enabled-help`} className="field-help inline">
          Off unless you turn it on.
        </span>
      </div>
      <PathField
        id={`${uid}-folder`}
        label="Folder"
        request={{ purpose: 'backup_folder', mode: 'folder' }}
        value={folder}
        onChange={setFolder}
        error={errors.folder}
        help="Larder names its files larder-backup-DATE-TIME.age and deletes only its own oldest ones there."
        disabled={busy}
      />
      <div className="schedule-numbers">
        <NumberField id={`${uid}-everyHours`} label="Every (hours)" value={everyHours} onChange={setEveryHours} error={errors.everyHours} disabled={busy} />
        <NumberField id={`${uid}-keep`} label="Keep the last (files)" value={keep} onChange={setKeep} error={errors.keep} disabled={busy} />
      </div>
      <PassphrasePair
        id={uid}
        draft={pair}
        errors={errors}
        help={
          schedule.hasPassphrase
            ? 'A passphrase is stored for these backups. Leave these empty to keep it, or type a new one (at least 12 characters).'
            : 'At least 12 characters. Larder stores it sealed with the vault’s key, so it can write the backups on its own; it is never shown again.'
        }
        disabled={busy}
      />
      <FormEnd error={errors.form} busy={busy} submit="Save schedule" spinner={false}>
        {saved ? <span className="saved-note">Saved.</span> : null}
      </FormEnd>
    </form>
  )
}

function ScheduleState({ schedule }: { readonly schedule: BackupScheduleView }): React.JSX.Element {
  if (!schedule.enabled) return <>Off: no backup is written on its own.</>
  return (
    <>
      On: every {schedule.everyHours} {schedule.everyHours === 1 ? 'hour' : 'hours'} to <span className="mono wrap">{schedule.folder ?? ''}</span>, keeping the last {schedule.keep}.
      {schedule.lastRunAt !== null ? ` Last: ${formatExact(schedule.lastRunAt)}${schedule.lastOutcome === 'error' ? `, failed: ${schedule.lastMessage ?? 'see the audit log'}` : ''}.` : ''}
      {schedule.nextAt !== null ? ` Next: ${formatExact(schedule.nextAt)}.` : ''}
    </>
  )
}

interface NumberFieldProps {
  readonly id: string
  readonly label: string
  readonly value: string
  onChange(value: string): void
  readonly error?: string | undefined
  readonly disabled: boolean
}

/** A whole number typed as text; its error plain under it (said when the focus lands on the field). */
function NumberField({ id, label, value, onChange, error, disabled }: NumberFieldProps): React.JSX.Element {
  return (
    <TextField
      id={id}
      label={label}
      inputClass="number"
      inputMode="numeric"
      value={value}
      disabled={disabled}
      error={error}
      errorStyle="plain"
      onChange={(event) => onChange(event.target.value)}
    />
  )
}
