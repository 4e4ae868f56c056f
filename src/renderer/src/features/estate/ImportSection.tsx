// Bulk import (issue 17 item 1): a CSV or JSON file, checked first (a dry run: every row with what is wrong in it,
// nothing sent), the hosts that are not Apicbase's confirmed one by one as the add dialog asks, then the import with
// its progress and a cancel, and the report to save (no secret in it). Larder reads the file; the page names its path.
import { useId, useState } from 'react'
import { useActions, useApp } from '../../store/provider.tsx'
import { HostTrust } from '../common/ApiHost.tsx'
import { countsLine, IMPORT_FILTERS, plural } from './estate-words.ts'
import { ImportProgressBar } from './ImportProgressBar.tsx'
import { ImportTable } from './ImportTable.tsx'
import { PathField } from './PathField.tsx'
import { ReportSave } from './ReportSave.tsx'

export function ImportSection(): React.JSX.Element {
  const uid = useId()
  const imports = useApp((state) => state.imports)
  const { checkImportFile, confirmImportHost, startImport, cancelImport, resetImport } = useActions()
  const [path, setPath] = useState(imports.path)
  const [pathError, setPathError] = useState<string | null>(null)
  const { phase, report, progress } = imports
  const busy = phase === 'checking' || phase === 'importing'

  const check = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    if (path.trim() === '') {
      setPathError('Choose the file to import first.')
      document.getElementById(`${uid}-path`)?.focus()
      return
    }
    setPathError(null)
    await checkImportFile(path.trim())
  }
  const again = (): void => {
    resetImport()
    setPath('')
  }

  return (
    <div className="estate-section">
      <p className="estate-intro">
        Many libraries and keys at once, from a CSV or JSON file with the columns the README’s Import section names. Larder reads the file itself and checks every row first,
        exactly as if it were added by hand; the check sends and stores nothing. The file holds secrets in plain text: delete it once imported.
      </p>
      <form className="estate-form" onSubmit={(event) => void check(event)} noValidate aria-label="File to import">
        <PathField
          id={`${uid}-path`}
          label="File to import (CSV or JSON)"
          request={{ purpose: 'import', mode: 'open', filters: [...IMPORT_FILTERS] }}
          value={path}
          onChange={(chosen) => {
            setPath(chosen)
            setPathError(null)
          }}
          error={pathError}
          disabled={busy}
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {phase === 'checking' ? <span className="spinner" aria-hidden="true" /> : null}
            Check the file
          </button>
        </div>
      </form>
      {imports.error !== null ? (
        <p className="notice notice-error" role="alert">
          {imports.error}
        </p>
      ) : null}
      {report !== null ? (
        <section className="import-report" aria-labelledby={`${uid}-report`} aria-busy={phase === 'checking'}>
          <h3 id={`${uid}-report`}>
            {report.dryRun ? 'Dry run' : report.cancelled ? 'Import cancelled' : 'Import done'}: {report.fileName}
          </h3>
          <p className="import-counts" role="status">
            {countsLine(report.counts)}.{' '}
            {report.dryRun ? 'Nothing was sent or stored.' : report.cancelled ? 'Rows not started before the cancel were not sent.' : 'Each row went in on its own: one that failed changed nothing else.'}
          </p>
          {report.dryRun && imports.hosts.length > 0 ? (
            <div className="import-hosts">
              {imports.hosts.map((host, index) => (
                <HostTrust
                  key={host}
                  id={`${uid}-host-${index}`}
                  host={host}
                  what={`the client secrets and tokens of this file’s rows that name it`}
                  label={`I trust ${host} with the secrets of this file’s rows that name it`}
                  checked={imports.confirmedHosts.includes(host)}
                  onChange={(checked) => void confirmImportHost(host, checked)}
                  disabled={busy}
                />
              ))}
            </div>
          ) : null}
          {phase === 'importing' && progress !== null ? <ImportProgressBar progress={progress} cancelling={imports.cancelling} onCancel={() => void cancelImport()} /> : null}
          {report.dryRun && phase !== 'importing' ? (
            <div className="form-actions">
              <button type="button" className="button primary" disabled={busy || report.counts.ready === 0} onClick={() => void startImport()}>
                {report.counts.ready === 0 ? 'No row is ready to import' : `Import ${plural(report.counts.ready, 'ready row', 'ready rows')}`}
              </button>
              <button type="button" className="button" disabled={busy} onClick={again}>
                Choose another file
              </button>
            </div>
          ) : null}
          {!report.dryRun ? (
            <>
              {/* Keyed by the import: a path typed for one report is not offered for the next. */}
              <ReportSave key={report.importId} fileName={report.fileName} dryRun={report.dryRun} />
              <div className="form-actions">
                <button type="button" className="button ghost" onClick={again}>
                  Import another file
                </button>
              </div>
            </>
          ) : null}
          <ImportTable rows={report.rows} fileName={report.fileName} />
        </section>
      ) : null}
    </div>
  )
}
