import { contextBridge } from 'electron'

// Only what the contract lists crosses into the page; never ipcRenderer itself.
contextBridge.exposeInMainWorld('larder', Object.freeze({ host: 'electron' as const }))
