// The host's file dialogs (Electron's), for the paths the estate's calls take: the person chooses in the system's
// own dialog, never the window. Absent (the browser host, the agent): 'files.choose' answers unavailable.
import type { FileChoice, FileChooseRequest } from '../../shared/contract/files.ts'

export interface FilesPort {
  choose(request: FileChooseRequest): Promise<FileChoice>
}
