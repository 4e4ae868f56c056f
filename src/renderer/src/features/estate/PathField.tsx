// Where a file comes from or goes: chosen in the host's own open, save or folder dialog ('files.choose'), or, on a host
// without one (the browser host), typed as a full path. Only the path is known here: Larder reads and writes the file.
import { useState } from 'react'
import type { FileChooseRequest } from '../../../../shared/contract/files.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { FieldFrame } from '../common/Field.tsx'

export interface PathFieldProps {
  readonly id: string
  readonly label: string
  readonly request: FileChooseRequest
  readonly value: string
  onChange(path: string): void
  readonly error?: string | null
  readonly help?: string
  readonly disabled?: boolean
}

const CHOOSE_WORDS: Readonly<Record<FileChooseRequest['mode'], string>> = {
  open: 'Choose file…',
  save: 'Choose where to save…',
  folder: 'Choose folder…'
}

/** Whether the host has file dialogs: as a pick last answered, else guessed by the host's kind (the desktop app has). */
export function useNativePicker(): boolean {
  const known = useApp((state) => state.filePicker)
  const electron = useApp((state) => state.appInfo?.host === 'electron')
  return known ?? electron
}

export function PathField({ id, label, request, value, onChange, error, help, disabled = false }: PathFieldProps): React.JSX.Element {
  const native = useNativePicker()
  const { chooseFile } = useActions()
  const [choosing, setChoosing] = useState(false)
  const [pickError, setPickError] = useState<string | null>(null)
  const shownError = error ?? pickError
  const helpText = native ? help : `Type the full path on the computer Larder runs on (this host has no file dialog).${help === undefined ? '' : ` ${help}`}`

  const choose = async (): Promise<void> => {
    setChoosing(true)
    setPickError(null)
    const answer = await chooseFile(request)
    setChoosing(false)
    if ('path' in answer) onChange(answer.path)
    else if ('error' in answer) setPickError(answer.error)
    // Unavailable: the field below takes a typed path from now on; cancelled: nothing changes.
  }

  return (
    <FieldFrame id={id} label={label} error={shownError} help={helpText} frameClass="path-field">
      {({ invalid, describedBy }) => (
        <div className="path-field-row">
          <input
            id={id}
            className="input mono"
            value={value}
            // With a file dialog the path is the dialog's to choose; it stays readable and selectable.
            readOnly={native}
            placeholder={native ? 'No file chosen' : request.mode === 'folder' ? '/home/you/Backups' : `/home/you/${request.suggestedName ?? 'file'}`}
            spellCheck={false}
            autoComplete="off"
            disabled={disabled}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onChange={(event) => onChange(event.target.value)}
          />
          {native ? (
            <button type="button" className="button" disabled={disabled || choosing} onClick={() => void choose()}>
              {CHOOSE_WORDS[request.mode]}
            </button>
          ) : null}
        </div>
      )}
    </FieldFrame>
  )
}
