// An encrypted backup (issue 17 item 2): one age file with a passphrase, written by Larder where the person chose,
// holding everything needed to rebuild the vault, every secret included. Said plainly before it is written. Below it,
// the scheduled backups' settings.
import { useId, useState } from 'react'
import type { BackupWrittenView } from '../../../../shared/contract.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { FormEnd, useEstateForm } from './EstateForm.tsx'
import { BACKUP_FILTERS, datedName, plural, sizeLabel } from './estate-words.ts'
import { ScheduleForm } from './ScheduleForm.tsx'
import { SealedFileFields, useSealedFile } from './SealedFileFields.tsx'

export function BackupSection(): React.JSX.Element {
  const uid = useId()
  const libraries = useApp((state) => state.ids.length)
  const keys = useApp((state) => state.keyIds.length)
  const { createBackup } = useActions()
  const form = useEstateForm<'path' | 'passphrase' | 'repeat'>(uid)
  const file = useSealedFile()
  const [written, setWritten] = useState<BackupWrittenView | null>(null)

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    setWritten(null)
    const problem = file.problem('Choose where to save the backup.')
    if (problem !== null) return form.fail(problem.field, problem.message)
    await form.send(() => createBackup(file.path.trim(), file.pair.passphrase), ['path', 'passphrase'], (value) => {
      // The passphrase leaves the page as soon as it is used.
      file.pair.clear()
      setWritten(value)
    })
  }

  return (
    <div className="estate-section">
      <form className="estate-form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${uid}-title`}>
        <h3 id={`${uid}-title`}>Back up now</h3>
        <div className="notice notice-warning">
          <p>
            <strong>The backup holds every secret Larder keeps:</strong> each library’s client secret and tokens and each key’s token, with the settings and the record of used
            tokens, everything needed to rebuild the vault ({plural(libraries, 'library', 'libraries')} and {plural(keys, 'key', 'keys')} now).
          </p>
          <p>
            It is encrypted with the passphrase you choose, in the age format (the standard <span className="mono">age</span> tool opens it too). Anyone with the file and
            its passphrase can use every token in it: keep both safe, and apart.
          </p>
        </div>
        <SealedFileFields
          id={uid}
          label="Save the backup to"
          request={{ purpose: 'backup', mode: 'save', suggestedName: datedName('larder-backup', 'age'), filters: [...BACKUP_FILTERS] }}
          file={file}
          form={form}
        />
        <FormEnd error={form.errors.form} busy={form.busy} submit="Back up now" />
        {written !== null ? <BackupWritten written={written} /> : null}
      </form>
      <ScheduleForm />
    </div>
  )
}

function BackupWritten({ written }: { readonly written: BackupWrittenView }): React.JSX.Element {
  return (
    <div className="notice notice-info estate-result" role="status">
      <p>
        Backup written to <span className="mono wrap">{written.path}</span>: {plural(written.libraries, 'library', 'libraries')}, {plural(written.keys, 'key', 'keys')} (
        {sizeLabel(written.bytes)}). Keep it and its passphrase safe.
      </p>
      {written.leftOut.length > 0 ? (
        <>
          <p>Left out (changed outside Larder, so not trusted):</p>
          <ul>
            {written.leftOut.map((left) => (
              <li key={left.id}>
                {left.name}: {left.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  )
}
