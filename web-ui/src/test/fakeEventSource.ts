// jsdom has no EventSource: a stand-in that the test drives like a server would.
export class FakeEventSource {
  static CONNECTING = 0
  static OPEN = 1
  static CLOSED = 2
  static made: FakeEventSource[] = []
  readyState = FakeEventSource.CONNECTING
  onerror: (() => void) | null = null
  private handlers: Record<string, ((event: MessageEvent) => void)[]> = {}
  constructor(readonly url: string) {
    FakeEventSource.made.push(this)
  }
  addEventListener(name: string, handler: (event: MessageEvent) => void) {
    ;(this.handlers[name] ??= []).push(handler)
  }
  send(name: string, data: unknown = {}) {
    this.readyState = FakeEventSource.OPEN
    for (const handler of this.handlers[name] ?? []) handler(new MessageEvent(name, { data: JSON.stringify(data) }))
  }
  fail(closed: boolean) {
    this.readyState = closed ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING
    this.onerror?.()
  }
  close() {
    this.readyState = FakeEventSource.CLOSED
  }
}
