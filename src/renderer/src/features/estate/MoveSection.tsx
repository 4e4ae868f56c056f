// Move to another machine (issue 17 item 3): one encrypted file for the new machine to take over, and every library
// here marked moved at once, so two machines never refresh the same token. Asked for with a strong confirmation; the
// answer says where they went. A moved library's row and pane say so, and its pane offers the take-back.
import { useId, useState } from 'react'
import type { MoveReportView } from '../../../../shared/contract.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { FormEnd, useEstateForm } from './EstateForm.tsx'
import { BACKUP_FILTERS, datedName, plural, sizeLabel } from './estate-words.ts'
import { SealedFileFields, useSealedFile } from './SealedFileFields.tsx'

export function MoveSection(): React.JSX.Element {
  const uid = useId()
  const libraries = useApp((state) => state.ids.length)
  const { exportForMove } = useActions()
  const form = useEstateForm<'understood' | 'path' | 'passphrase' | 'repeat'>(uid)
  const { errors, busy } = form
  const file = useSealedFile()
  const [understood, setUnderstood] = useState(false)
  const [moved, setMoved] = useState<MoveReportView | null>(null)

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    const problem = !understood
      ? { field: 'understood' as const, message: 'Tick the box to confirm that Larder on this machine stops refreshing every library.' }
      : file.problem('Choose where to save the file for the move.')
    if (problem !== null) return form.fail(problem.field, problem.message)
    await form.send(() => exportForMove(file.path.trim(), file.pair.passphrase), ['path', 'passphrase'], (value) => {
      file.pair.clear()
      setUnderstood(false)
      setMoved(value)
    })
  }

  return (
    <div className="estate-section">
      <form className="estate-form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${uid}-title`}>
        <h3 id={`${uid}-title`}>Move to another machine</h3>
        <div className="notice notice-error move-warning">
          <p>
            <strong>Every library on this machine stops refreshing at once.</strong> Larder writes one encrypted file with every library and key (like a backup, every secret
            included) and marks all {plural(libraries, 'library', 'libraries')} here “moved”: from then on only the machine that restores the file refreshes them, so two
            machines never refresh the same token (the second would send a token the first already used, and Apicbase may revoke the whole token family).
          </p>
          <p>On the new machine, restore the file and take the libraries over. Keys of other systems stay usable here too: they do not rotate.</p>
        </div>
        <div className={`check${errors.understood !== undefined ? ' has-error' : ''}`}>
          <input
            id={`${uid}-understood`}
            type="checkbox"
            checked={understood}
            disabled={busy}
            aria-invalid={errors.understood !== undefined}
            aria-describedby={errors.understood !== undefined ? `${uid}-understood-error` : undefined}
            onChange={(event) => {
              setUnderstood(event.target.checked)
              form.clear('understood')
            }}
          />
          <label htmlFor={`${uid}-understood`}>I understand: Larder on this machine stops refreshing all {plural(libraries, 'library', 'libraries')} now</label>
        </div>
        {errors.understood !== undefined ? (
          <p id={`${uid}-understood-error`} className="field-error">
            {errors.understood}
          </p>
        ) : null}
        <SealedFileFields
          id={uid}
          label="Save the file for the move to"
          request={{ purpose: 'move', mode: 'save', suggestedName: datedName('larder-move', 'age'), filters: [...BACKUP_FILTERS] }}
          file={file}
          form={form}
        />
        <FormEnd error={errors.form} busy={busy} submit="Move every library to another machine" tone="danger" />
      </form>
      {moved !== null ? (
        <div className="notice notice-info estate-result" role="status">
          <p>
            {plural(moved.moved, 'library', 'libraries')} moved to <span className="mono wrap">{moved.path}</span> ({sizeLabel(moved.bytes)}, with {plural(moved.keys, 'key', 'keys')}
            ). This machine no longer refreshes {moved.moved === 1 ? 'it' : 'them'}: each one’s row says where it went.
          </p>
          <p>On the new machine, restore this file with its passphrase and take the libraries over.</p>
          {moved.leftOut.length > 0 ? <p>Left out (changed outside Larder): {moved.leftOut.map((left) => left.name).join(', ')}.</p> : null}
        </div>
      ) : null}
    </div>
  )
}
