// The two ways crmkit talks to a portal: one REST call, or one `batch` of up to 50 commands (one
// request for the leaky bucket). Both feed the operating-time tracker from the `time` objects.
import { parseResponse, type CallContext, type CrmError, type HttpClient } from '../../sdk/index.js'
import { sleep } from '../../sdk/retry.js'
import { bitrixError } from './errors.js'
import type { OperatingTracker } from './limits.js'
import { BATCH_MAX } from './query.js'
import { WireBatch, WireEnvelope, WireTime } from './wire.js'

const crm = 'bitrix24'

export interface CallResult {
  result: unknown
  total: number | null
  next: number | null
}

export interface BatchResult {
  results: Record<string, unknown>
  errors: Record<string, CrmError>
  totals: Record<string, number>
}

/** Per-command failures that say nothing ran and a later attempt can succeed. */
const TRANSIENT = new Set(['QUERY_LIMIT_EXCEEDED', 'OPERATION_TIME_LIMIT', 'INTERNAL_SERVER_ERROR'])
const READ_BATCH_ATTEMPTS = 5

const methodOf = (cmd: string) => (cmd.includes('?') ? cmd.slice(0, cmd.indexOf('?')) : cmd).toLowerCase()

export class Rest {
  constructor(
    private readonly http: HttpClient,
    private readonly operating: OperatingTracker | null,
  ) {}

  private async pace(methods: Iterable<string>, ctx: CallContext): Promise<void> {
    const wait = this.operating?.delayFor(methods) ?? 0
    if (wait > 0) await sleep(wait, ctx.signal, crm)
  }

  async call(method: string, params: Record<string, unknown>, kind: 'read' | 'write', ctx: CallContext): Promise<CallResult> {
    await this.pace([method], ctx)
    let res
    try {
      res = await this.http.request({ method: 'POST', path: method, body: params, kind, ...(ctx.signal ? { signal: ctx.signal } : {}) })
    } catch (e) {
      if ((e as CrmError).code === 'operation_time_limit') this.operating?.exhausted(method, 60_000)
      throw e
    }
    const env = parseResponse(WireEnvelope, res.data, crm, method)
    this.operating?.observe(method, env.time)
    return { result: env.result, total: env.total === undefined ? null : Number(env.total), next: env.next === undefined ? null : Number(env.next) }
  }

  /**
   * Runs commands (`{ key: 'method?query' }`) in one request with `halt=0`. Read batches whose
   * commands failed transiently (bucket, operating budget) are repeated whole after a pause,
   * which is safe for reads; write batches report per-command errors and are never repeated.
   */
  async batch(cmd: Record<string, string>, kind: 'read' | 'write', ctx: CallContext): Promise<BatchResult> {
    const keys = Object.keys(cmd)
    if (keys.length > BATCH_MAX) throw new RangeError(`A Bitrix24 batch takes at most ${BATCH_MAX} commands`)
    const methods = new Set(Object.values(cmd).map(methodOf))
    for (let attempt = 0; ; attempt++) {
      await this.pace([...methods, 'batch'], ctx)
      let res
      try {
        res = await this.http.request({ method: 'POST', path: 'batch', body: { halt: 0, cmd }, kind, ...(ctx.signal ? { signal: ctx.signal } : {}) })
      } catch (e) {
        // Portals that bill a whole batch to `batch` refuse the whole request once it is spent.
        if ((e as CrmError).code === 'operation_time_limit') this.operating?.exhausted('batch', 60_000)
        throw e
      }
      const b = parseResponse(WireBatch, res.data, crm, 'batch')
      this.operating?.observe('batch', b.time)
      for (const [key, time] of Object.entries(b.result.result_time ?? {})) {
        const parsed = WireTime.safeParse(time)
        if (parsed.success && cmd[key]) this.operating?.observe(methodOf(cmd[key]), parsed.data)
      }
      const errors: Record<string, CrmError> = {}
      let transient: CrmError | null = null
      for (const [key, e] of Object.entries(b.result.result_error)) {
        const status = e.error === 'OPERATION_TIME_LIMIT' ? 429 : e.error === 'QUERY_LIMIT_EXCEEDED' ? 503 : 400
        errors[key] = bitrixError(status, e.error, e.error_description ?? null).error
        if (TRANSIENT.has(e.error)) {
          transient = errors[key]!
          if (e.error === 'OPERATION_TIME_LIMIT' && cmd[key]) this.operating?.exhausted(methodOf(cmd[key]), 60_000)
        }
      }
      if (kind === 'read' && transient && attempt + 1 < READ_BATCH_ATTEMPTS) {
        await sleep(Math.min(30_000, 1_000 * 2 ** attempt), ctx.signal, crm)
        continue
      }
      const totals: Record<string, number> = {}
      for (const [key, t] of Object.entries(b.result.result_total ?? {})) totals[key] = Number(t)
      return { results: b.result.result, errors, totals }
    }
  }
}
