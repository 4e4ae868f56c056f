// Save report…: the import's report (row numbers, names, statuses, Larder's own words; never a secret) written by
// Larder where the person chose ('import.saveReport'): in the host's save dialog, or at a typed path where it has none.
import { useId, useState } from 'react'
import type { ImportFormat } from '../../../../shared/contract.ts'
import { useActions } from '../../store/provider.tsx'
import { PathField, useNativePicker } from './PathField.tsx'

const FORMATS: readonly { readonly format: ImportFormat; readonly label: string }[] = [
  { format: 'csv', label: 'CSV' },
  { format: 'json', label: 'JSON' }
]

/** "customers.csv" → "customers import report.csv" (as Larder names it for the command line). */
export function reportName(fileName: string, dryRun: boolean, format: ImportFormat): string {
  const stem = fileName.replace(/\.[^.]*$/, '') || 'import'
  return `${stem} ${dryRun ? 'check' : 'import'} report.${format}`
}

export function ReportSave({ fileName, dryRun }: { readonly fileName: string; readonly dryRun: boolean }): React.JSX.Element {
  const uid = useId()
  const native = useNativePicker()
  const { chooseFile, saveImportReport } = useActions()
  const [path, setPath] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const save = async (format: ImportFormat): Promise<void> => {
    setError(null)
    setSaved(null)
    let target = path.trim()
    if (native) {
      const chosen = await chooseFile({ purpose: 'import_report', mode: 'save', suggestedName: reportName(fileName, dryRun, format), filters: [{ name: format.toUpperCase(), extensions: [format] }] })
      if ('error' in chosen) return setError(chosen.error)
      // Cancelled: nothing to do. Unavailable: the typed field below takes over.
      if (!('path' in chosen)) return
      target = chosen.path
    } else if (target === '') {
      setError('Type where to save the report: a full path on the computer Larder runs on.')
      document.getElementById(`${uid}-path`)?.focus()
      return
    }
    setBusy(true)
    const result = await saveImportReport(format, target)
    setBusy(false)
    if (result.ok) setSaved(result.value.path)
    else setError(`Could not save the report. ${result.error.message}`)
  }

  return (
    <div className="report-save" role="group" aria-label="Save the report">
      {native ? null : (
        <PathField
          id={`${uid}-path`}
          label="Save the report to"
          request={{ purpose: 'import_report', mode: 'save', suggestedName: reportName(fileName, dryRun, 'csv') }}
          value={path}
          onChange={(typed) => {
            setPath(typed)
            setError(null)
          }}
          error={error}
          disabled={busy}
        />
      )}
      <div className="form-actions">
        {FORMATS.map(({ format, label }) => (
          <button key={format} type="button" className="button" disabled={busy} onClick={() => void save(format)}>
            {native ? `Save report as ${label}…` : `Save report as ${label}`}
          </button>
        ))}
      </div>
      {native && error !== null ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {saved !== null ? (
        <p className="saved-note" role="status">
          Report saved to <span className="mono wrap">{saved}</span>. It holds no secret.
        </p>
      ) : null}
    </div>
  )
}
