// A question on the terminal whose answer is not echoed (a passphrase): raw mode, the typed characters kept in memory
// only, backspace honoured. Enter answers; Ctrl-C or Ctrl-D answers null (the person gave up).
export function hiddenPrompt(question: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string | null> {
  return new Promise((resolve) => {
    let typed = ''
    const finish = (answer: string | null): void => {
      input.setRawMode(false)
      input.pause()
      input.off('data', onData)
      output.write('\n')
      resolve(answer)
    }
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish(typed)
        if (char === '\u0003' || char === '\u0004') return finish(null)
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1)
        else typed += char
      }
    }
    // Echo goes off before the question shows: whatever is typed (or pasted) the moment it appears is never echoed.
    input.setRawMode(true)
    input.on('data', onData)
    input.resume()
    output.write(question)
  })
}
