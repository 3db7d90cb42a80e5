/**
 * Moves a response body from the worker to the page over a MessagePort, chunk by chunk, each
 * chunk's buffer transferred rather than copied, with several megabytes in flight.
 *
 * A transferred `ReadableStream` would do the same job, but Chromium clones each chunk and lets one
 * chunk cross at a time: a 32 MiB body then costs hundreds of round trips between threads. Here the
 * receiver grants the sender credit in bytes, so the sender keeps reading ahead up to a window.
 */

type SenderMessage =
  | { readonly type: 'chunk'; readonly chunk: Uint8Array }
  | { readonly type: 'end' }
  | { readonly type: 'error'; readonly name: string; readonly message: string }

type ReceiverMessage = { readonly type: 'credit'; readonly bytes: number } | { readonly type: 'cancel' }

/** How many bytes may be on their way to the page, not yet read by it. */
export const WINDOW_BYTES = 4 * 1024 * 1024

/** The chunk's own buffer when the chunk spans all of it, else a copy that does. */
function ownBuffer(chunk: Uint8Array): Uint8Array<ArrayBuffer> {
  const whole = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength
  return whole && chunk.buffer instanceof ArrayBuffer ? (chunk as Uint8Array<ArrayBuffer>) : chunk.slice()
}

/**
 * Worker side: pumps `stream` into a new channel and returns the port to transfer to the page.
 * Errors cross by name only (`AbortError` stays an `AbortError`).
 */
export function sendStream(stream: ReadableStream<Uint8Array>): MessagePort {
  const { port1, port2 } = new MessageChannel()
  const reader = stream.getReader()
  let credit = WINDOW_BYTES
  let pumping = false
  let finished = false

  const post = (message: SenderMessage, transfer: Transferable[] = []): void => port1.postMessage(message, transfer)

  async function pump(): Promise<void> {
    if (pumping || finished) return
    pumping = true
    try {
      while (credit > 0 && !finished) {
        const { done, value } = await reader.read()
        if (done) {
          finished = true
          post({ type: 'end' })
          break
        }
        const chunk = ownBuffer(value)
        credit -= chunk.byteLength
        post({ type: 'chunk', chunk }, [chunk.buffer])
      }
    } catch (error) {
      finished = true
      const name = error instanceof Error ? error.name : 'Error'
      post({ type: 'error', name, message: name === 'AbortError' ? 'The operation was aborted.' : 'network error' })
    } finally {
      pumping = false
    }
    if (finished) port1.close()
  }

  port1.onmessage = (event: MessageEvent<ReceiverMessage>) => {
    if (event.data.type === 'cancel') {
      finished = true
      void reader.cancel().catch(() => undefined)
      port1.close()
      return
    }
    credit += event.data.bytes
    void pump()
  }
  void pump()
  return port2
}

/**
 * Page side: the body as a `ReadableStream`. `ended` aborts if the worker dies; the stream then
 * errors with its reason instead of waiting for chunks that will not come.
 */
export function receiveStream(port: MessagePort, ended?: AbortSignal): ReadableStream<Uint8Array> {
  let owed = 0
  let onEnded: (() => void) | undefined
  const grant = (bytes: number): void => port.postMessage({ type: 'credit', bytes } satisfies ReceiverMessage)
  const finish = (): void => {
    port.close()
    if (onEnded) ended?.removeEventListener('abort', onEnded)
  }
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        port.onmessage = (event: MessageEvent<SenderMessage>) => {
          const message = event.data
          if (message.type === 'chunk') {
            // Credit goes back as the page reads (`pull`): a slow reader holds the sender back.
            owed += message.chunk.byteLength
            controller.enqueue(message.chunk)
          } else if (message.type === 'end') {
            controller.close()
            finish()
          } else {
            controller.error(
              message.name === 'AbortError'
                ? new DOMException(message.message, 'AbortError')
                : new TypeError(message.message),
            )
            finish()
          }
        }
        if (!ended) return
        onEnded = () => {
          controller.error(ended.reason)
          finish()
        }
        if (ended.aborted) onEnded()
        else ended.addEventListener('abort', onEnded, { once: true })
      },
      // Called after each chunk while the queue is under the window, and as the reader drains it.
      pull() {
        if (owed > 0) {
          grant(owed)
          owed = 0
        }
      },
      cancel() {
        port.postMessage({ type: 'cancel' } satisfies ReceiverMessage)
        finish()
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: WINDOW_BYTES }),
  )
}
