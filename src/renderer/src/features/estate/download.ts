// A report without secrets handed to the person as a file: the host's own save dialog in the desktop app (Electron
// asks where to save a download), the browser's downloads elsewhere. As the audit log's CSV export does.
export function offerDownload(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
