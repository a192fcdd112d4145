import { useEffect, useMemo, useState } from 'preact/hooks'
import { CrmError, currencyExponent, money, type ApprovalState, type Campaign, type Crm, type SpendEntry } from '../../sdk/index.js'
import { APPROVAL_TRANSITIONS, type ApprovalAction } from '../../sdk/marketing/approval.js'
import { budgetAlerts, budgetFromCampaign, rollUpBudgets, type BudgetGroupBy, type BudgetRow } from '../../sdk/marketing/budgets.js'
import { CHANNELS } from '../../sdk/marketing/channels.js'
import { isoDay, parseIsoDay, todayUtc } from '../calendar/days.js'
import { csvAmount, downloadText, tableCsv } from '../ui/csv.js'
import { Field } from '../ui/Field.js'
import { formatMoney } from '../ui/format.js'
import { useI18n } from '../ui/i18n.js'
import type { MessageKey } from '../ui/messages.js'
import { previewSpendImport, type ImportPreview } from './spend-import.js'

interface Props {
  crm: Crm
  now?: Date
  /** Report currency; campaigns and spend in it are rolled up (rates for others: next release). */
  currency?: string
  /** Users allowed to approve, reject or request changes (from the widget settings). */
  approverIds?: string[]
  /** The user looking at the tab. */
  userId?: string | null
}

const GROUPS: BudgetGroupBy[] = ['channel', 'month', 'campaign', 'owner']
const AMOUNTS: (keyof Omit<BudgetRow, 'key'>)[] = ['planned', 'approved', 'committed', 'actual', 'remaining', 'variance']
const APPROVER_ONLY: ApprovalAction[] = ['approve', 'reject', 'request-revision']
const message = (e: unknown) => (e instanceof CrmError || e instanceof Error ? e.message : String(e))

/** Budgets per campaign rolled up by channel, month, campaign or owner, with alerts and approvals. */
export function BudgetsApp({ crm, now, currency = 'RUB', approverIds = [], userId = null }: Props) {
  const { t, locale, lang } = useI18n()
  const today = todayUtc(now)
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null)
  const [spend, setSpend] = useState<SpendEntry[]>([])
  const [error, setError] = useState<string | null>(null)
  const [groupBy, setGroupBy] = useState<BudgetGroupBy>('channel')
  const [comment, setComment] = useState('')
  const [form, setForm] = useState({ campaignId: '', date: isoDay(today), amount: '', kind: 'actual' as SpendEntry['kind'], note: '' })
  const [formError, setFormError] = useState<{ field: string; key: MessageKey } | null>(null)
  const [preview, setPreview] = useState<ImportPreview | null>(null)
  const [imported, setImported] = useState<string | null>(null)

  const load = () => {
    Promise.all([crm.campaigns.list().toArray(50_000), crm.spend.list().toArray(500_000)])
      .then(([c, s]) => {
        setCampaigns(c)
        setSpend(s)
      })
      .catch((e: unknown) => setError(message(e)))
  }
  useEffect(load, [crm])

  const inCurrency = (campaigns ?? []).filter((c) => (c.plannedBudget?.currency ?? currency) === currency)
  const budgets = inCurrency.map((c) => budgetFromCampaign(c, { currency }))
  const ids = new Set(budgets.map((b) => b.campaignId))
  const lines = spend.filter((s) => ids.has(s.campaignId) && s.amount.currency === currency)
  const report = useMemo(
    () => (campaigns ? rollUpBudgets(budgets, lines, { rates: { base: currency, rates: {} }, groupBy }) : null),
    [campaigns, spend, groupBy, currency],
  )
  const alerts = useMemo(() => (campaigns ? budgetAlerts(budgets, lines, { asOf: today }) : []), [campaigns, spend])
  const byId = new Map((campaigns ?? []).map((c) => [c.id, c]))
  const mayApprove = userId !== null && approverIds.includes(userId)

  const label = (key: string) => {
    if (key === '(none)') return t('attr.none')
    if (groupBy === 'channel') return (CHANNELS as Record<string, Record<string, string>>)[key]?.[lang] ?? key
    if (groupBy === 'campaign') return byId.get(key)?.name ?? key
    return key
  }
  const fmt = (minor: number) => formatMoney({ minor, currency }, locale)

  const act = async (c: Campaign, action: ApprovalAction) => {
    const next = APPROVAL_TRANSITIONS[c.approval][action] as ApprovalState | undefined
    if (!next) return
    if ((action === 'reject' || action === 'request-revision') && !comment.trim()) {
      setError(t('bud.commentRequired'))
      return
    }
    try {
      const saved = await crm.campaigns.update(c.id, { approval: next })
      setCampaigns((list) => (list ?? []).map((x) => (x.id === c.id ? saved : x)))
      setComment('')
      setError(null)
    } catch (e) {
      setError(message(e))
    }
  }

  const addSpend = async (e: Event) => {
    e.preventDefault()
    const date = parseIsoDay(form.date)
    if (!form.campaignId) return setFormError({ field: 'campaignId', key: 'error.required' })
    if (!date) return setFormError({ field: 'date', key: 'error.invalidDate' })
    let amount
    try {
      amount = money(form.amount, currency)
      if (amount.minor <= 0) throw new RangeError('not positive')
    } catch {
      return setFormError({ field: 'amount', key: 'error.invalidAmount' })
    }
    setFormError(null)
    try {
      const saved = await crm.spend.create({ campaignId: form.campaignId, date, amount, kind: form.kind, note: form.note || null })
      setSpend((list) => [...list, saved])
      setForm({ ...form, amount: '', note: '' })
    } catch (err) {
      setError(message(err))
    }
  }
  const readFile = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0]
    if (!file || !campaigns) return
    setImported(null)
    setPreview(previewSpendImport(await file.text(), campaigns, spend, { defaultCurrency: currency }))
  }
  const runImport = async () => {
    if (!preview) return
    const ok = preview.rows.flatMap((r) => (r.status === 'ok' ? [r.input] : []))
    const dup = preview.rows.filter((r) => r.status === 'duplicate').length
    const outcomes = await crm.spend.createMany(ok)
    const saved = outcomes.flatMap((o) => (o.ok ? [o.record] : []))
    const failed = outcomes.flatMap((o) => (o.ok ? [] : [o.error.message]))
    setSpend((list) => [...list, ...saved])
    setPreview(null)
    setImported(t('imp.done', { count: saved.length, dup }))
    if (failed.length) setError(failed.join('; '))
  }
  const [root, setRoot] = useState<HTMLElement | null>(null)
  const exportCsv = () => {
    if (!report) return
    const exp = currencyExponent(currency)
    const body = [...report.rows, report.total].map((r, i) => [
      i === report.rows.length ? t('attr.total') : label(r.key),
      ...AMOUNTS.map((a) => csvAmount(r[a], exp, lang)),
    ])
    downloadText(`budgets-${groupBy}.csv`, 'text/csv', tableCsv([t(`bud.col.${groupBy}` as MessageKey), ...AMOUNTS.map((a) => t(`bud.${a}` as MessageKey))], body, lang), root)
  }
  const errorFor = (field: string) => (formError?.field === field ? t(formError.key) : undefined)

  return (
    <section class="ck-budgets" aria-label={t('bud.title')} ref={setRoot}>
      <header class="ck-toolbar">
        <h1 class="ck-toolbar__title">{t('bud.title')}</h1>
        <button type="button" onClick={exportCsv} disabled={!report}>
          {t('calendar.exportCsv')}
        </button>
        <label>
          {t('bud.groupBy')}{' '}
          <select value={groupBy} onChange={(e) => setGroupBy(e.currentTarget.value as BudgetGroupBy)}>
            {GROUPS.map((g) => (
              <option value={g} key={g}>
                {t(`bud.group.${g}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      </header>
      {error && (
        <p class="ck-alert" role="alert">
          {error}
        </p>
      )}
      {!report && !error && (
        <p class="ck-status" role="status">
          {t('calendar.loading')}
        </p>
      )}
      {report && (
        <div class="ck-table-wrap">
          <table class="ck-table" aria-label={t('bud.title')}>
            <thead>
              <tr>
                <th scope="col">{t(`bud.col.${groupBy}` as MessageKey)}</th>
                {AMOUNTS.map((a) => (
                  <th scope="col" key={a}>
                    {t(`bud.${a}` as MessageKey)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr key={r.key} class={r.remaining < 0 ? 'ck-row--over' : ''}>
                  <th scope="row">{label(r.key)}</th>
                  {AMOUNTS.map((a) => (
                    <td key={a}>{fmt(r[a])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('attr.total')}</th>
                {AMOUNTS.map((a) => (
                  <td key={a}>{fmt(report.total[a])}</td>
                ))}
              </tr>
            </tfoot>
          </table>
        </div>
      )}

      {alerts.length > 0 && (
        <section class="ck-warnings" aria-label={t('bud.alerts')}>
          <h2>{t('bud.alerts')}</h2>
          <ul>
            {alerts.map((a) => (
              <li key={`${a.kind}:${a.campaignId}`}>
                {t(`bud.alert.${a.kind}` as MessageKey, {
                  name: byId.get(a.campaignId)?.name ?? a.campaignId,
                  amount: formatMoney({ minor: a.amount, currency: a.currency }, locale),
                  limit: formatMoney({ minor: a.limit, currency: a.currency }, locale),
                  date: a.exhaustedAt ? isoDay(a.exhaustedAt) : '',
                })}
              </li>
            ))}
          </ul>
        </section>
      )}

      {campaigns && (
        <section class="ck-approvals" aria-label={t('bud.approval')}>
          <h2>{t('bud.approval')}</h2>
          <Field label={t('bud.comment')}>{(a) => <input {...a} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />}</Field>
          <table class="ck-table">
            <tbody>
              {inCurrency.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>{c.plannedBudget ? fmt(c.plannedBudget.minor) : '—'}</td>
                  <td>{t(`approval.${c.approval}` as MessageKey)}</td>
                  <td>
                    <div class="ck-actions">
                    {(Object.keys(APPROVAL_TRANSITIONS[c.approval]) as ApprovalAction[])
                      .filter((a) => a !== 'edit-amount' && (mayApprove || !APPROVER_ONLY.includes(a)))
                      .map((a) => (
                        <button type="button" key={a} onClick={() => void act(c, a)}>
                          {t(`bud.action.${a}` as MessageKey)}
                        </button>
                      ))}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {campaigns && (
        <section class="ck-import" aria-label={t('imp.title')}>
          <h2>{t('imp.title')}</h2>
          <Field label={t('imp.file')}>{(a) => <input {...a} type="file" accept=".csv,.tsv,.txt,text/csv" onChange={(e) => void readFile(e)} />}</Field>
          {imported && (
            <p class="ck-status" role="status">
              {imported}
            </p>
          )}
          {preview && (
            <>
              <table class="ck-table">
                <thead>
                  <tr>
                    <th scope="col">{t('imp.line')}</th>
                    <th scope="col">{t('bud.campaign')}</th>
                    <th scope="col">{t('bud.date')}</th>
                    <th scope="col">{t('bud.amount')}</th>
                    <th scope="col">{t('imp.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.map((r) =>
                    r.status === 'error' ? (
                      <tr key={r.line} class="ck-row--over">
                        <td>{r.line}</td>
                        <td colSpan={3}>{r.raw.join(' · ')}</td>
                        <td>{t('imp.error', { field: r.field, message: r.message })}</td>
                      </tr>
                    ) : (
                      <tr key={r.line}>
                        <td>{r.line}</td>
                        <td>{r.campaignName}</td>
                        <td>{isoDay(r.input.date)}</td>
                        <td>{formatMoney(r.input.amount, locale)}</td>
                        <td>{t(r.status === 'ok' ? 'imp.ok' : 'imp.duplicate')}</td>
                      </tr>
                    ),
                  )}
                </tbody>
              </table>
              <button type="button" class="ck-primary" onClick={() => void runImport()} disabled={!preview.rows.some((r) => r.status === 'ok')}>
                {t('imp.run', { count: preview.rows.filter((r) => r.status === 'ok').length })}
              </button>
            </>
          )}
        </section>
      )}

      {campaigns && (
        <form class="ck-form ck-spend-form" onSubmit={addSpend} aria-label={t('bud.spendForm')} noValidate>
          <h2>{t('bud.spendForm')}</h2>
          <Field label={t('bud.campaign')} error={errorFor('campaignId')}>
            {(a) => (
              <select {...a} value={form.campaignId} onChange={(e) => setForm({ ...form, campaignId: e.currentTarget.value })}>
                <option value="" />
                {inCurrency.map((c) => (
                  <option value={c.id} key={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div class="ck-row">
            <Field label={t('bud.date')} error={errorFor('date')}>
              {(a) => <input {...a} type="date" value={form.date} onInput={(e) => setForm({ ...form, date: e.currentTarget.value })} />}
            </Field>
            <Field label={t('bud.amount')} error={errorFor('amount')}>
              {(a) => <input {...a} inputMode="decimal" value={form.amount} onInput={(e) => setForm({ ...form, amount: e.currentTarget.value })} />}
            </Field>
          </div>
          <div class="ck-row">
            <Field label={t('bud.kind')}>
              {(a) => (
                <select {...a} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.currentTarget.value as SpendEntry['kind'] })}>
                  <option value="actual">{t('bud.kind.actual')}</option>
                  <option value="committed">{t('bud.kind.committed')}</option>
                </select>
              )}
            </Field>
            <Field label={t('bud.note')}>{(a) => <input {...a} value={form.note} onInput={(e) => setForm({ ...form, note: e.currentTarget.value })} />}</Field>
          </div>
          <footer class="ck-dialog__actions">
            <button type="submit" class="ck-primary">
              {t('bud.add')}
            </button>
          </footer>
        </form>
      )}
    </section>
  )
}
