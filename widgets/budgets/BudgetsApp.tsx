import { Fragment } from 'preact'
import { useEffect, useId, useMemo, useState } from 'preact/hooks'
import { CrmError, currencyExponent, money, type Campaign, type Crm, type SpendEntry } from '../../sdk/index.js'
import { APPROVAL_TRANSITIONS, approvalFromCampaign, type ApprovalAction, type ApprovalStep } from '../../sdk/marketing/approval.js'
import { budgetAlerts, budgetFromCampaign, rollUpBudgets, type BudgetGroupBy, type BudgetRow } from '../../sdk/marketing/budgets.js'
import { CHANNELS } from '../../sdk/marketing/channel-names.js'
import { isoDay, parseIsoDay, todayUtc } from '../calendar/days.js'
import { csvAmount, downloadText, tableCsv } from '../ui/csv.js'
import { Field } from '../ui/Field.js'
import { formatMoney } from '../ui/format.js'
import { useI18n } from '../ui/i18n.js'
import { budgetsMessages } from './messages.js'
import type { MessageKey } from '../ui/messages.js'
import { ApprovalDialog, type DialogAction } from './ApprovalDialog.js'
import { ApprovalHistory } from './ApprovalHistory.js'
import { COMMON_CURRENCIES, loadRates, saveRates, usableRates, type RateSettings } from './rates.js'
import { RatesEditor } from './RatesEditor.js'
import type { SpendImportPreview } from '../../sdk/marketing/spend-csv.js'
import { writeApproval } from './write-approval.js'
import { TabStyle } from '../ui/styles.js'
import { budgetsCss } from './styles.js'

interface Props {
  crm: Crm
  now?: Date
  /** Base currency until the user picks one; other currencies are converted at the user's own rates. */
  currency?: string
  /** Where the user's base currency and rates are remembered (default: per CRM and user). */
  storageKey?: string
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
export function BudgetsApp({ crm, now, currency: defaultBase = 'RUB', approverIds = [], userId = null, storageKey }: Props) {
  const { t, locale, lang } = useI18n(budgetsMessages)
  const today = todayUtc(now)
  const historyIds = useId()
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null)
  const [spend, setSpend] = useState<SpendEntry[]>([])
  const [userNames, setUserNames] = useState<ReadonlyMap<string, string>>(new Map())
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [groupBy, setGroupBy] = useState<BudgetGroupBy>('channel')
  const ratesKey = storageKey ?? `crmkit.budgets.rates.${crm.crm}.${userId ?? 'anonymous'}`
  const [settings, setSettings] = useState<RateSettings>(() => loadRates(ratesKey, defaultBase))
  useEffect(() => saveRates(ratesKey, settings), [ratesKey, settings])
  const [dialog, setDialog] = useState<{ campaign: Campaign; action: DialogAction } | null>(null)
  const [openHistory, setOpenHistory] = useState<ReadonlySet<string>>(new Set())
  const [saving, setSaving] = useState<ReadonlySet<string>>(new Set())
  const [form, setForm] = useState({ campaignId: '', date: isoDay(today), amount: '', kind: 'actual' as SpendEntry['kind'], note: '' })
  const [formError, setFormError] = useState<{ field: string; key: MessageKey } | null>(null)
  const [preview, setPreview] = useState<SpendImportPreview | null>(null)
  const [imported, setImported] = useState<string | null>(null)

  const load = () => {
    Promise.all([crm.campaigns.list().toArray(50_000), crm.spend.list().toArray(500_000)])
      .then(([c, s]) => {
        setCampaigns(c)
        setSpend(s)
      })
      .catch((e: unknown) => setError(message(e)))
    // Names only make the history readable; without them it shows user ids.
    crm.users
      .list()
      .toArray(10_000)
      .then((users) => setUserNames(new Map(users.map((u) => [u.id, u.name]))))
      .catch(() => undefined)
  }
  useEffect(load, [crm])

  const currency = settings.base
  const rates = useMemo(() => usableRates(settings), [settings])
  const convertible = (code: string) => code === currency || rates.rates[code] !== undefined
  const ownCurrency = (c: Campaign) => c.plannedBudget?.currency ?? currency
  const all = campaigns ?? []
  const byId = new Map(all.map((c) => [c.id, c]))
  // Amounts without a rate to the base are left out of every sum and listed, never summed as if equal.
  const counted = all.filter((c) => convertible(ownCurrency(c)))
  const countedIds = new Set(counted.map((c) => c.id))
  const lines = spend.filter((s) => countedIds.has(s.campaignId) && convertible(s.amount.currency))
  const uncounted = [
    ...all.filter((c) => !countedIds.has(c.id)).map((c) => `«${c.name}» (${ownCurrency(c)})`),
    ...spend
      .filter((s) => countedIds.has(s.campaignId) && !convertible(s.amount.currency))
      .map((s) => `«${byId.get(s.campaignId)?.name ?? s.campaignId}» ${isoDay(s.date)} ${formatMoney(s.amount, locale)}`),
  ]
  const foreign = [...new Set([...all.map(ownCurrency), ...spend.map((s) => s.amount.currency)])].filter((c) => c !== currency).sort()
  const bases = [...new Set([...COMMON_CURRENCIES, currency, ...foreign])]
  const report = useMemo(() => {
    if (!campaigns) return null
    const budgets = counted.map((c) => budgetFromCampaign(c, { currency, approval: approvalFromCampaign(c, currency) }))
    return rollUpBudgets(budgets, lines, { rates, groupBy })
  }, [campaigns, spend, groupBy, rates])
  // Alerts compare each campaign with its own spend in its own currency: no rates needed.
  const alerts = useMemo(() => {
    if (!campaigns) return []
    const budgets = campaigns.map((c) => budgetFromCampaign(c, { currency, approval: approvalFromCampaign(c, currency) }))
    const own = spend.filter((s) => byId.has(s.campaignId) && s.amount.currency === ownCurrency(byId.get(s.campaignId)!))
    return budgetAlerts(budgets, own, { asOf: today })
  }, [campaigns, spend, currency])
  const mayApprove = userId !== null && approverIds.includes(userId)

  const label = (key: string) => {
    if (key === '(none)') return t('attr.none')
    if (groupBy === 'channel') return (CHANNELS as Record<string, Record<string, string>>)[key]?.[lang] ?? key
    if (groupBy === 'campaign') return byId.get(key)?.name ?? key
    return key
  }
  const fmt = (minor: number) => formatMoney({ minor, currency }, locale)

  const replace = (c: Campaign) => setCampaigns((list) => (list ?? []).map((x) => (x.id === c.id ? c : x)))
  const mark = (id: string, on: boolean) =>
    setSaving((set) => {
      const next = new Set(set)
      if (on) next.add(id)
      else next.delete(id)
      return next
    })
  const open = (c: Campaign, action: DialogAction) => {
    setError(null)
    setNotice(null)
    setDialog({ campaign: c, action })
  }
  /** Optimistic: the row shows the new state at once, and goes back (with a message) if the CRM refuses. */
  const act = async (shown: Campaign, action: DialogAction, step: ApprovalStep) => {
    setDialog(null)
    if (userId === null || (APPROVER_ONLY.includes(action) && !mayApprove)) return setError(t('bud.notApprover'))
    replace(step.campaign)
    mark(shown.id, true)
    const result = await writeApproval(crm, shown, action, { by: userId, at: step.entry.at, comment: step.entry.comment })
    mark(shown.id, false)
    if (result.campaign) replace(result.campaign)
    else replace(shown)
    const name = shown.name
    if (result.kind === 'conflict') setNotice(t('bud.conflict', { name }))
    else if (result.kind === 'failed') setError(t('bud.failed', { name, message: message(result.error) }))
    else if (result.kind === 'unknown') setError(t('bud.unknown', { name, message: message(result.error) }))
  }
  const toggleHistory = (id: string) =>
    setOpenHistory((set) => {
      const next = new Set(set)
      if (!next.delete(id)) next.add(id)
      return next
    })

  const addSpend = async (e: Event) => {
    e.preventDefault()
    const date = parseIsoDay(form.date)
    if (!form.campaignId) return setFormError({ field: 'campaignId', key: 'error.required' })
    if (!date) return setFormError({ field: 'date', key: 'error.invalidDate' })
    let amount
    try {
      amount = money(form.amount, byId.get(form.campaignId) ? ownCurrency(byId.get(form.campaignId)!) : currency)
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
    try {
      // papaparse and the importer load when a file is chosen, not with the tab.
      const { previewSpendImport } = await import(/* webpackChunkName: "spend-import" */ '../../sdk/marketing/spend-csv.js')
      setPreview(previewSpendImport(await file.text(), campaigns, spend, { defaultCurrency: currency }))
    } catch (err) {
      setError(message(err))
    }
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
  const exportCsv = async () => {
    if (!report) return
    const exp = currencyExponent(currency)
    const body = [...report.rows, report.total].map((r, i) => [
      i === report.rows.length ? t('attr.total') : label(r.key),
      ...AMOUNTS.map((a) => csvAmount(r[a], exp, lang)),
    ])
    const csv = await tableCsv([t(`bud.col.${groupBy}` as MessageKey), ...AMOUNTS.map((a) => t(`bud.${a}` as MessageKey))], body, lang).catch((err: unknown) => void setError(message(err)))
    if (csv !== undefined) downloadText(`budgets-${groupBy}.csv`, 'text/csv', csv, root)
  }
  const errorFor = (field: string) => (formError?.field === field ? t(formError.key) : undefined)

  return (
    <section class="ck-budgets" aria-label={t('bud.title')} ref={setRoot}>
      <TabStyle css={budgetsCss} />
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
      {notice && (
        <p class="ck-status" role="status">
          {notice}
        </p>
      )}
      {campaigns && <RatesEditor settings={settings} bases={bases} foreign={foreign} onChange={setSettings} />}
      {uncounted.length > 0 && (
        <p class="ck-warnings" role="status">
          {t('bud.noRate', { base: currency, items: uncounted.join(', ') })}
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
          {userId === null && <p class="ck-status">{t('bud.noUser')}</p>}
          {saving.size > 0 && (
            <p class="ck-status" role="status">
              {t('bud.saving', { name: all.filter((c) => saving.has(c.id)).map((c) => c.name).join(', ') })}
            </p>
          )}
          <table class="ck-table">
            <thead>
              <tr>
                <th scope="col">{t('bud.campaign')}</th>
                <th scope="col">{t('bud.planned')}</th>
                <th scope="col">{t('bud.state')}</th>
                <th scope="col">{t('bud.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {all.map((c) => {
                const historyId = `${historyIds}-${c.id}`
                const expanded = openHistory.has(c.id)
                const busy = saving.has(c.id)
                // What the engine holds, not the stored flag: an approved budget whose amount was
                // changed in the CRM's own form is back in approval and may be approved again.
                const state = approvalFromCampaign(c).state
                const actions =
                  userId === null
                    ? []
                    : (Object.keys(APPROVAL_TRANSITIONS[state]) as ApprovalAction[]).filter(
                        (a): a is DialogAction => a !== 'edit-amount' && (mayApprove || !APPROVER_ONLY.includes(a)),
                      )
                return (
                  <Fragment key={c.id}>
                    <tr aria-busy={busy}>
                      <th scope="row">{c.name}</th>
                      <td>
                        {c.plannedBudget ? formatMoney(c.plannedBudget, locale) : '—'}
                        {!countedIds.has(c.id) && <span class="ck-alert"> ({t('bud.noRateShort', { base: currency })})</span>}
                      </td>
                      <td>{t(`approval.${state}` as MessageKey)}</td>
                      <td>
                        <div class="ck-actions">
                          {actions.map((a) => (
                            <button type="button" key={a} disabled={busy} onClick={() => open(c, a)}>
                              {t(`bud.action.${a}` as MessageKey)}
                            </button>
                          ))}
                          <button type="button" class="ck-link-button" aria-expanded={expanded} aria-controls={historyId} onClick={() => toggleHistory(c.id)}>
                            {t('bud.history', { count: c.approvalHistory.length })}
                          </button>
                        </div>
                      </td>
                    </tr>
                    {expanded && (
                      <tr>
                        <td colSpan={4}>
                          <ApprovalHistory campaign={c} userNames={userNames} id={historyId} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                )
              })}
            </tbody>
          </table>
          {!mayApprove && userId !== null && <p class="ck-status">{t('bud.notApprover')}</p>}
        </section>
      )}
      {dialog && userId !== null && (
        <ApprovalDialog
          campaign={dialog.campaign}
          action={dialog.action}
          userId={userId}
          onCancel={() => setDialog(null)}
          onConfirm={(step) => void act(dialog.campaign, dialog.action, step)}
        />
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
                {all.map((c) => (
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
