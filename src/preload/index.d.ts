import type { LarderBridge } from '../shared/contract.ts'

declare global {
  interface Window {
    /** Present in Electron (preload) and in the browser host (web bridge); absent in a plain page. */
    readonly larder?: LarderBridge
  }
}
