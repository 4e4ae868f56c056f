// Where a file sealed with a passphrase goes, and that passphrase typed twice: the fields the backup and the move
// share, checked the same way before anything is sent (the path first, then the passphrase's rule).
import { useState } from 'react'
import type { FileChooseRequest } from '../../../../shared/contract/files.ts'
import type { EstateForm } from './EstateForm.tsx'
import { passphraseProblem } from './estate-words.ts'
import { PassphrasePair, usePassphraseDraft, type PassphraseDraft } from './PassphraseFields.tsx'
import { PathField } from './PathField.tsx'

type SealedField = 'path' | 'passphrase' | 'repeat'

export interface SealedFile {
  readonly path: string
  setPath(path: string): void
  readonly pair: PassphraseDraft
  /** The first problem with what is typed; null when the file can be written. */
  problem(missingPath: string): { readonly field: SealedField; readonly message: string } | null
}

export function useSealedFile(): SealedFile {
  const [path, setPath] = useState('')
  const pair = usePassphraseDraft()
  return {
    path,
    setPath,
    pair,
    problem: (missingPath) => (path.trim() === '' ? { field: 'path', message: missingPath } : passphraseProblem(pair.passphrase, pair.repeated))
  }
}

export interface SealedFileFieldsProps {
  /** The form's useId: the fields are `${id}-path`, `${id}-passphrase` and `${id}-repeat`. */
  readonly id: string
  readonly label: string
  readonly request: FileChooseRequest
  readonly file: SealedFile
  readonly form: Pick<EstateForm<SealedField>, 'errors' | 'busy' | 'clear'>
}

export function SealedFileFields({ id, label, request, file, form }: SealedFileFieldsProps): React.JSX.Element {
  return (
    <>
      <PathField
        id={`${id}-path`}
        label={label}
        request={request}
        value={file.path}
        onChange={(chosen) => {
          file.setPath(chosen)
          form.clear('path')
        }}
        error={form.errors.path}
        disabled={form.busy}
      />
      <PassphrasePair id={id} draft={file.pair} errors={form.errors} disabled={form.busy} />
    </>
  )
}
