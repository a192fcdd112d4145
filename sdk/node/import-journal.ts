import { mkdir, open, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { ImportJournal, JournalEntry } from '../import/journal.js'

/**
 * The import journal as a JSON-lines file, append-only and fsync'd on every append, so what it
 * says was written survives `kill -9` and power loss. A torn last line (the process died inside a
 * write) is ignored: its batch is then treated as never journalled, which is safe because the
 * intent for a write is always durable before the write itself is sent.
 */
export class FileImportJournal implements ImportJournal {
  private chain: Promise<unknown> = Promise.resolve()

  constructor(readonly path: string) {}

  async read(): Promise<JournalEntry[]> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw e
    }
    const out: JournalEntry[] = []
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return
      let entry: JournalEntry
      try {
        entry = JSON.parse(line) as JournalEntry
      } catch {
        return // a line torn by a crash: its batch never completed
      }
      if (!entry || !['intent', 'done', 'failed'].includes(entry.t) || typeof entry.row !== 'string') {
        throw new Error(`${this.path}:${i + 1}: not an import journal entry`)
      }
      out.push(entry)
    })
    return out
  }

  append(entries: JournalEntry[]): Promise<void> {
    if (!entries.length) return Promise.resolve()
    // Serialised: concurrent appends must not interleave their bytes.
    const next = this.chain.then(async () => {
      await mkdir(dirname(this.path), { recursive: true })
      const fh = await open(this.path, 'a+', 0o600)
      try {
        // A torn line from a crash would glue onto ours; start on a fresh line.
        const size = (await fh.stat()).size
        const prefix = size > 0 && !(await endsWithNewline(fh, size)) ? '\n' : ''
        await fh.write(prefix + entries.map((e) => JSON.stringify(e)).join('\n') + '\n')
        await fh.sync()
      } finally {
        await fh.close()
      }
    })
    this.chain = next.catch(() => undefined)
    return next
  }
}

async function endsWithNewline(fh: import('node:fs/promises').FileHandle, size: number): Promise<boolean> {
  const buf = Buffer.alloc(1)
  await fh.read(buf, 0, 1, size - 1)
  return buf[0] === 0x0a
}
