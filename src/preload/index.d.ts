export interface LarderBridge {
  readonly host: 'electron' | 'browser'
}

declare global {
  interface Window {
    readonly larder?: LarderBridge
  }
}
