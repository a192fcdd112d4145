/**
 * The sandbox's state file: every emulated CRM's data, versioned, written atomically. Each part is
 * serialised only when its CRM changed (tens of MB for the demo company), then the parts are joined.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { AmoDbSnapshot } from '../../adapters/amocrm/testing/index.js'
import type { Bitrix24DbSnapshot } from '../../adapters/bitrix24/testing/index.js'
import type { CreatioDbSnapshot } from '../../adapters/creatio/testing/index.js'

export const STATE_VERSION = 2

export interface SavedState {
  version: typeof STATE_VERSION
  amocrm: AmoDbSnapshot
  bitrix24: Bitrix24DbSnapshot
  creatio: CreatioDbSnapshot
}

export type CrmName = 'amocrm' | 'bitrix24' | 'creatio'

/** Null when there is no file; version 1 files (amoCRM only) keep their amoCRM part. */
export async function loadState(file: string): Promise<Partial<SavedState> | null> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw e
  }
  try {
    const data = JSON.parse(text) as { version?: number } & Partial<SavedState>
    if (data.version === STATE_VERSION) return data
    if (data.version === 1 && data.amocrm) return { amocrm: data.amocrm }
    return null
  } catch (e) {
    throw new Error(`Cannot read the sandbox state ${file} (${(e as Error).message}); delete it or start with --fresh`)
  }
}

export class StateWriter {
  private parts = new Map<CrmName, string>()
  private dirty = new Set<CrmName>()
  private timer: NodeJS.Timeout | null = null
  private chain: Promise<void> = Promise.resolve()

  constructor(
    private readonly file: string,
    private readonly snapshot: (crm: CrmName) => unknown,
    private readonly delayMs = 1_000,
  ) {}

  /** A write reached `crm`: save soon (debounced, so a drag's burst of writes is one save). */
  touch(crm: CrmName): void {
    this.dirty.add(crm)
    this.timer ??= setTimeout(() => {
      this.timer = null
      this.chain = this.chain.then(() => this.write()).catch((e: unknown) => console.error('sandbox: saving state failed:', e))
    }, this.delayMs)
  }

  /** Writes everything now (start-up) or what is pending (shutdown). */
  async flush(all = false): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (all) for (const crm of ['amocrm', 'bitrix24', 'creatio'] as const) this.dirty.add(crm)
    this.chain = this.chain.then(() => this.write())
    await this.chain
  }

  private async write(): Promise<void> {
    if (this.dirty.size === 0) return
    // The first save after a start serialises every part once; later ones only what changed.
    for (const crm of ['amocrm', 'bitrix24', 'creatio'] as const) if (!this.parts.has(crm)) this.dirty.add(crm)
    for (const crm of this.dirty) this.parts.set(crm, JSON.stringify(this.snapshot(crm)))
    this.dirty.clear()
    const body = `{"version":${STATE_VERSION}${[...this.parts].map(([k, v]) => `,${JSON.stringify(k)}:${v}`).join('')}}`
    await mkdir(dirname(this.file), { recursive: true })
    await writeFile(`${this.file}.tmp`, body)
    await rename(`${this.file}.tmp`, this.file)
  }
}
