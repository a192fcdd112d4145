// The import behaviour every CRM must show against its emulator: the same rows, the same plan.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UnsupportedError, ValidationError, type Company, type Contact, type Crm } from '../../sdk/index.js'
import { MemoryImportJournal, type CompanyImportRecord, type ContactImportRecord, type ImportJournal, type JournalEntry } from '../../sdk/import/index.js'
import type { ImportHarness } from './harness.js'

/** Two people the CRM already has. */
const EXISTING = [
  { name: 'Анна Смирнова', phones: ['+7 999 111-22-33'], emails: ['anna@example.com'] },
  { name: 'Борис Петров', phones: ['8 (912) 345-67-89'] },
]

/** Rows as they come from a spreadsheet: other formats, duplicates, mistakes. */
const ROWS: ContactImportRecord[] = [
  /* 0 */ { name: 'Анна С.', phones: '89991112233' }, // Анна by phone, nothing new
  /* 1 */ { name: 'Борис', phones: ['+7 912 3456789'], emails: 'BORIS@Example.com' }, // Борис by phone; adds the e-mail
  /* 2 */ { name: 'Виктор Новиков', phones: ['+7 903 555-44-33'], emails: ['viktor@example.com'] }, // new
  /* 3 */ { name: 'Виктор Н.', phones: ['+7 903 777-88-99'], emails: [' Viktor@Example.COM '] }, // row 2 again, with a second phone
  /* 4 */ { name: 'Плохой телефон', phones: ['12345'] },
  /* 5 */ { name: 'Плохая почта', emails: ['not-an-email'] },
  /* 6 */ { phones: ['+7 915 000-11-22'] }, // no name
  /* 7 */ { name: 'Галина Орлова', phones: '+7 916 222-33-44; +7 916 222-33-45' },
]

const digits = (p: string) => p.replace(/\D/g, '').replace(/^8/, '7')

/** A custom field's value on a record, found by field id or code (CRMs key them differently). */
const customValue = (record: Contact | Company, field: string): unknown =>
  Object.entries(record.customFields).find(([id, v]) => id === field || v.code === field)?.[1].value ?? null

/** A journal that "crashes" on its second append: after the intents and the write, before the outcomes. */
function crashingJournal(): { inner: MemoryImportJournal; journal: ImportJournal } {
  const inner = new MemoryImportJournal()
  let appends = 0
  return {
    inner,
    journal: {
      read: () => inner.read(),
      async append(entries: JournalEntry[]) {
        if (++appends === 2) throw new Error('killed')
        await inner.append(entries)
      },
    },
  }
}

export function importSuite(h: ImportHarness) {
  describe(`${h.name}: contacts.import`, () => {
    let crm: Crm
    let contactKeyField: string
    let close: () => Promise<void>
    let before: number
    const all = () => crm.contacts.list().toArray(100_000)
    const byPhone = async (phone: string): Promise<Contact[]> => (await all()).filter((c) => c.phones.some((p) => digits(p) === digits(phone)))

    beforeEach(async () => {
      ;({ crm, contactKeyField, close } = await h.start())
      const seeded = await crm.contacts.createMany(EXISTING)
      expect(seeded.every((o) => o.ok)).toBe(true)
      before = (await all()).length
    })
    afterEach(() => close())

    it('dry run: plans skip / merge / create / invalid per row and writes nothing', async () => {
      const report = await crm.contacts.import(ROWS, { onDuplicate: 'merge', dryRun: true })
      expect(report.dryRun).toBe(true)
      expect(report.rows.map((r) => r.action)).toEqual(['skip', 'merge', 'create', 'merge', 'invalid', 'invalid', 'invalid', 'create'])
      expect(report.rows.every((r) => r.status === 'planned' || r.action === 'invalid')).toBe(true)
      const [anna, boris] = await Promise.all([byPhone('+79991112233'), byPhone('+79123456789')])
      expect(report.rows[0]!.id).toBe(anna[0]!.id)
      expect(report.rows[0]!.matchedBy).toBe('phone:+79991112233')
      expect(report.rows[1]).toMatchObject({ id: boris[0]!.id, changes: ['emails'] })
      expect(report.rows[3]).toMatchObject({ duplicateOfRow: 2, changes: ['phones'] })
      expect(report.summary).toEqual({ total: 8, created: 2, merged: 2, skipped: 1, invalid: 3, failed: 0, resumed: 0 })
      expect((await all()).length).toBe(before)
      expect((await byPhone('+79123456789'))[0]!.emails).toEqual([])
    })

    it('bad phones, bad e-mails and missing names are reported per row, naming the field, and never stop the rest', async () => {
      const report = await crm.contacts.import(ROWS, { onDuplicate: 'merge' })
      const issue = (i: number) => {
        const e = report.rows[i]!.error
        expect(e).toBeInstanceOf(ValidationError)
        return (e as ValidationError).issues[0]!
      }
      expect(issue(4)).toMatchObject({ path: ['phones', 0], code: 'invalid_phone', index: 4 })
      expect(issue(5)).toMatchObject({ path: ['emails', 0], code: 'invalid_email', index: 5 })
      expect(issue(6)).toMatchObject({ path: ['name'], index: 6 })
      expect(report.rows[4]!.error!.message).toMatch(/12345/)
      expect(report.summary).toMatchObject({ created: 2, merged: 2, skipped: 1, invalid: 3, failed: 0 })
      expect((await all()).length).toBe(before + 2)
      expect(await byPhone('+79150001122')).toHaveLength(0)
    })

    it('merge fills empty fields, adds new phones and e-mails, and keeps what the CRM has', async () => {
      const report = await crm.contacts.import(ROWS, { onDuplicate: 'merge' })
      const [boris] = await byPhone('+79123456789')
      expect(boris!.name).toBe('Борис Петров') // not overwritten by "Борис"
      expect(boris!.emails).toEqual(['boris@example.com'])
      expect(boris!.phones).toHaveLength(1)
      expect(report.rows[1]!.notes.join(' ')).toMatch(/name kept/)
      const viktor = await byPhone('+79035554433')
      expect(viktor).toHaveLength(1)
      expect(viktor[0]!.phones.map(digits).sort()).toEqual(['79035554433', '79037778899'])
      expect(viktor[0]!.emails).toEqual(['viktor@example.com'])
      expect(report.rows[3]!.id).toBe(viktor[0]!.id)
      const galina = await byPhone('+79162223344')
      expect(galina[0]!.phones.map(digits).sort()).toEqual(['79162223344', '79162223345'])
      // Stored in E.164, whatever the spreadsheet had.
      expect(galina[0]!.phones).toContain('+79162223344')
    })

    it('overwrite replaces only the fields it names', async () => {
      await crm.contacts.import([{ name: 'Борис Петрович Петров', phones: '+79123456789', emails: 'b@example.com' }], { onDuplicate: 'merge', overwrite: ['name'] })
      const [boris] = await byPhone('+79123456789')
      expect(boris!.name).toBe('Борис Петрович Петров')
      expect(boris!.emails).toEqual(['b@example.com'])
    })

    it('skip leaves duplicates alone; running the same import twice creates nothing more', async () => {
      const first = await crm.contacts.import(ROWS)
      expect(first.rows.map((r) => r.action)).toEqual(['skip', 'skip', 'create', 'skip', 'invalid', 'invalid', 'invalid', 'create'])
      expect(first.rows[3]).toMatchObject({ duplicateOfRow: 2, id: first.rows[2]!.id, status: 'done' })
      expect((await byPhone('+79123456789'))[0]!.emails).toEqual([])
      const after = (await all()).length
      expect(after).toBe(before + 2)
      const second = await crm.contacts.import(ROWS)
      expect(second.summary).toMatchObject({ created: 0, skipped: 5, invalid: 3 })
      expect((await all()).length).toBe(after)
    })

    it('create makes a record even for duplicates, when asked to', async () => {
      const report = await crm.contacts.import([ROWS[0]!, ROWS[0]!], { onDuplicate: 'create' })
      expect(report.summary.created).toBe(2)
      expect(report.rows[0]!.matchedIds).toHaveLength(1)
      expect(await byPhone('+79991112233')).toHaveLength(3)
    })

    it('matches by e-mail only when told to, and by name', async () => {
      const byEmail = await crm.contacts.import([{ name: 'Anna', phones: '+7 999 000-00-01', emails: 'ANNA@example.com' }], { match: ['email'], dryRun: true })
      expect(byEmail.rows[0]).toMatchObject({ action: 'skip', matchedBy: 'email:anna@example.com' })
      const byPhoneOnly = await crm.contacts.import([{ name: 'Anna', phones: '+7 999 000-00-01', emails: 'ANNA@example.com' }], { match: ['phone'], dryRun: true })
      expect(byPhoneOnly.rows[0]!.action).toBe('create')
      const byName = await crm.contacts.import([{ name: '  борис   ПЕТРОВ ' }], { match: ['name'], dryRun: true })
      expect(byName.rows[0]).toMatchObject({ action: 'skip', matchedBy: 'name:борис петров' })
    })

    it('matches by a custom key field', async () => {
      const f = contactKeyField
      const created = await crm.contacts.create({ name: 'Дмитрий Ключ', customFields: { [f]: 'KEY-42' } })
      const report = await crm.contacts.import(
        [
          { name: 'Дмитрий К.', phones: '+7 917 123-45-67', customFields: { [f]: ' key-42 ' } },
          { name: 'Евгений', customFields: { [f]: 'KEY-43' } },
        ],
        { match: [{ customField: f }], onDuplicate: 'merge' },
      )
      expect(report.rows[0]).toMatchObject({ action: 'merge', id: created.id, matchedBy: `cf:${f}:key-42`, changes: ['phones'] })
      expect(report.rows[1]!.action).toBe('create')
      expect((await crm.contacts.get(created.id)).phones).toEqual(['+79171234567'])
    })

    it('merge keeps a custom field the CRM has filled, fills an empty one, and overwrites only when overwrite names it', async () => {
      const f = contactKeyField
      const seeded = await crm.contacts.createMany([
        { name: 'Жанна Полная', phones: ['+7 917 000-00-01'], customFields: { [f]: 'OLD-1' } },
        { name: 'Зоя Пустая', phones: ['+7 917 000-00-02'] },
      ])
      const [zhanna, zoya] = seeded.map((o) => (o.ok ? o.record.id : expect.unreachable(String(!o.ok && o.error))))
      const rows: ContactImportRecord[] = [
        { name: 'Жанна Полная', phones: '+79170000001', customFields: { [f]: 'NEW-1' } },
        { name: 'Зоя Пустая', phones: '+79170000002', customFields: { [f]: 'NEW-2' } },
      ]
      // Naming another field does not let merge touch this one.
      const kept = await crm.contacts.import(rows, { onDuplicate: 'merge', overwrite: ['name', 'customFields.SOMETHING_ELSE'] })
      expect(kept.rows[0]).toMatchObject({ action: 'skip', id: zhanna, changes: [] })
      expect(kept.rows[0]!.notes).toContain(`customFields.${f} kept`)
      expect(kept.rows[1]).toMatchObject({ action: 'merge', id: zoya, changes: [`customFields.${f}`], status: 'done' })
      expect(customValue(await crm.contacts.get(zhanna!), f)).toBe('OLD-1')
      expect(customValue(await crm.contacts.get(zoya!), f)).toBe('NEW-2')

      const told = await crm.contacts.import(rows, { onDuplicate: 'merge', overwrite: [`customFields.${f}`] })
      expect(told.rows[0]).toMatchObject({ action: 'merge', id: zhanna, changes: [`customFields.${f}`], status: 'done' })
      expect(told.rows[1]!.action).toBe('skip') // already has that value
      expect(customValue(await crm.contacts.get(zhanna!), f)).toBe('NEW-1')
      expect((await crm.contacts.get(zhanna!)).name).toBe('Жанна Полная')
      expect((await all()).length).toBe(before + 2)
    })

    // Each CRM runs the one of these two its adapter declares; the emulator then shows it holds.
    if (h.contactTraits.multiValues === 'replace') {
      it("overwrite: ['phones'] / ['emails'] replaces the CRM's list", async () => {
        const [anna] = await byPhone('+79991112233')
        // Without overwrite, a new number is added next to the old one.
        await crm.contacts.import([{ name: 'Анна Смирнова', emails: 'anna@example.com', phones: '+7 999 000-00-02' }], { match: ['email'], onDuplicate: 'merge' })
        expect((await crm.contacts.get(anna!.id)).phones.map(digits).sort()).toEqual(['79990000002', '79991112233'])

        const report = await crm.contacts.import([{ name: 'Анна Смирнова', emails: 'anna@example.com', phones: '+7 999 000-00-03' }], { match: ['email'], onDuplicate: 'merge', overwrite: ['phones'] })
        expect(report.rows[0]).toMatchObject({ action: 'merge', id: anna!.id, changes: ['phones'], status: 'done' })
        expect((await crm.contacts.get(anna!.id)).phones).toEqual(['+79990000003'])

        await crm.contacts.import([{ name: 'Анна Смирнова', phones: '+7 999 000-00-03', emails: 'anna.new@example.com' }], { match: ['phone'], onDuplicate: 'merge', overwrite: ['emails'] })
        const after = await crm.contacts.get(anna!.id)
        expect(after.emails).toEqual(['anna.new@example.com'])
        expect(after.phones).toEqual(['+79990000003'])
        expect((await all()).length).toBe(before)
      })
    } else {
      it("refuses overwrite: ['phones'] / ['emails'] with UnsupportedError (the CRM only adds to its lists), before writing anything", async () => {
        for (const field of ['phones', 'emails']) {
          await expect(crm.contacts.import(ROWS, { onDuplicate: 'merge', overwrite: [field] })).rejects.toThrow(UnsupportedError)
          await expect(crm.contacts.import(ROWS, { onDuplicate: 'merge', overwrite: [field], dryRun: true })).rejects.toThrow(/cannot replace/)
        }
        expect((await all()).length).toBe(before)
        expect((await byPhone('+79123456789'))[0]!.emails).toEqual([])
        // What it can do: add to the lists and overwrite scalar fields.
        const report = await crm.contacts.import([{ name: 'Борис Петрович', phones: '+79123456789', emails: 'b@example.com' }], { onDuplicate: 'merge', overwrite: ['name'] })
        expect(report.rows[0]).toMatchObject({ action: 'merge', changes: ['name', 'emails'], status: 'done' })
        const [boris] = await byPhone('+79123456789')
        expect(boris).toMatchObject({ name: 'Борис Петрович', emails: ['b@example.com'] })
        expect(boris!.phones).toHaveLength(1)
      })
    }

    it("index: 'search' works where the CRM's search sees the key and is refused with UnsupportedError elsewhere", async () => {
      const row = [{ name: 'Анна Смирнова', phones: '+7 999 111-22-33', emails: 'anna@example.com' }]
      for (const key of ['phone', 'email', 'name'] as const) {
        const run = crm.contacts.import(row, { match: [key], index: 'search', dryRun: true })
        if (h.contactTraits.searchFinds.includes(key)) {
          const report = await run
          expect(report.index).toBe('search')
          expect(report.rows[0]).toMatchObject({ action: 'skip', matchedBy: expect.stringMatching(new RegExp(`^${key}:`)) })
        } else await expect(run).rejects.toThrow(UnsupportedError)
      }
      expect((await all()).length).toBe(before)
    })

    it('refuses bad options before touching the CRM', async () => {
      await expect(crm.contacts.import(ROWS, { match: [] })).rejects.toThrow(ValidationError)
      await expect(crm.contacts.import(ROWS, { onDuplicate: 'replace' as never })).rejects.toMatchObject({ issues: [{ path: ['onDuplicate'] }] })
      await expect(crm.companies.import([{ name: 'X' }], { match: ['phone'] })).rejects.toMatchObject({ issues: [{ path: ['match', 0] }] })
      await expect(crm.contacts.import(ROWS, { defaultRegion: 'XX' as never })).rejects.toMatchObject({ issues: [{ path: ['defaultRegion'] }] })
      await expect(crm.contacts.import('not rows' as never)).rejects.toMatchObject({ issues: [{ path: ['records'] }] })
    })

    it('resumes after the outcome of a write was lost: reconciles with the CRM, never creates twice', async () => {
      const { inner, journal: crashing } = crashingJournal()
      await expect(crm.contacts.import(ROWS, { onDuplicate: 'merge', journal: crashing })).rejects.toThrow('killed')
      expect(inner.entries.filter((e) => e.t === 'intent')).toHaveLength(2)
      expect(inner.entries.filter((e) => e.t === 'done')).toHaveLength(0)
      expect((await all()).length).toBe(before + 2) // the creates did land

      const resumed = await crm.contacts.import(ROWS, { onDuplicate: 'merge', journal: inner })
      expect(resumed.rows[2]).toMatchObject({ action: 'create', status: 'resumed' })
      expect(resumed.rows[7]).toMatchObject({ action: 'create', status: 'resumed' })
      expect(resumed.summary).toMatchObject({ created: 0, resumed: 2, invalid: 3 })
      expect((await all()).length).toBe(before + 2)
      // The merge into Борис never ran the first time; it runs now.
      expect((await byPhone('+79123456789'))[0]!.emails).toEqual(['boris@example.com'])

      const third = await crm.contacts.import(ROWS, { onDuplicate: 'merge', journal: inner })
      expect(third.summary).toMatchObject({ created: 0, merged: 0, failed: 0 })
      expect((await all()).length).toBe(before + 2)
    })
  })

  describe(`${h.name}: companies.import`, () => {
    let crm: Crm
    let f: string
    let close: () => Promise<void>
    let romashka: string
    let vector: string
    let before: number
    const all = () => crm.companies.list().toArray(100_000)

    beforeEach(async () => {
      let companyKeyField: string
      ;({ crm, companyKeyField, close } = await h.start())
      f = companyKeyField
      const seeded = await crm.companies.createMany([{ name: 'ООО «Ромашка»' }, { name: 'АО «Вектор Плюс»', customFields: { [f]: '7701000001' } }])
      ;[romashka, vector] = seeded.map((o) => (o.ok ? o.record.id : expect.unreachable(String(!o.ok && o.error)))) as [string, string]
      before = (await all()).length
    })
    afterEach(() => close())

    it('matched by normalised name, duplicates within the file folded', async () => {
      const report = await crm.companies.import([{ name: 'ооо  «ромашка» ' }, { name: 'ИП Ёлкин' }, { name: 'ИП Елкин' }, { name: '' }])
      expect(report.rows.map((r) => r.action)).toEqual(['skip', 'create', 'skip', 'invalid'])
      expect(report.rows[0]).toMatchObject({ id: romashka, matchedBy: 'name:ооо «ромашка»' })
      expect(report.rows[2]).toMatchObject({ duplicateOfRow: 1, id: report.rows[1]!.id })
      expect((report.rows[3]!.error as ValidationError).issues[0]).toMatchObject({ path: ['name'], index: 3 })
      expect((await all()).length).toBe(before + 1)
    })

    it('a second run finds what the first created, whatever its "ё" and spacing, in a scan and in a search alike', async () => {
      const rows = [{ name: 'ИП  Ёлкин' }, { name: 'Артём и партнёры' }]
      const first = await crm.companies.import(rows)
      expect(first.summary.created).toBe(2)
      for (const index of ['auto', 'scan'] as const) {
        const again = await crm.companies.import([{ name: 'ип ёлкин' }, { name: 'АРТЕМ И ПАРТНЕРЫ' }], { index })
        expect(again.rows.map((r) => [r.action, r.id])).toEqual(first.rows.map((r) => ['skip', r.id]))
      }
      expect((await all()).length).toBe(before + 2)
    })

    const ROWS_C = (): CompanyImportRecord[] => [
      /* 0 */ { name: 'ооо  «ромашка» ', customFields: { [f]: '7707083893' } }, // fills the empty key field, keeps the name
      /* 1 */ { name: 'ИП Ёлкин' }, // new
      /* 2 */ { name: 'ИП Елкин', customFields: { [f]: '500100732259' } }, // row 1 again, with its key field
      /* 3 */ { name: '' },
      /* 4 */ { name: 'АО «Вектор Плюс»', customFields: { [f]: '7701999999' } }, // the CRM's value is kept
    ]

    it('dry run: plans every row and writes nothing', async () => {
      const report = await crm.companies.import(ROWS_C(), { onDuplicate: 'merge', dryRun: true })
      expect(report.dryRun).toBe(true)
      expect(report.rows.map((r) => r.action)).toEqual(['merge', 'create', 'merge', 'invalid', 'skip'])
      expect(report.rows.every((r) => r.status === 'planned' || r.action === 'invalid')).toBe(true)
      expect(report.rows[0]).toMatchObject({ id: romashka, changes: [`customFields.${f}`] })
      expect(report.rows[0]!.notes.join(' ')).toMatch(/name kept/)
      expect(report.rows[1]!.id).toBeNull()
      expect(report.rows[2]).toMatchObject({ duplicateOfRow: 1, changes: [`customFields.${f}`] })
      expect(report.rows[4]).toMatchObject({ id: vector, changes: [] })
      expect(report.rows[4]!.notes).toContain(`customFields.${f} kept`)
      expect(report.summary).toEqual({ total: 5, created: 1, merged: 2, skipped: 1, invalid: 1, failed: 0, resumed: 0 })
      expect((await all()).length).toBe(before)
      expect(customValue(await crm.companies.get(romashka), f)).toBeNull()
    })

    it('merge fills empty fields, never overwrites without being told, and overwrites what overwrite names', async () => {
      const report = await crm.companies.import(ROWS_C(), { onDuplicate: 'merge' })
      expect(report.summary).toMatchObject({ created: 1, merged: 2, skipped: 1, invalid: 1, failed: 0 })
      expect((await all()).length).toBe(before + 1)
      const r = await crm.companies.get(romashka)
      expect(r.name).toBe('ООО «Ромашка»')
      expect(customValue(r, f)).toBe('7707083893')
      expect(customValue(await crm.companies.get(vector), f)).toBe('7701000001')
      // Row 2 was folded into row 1's create: one company, with the key field.
      const elkin = await crm.companies.get(report.rows[1]!.id!)
      expect(elkin.name).toBe('ИП Ёлкин')
      expect(customValue(elkin, f)).toBe('500100732259')
      expect(report.rows[2]).toMatchObject({ id: elkin.id, status: 'done' })

      const told = await crm.companies.import([{ name: 'ооо «ромашка»' }, ROWS_C()[4]!], { onDuplicate: 'merge', overwrite: ['name', `customFields.${f}`] })
      expect(told.rows.map((x) => [x.action, x.changes])).toEqual([['merge', ['name']], ['merge', [`customFields.${f}`]]])
      expect((await crm.companies.get(romashka)).name).toBe('ооо «ромашка»')
      expect(customValue(await crm.companies.get(vector), f)).toBe('7701999999')
      expect((await all()).length).toBe(before + 1)
    })

    it('create makes a record even when the company is already there', async () => {
      const report = await crm.companies.import([{ name: 'ООО «Ромашка»' }], { onDuplicate: 'create' })
      expect(report.rows[0]).toMatchObject({ action: 'create', status: 'done', matchedIds: [romashka] })
      expect(report.rows[0]!.notes.join(' ')).toMatch(/onDuplicate: create/)
      expect(report.rows[0]!.id).not.toBe(romashka)
      expect((await all()).filter((c) => c.name === 'ООО «Ромашка»')).toHaveLength(2)
    })

    it('matches by a custom key field before the name', async () => {
      const report = await crm.companies.import(
        [
          { name: 'Вектор (переименован)', customFields: { [f]: ' 7701000001 ' } }, // the key wins over a new name
          { name: 'ООО «Ромашка»', customFields: { [f]: '7707083893' } }, // no key in the CRM yet: found by name
          { name: 'ООО «Новая»', customFields: { [f]: '7712345678' } },
        ],
        { match: [{ customField: f }, 'name'], onDuplicate: 'merge' },
      )
      expect(report.rows[0]).toMatchObject({ action: 'skip', id: vector, matchedBy: `cf:${f}:7701000001` })
      expect(report.rows[0]!.notes.join(' ')).toMatch(/name kept/)
      expect(report.rows[1]).toMatchObject({ action: 'merge', id: romashka, matchedBy: 'name:ооо «ромашка»', changes: [`customFields.${f}`] })
      expect(report.rows[2]!.action).toBe('create')
      expect((await crm.companies.get(vector)).name).toBe('АО «Вектор Плюс»')
      expect(customValue(await crm.companies.get(romashka), f)).toBe('7707083893')
      expect((await all()).length).toBe(before + 1)

      // Matched on the key alone, a known name with an unknown key is a new company.
      const byKey = await crm.companies.import([{ name: 'АО «Вектор Плюс»', customFields: { [f]: '7700000000' } }, { name: 'Другое имя', customFields: { [f]: '7707083893' } }], {
        match: [{ customField: f }],
        dryRun: true,
      })
      expect(byKey.rows.map((r) => [r.action, r.id])).toEqual([['create', null], ['skip', romashka]])
    })

    it('resumes after the outcome of a write was lost: reconciles with the CRM, never creates twice', async () => {
      const { inner, journal } = crashingJournal()
      const rows = ROWS_C()
      await expect(crm.companies.import(rows, { onDuplicate: 'merge', journal })).rejects.toThrow('killed')
      expect(inner.entries.filter((e) => e.t === 'intent')).toHaveLength(1) // Ёлкин (row 2 folded into it)
      expect(inner.entries.filter((e) => e.t === 'done')).toHaveLength(0)
      expect((await all()).length).toBe(before + 1) // the create did land
      expect(customValue(await crm.companies.get(romashka), f)).toBeNull() // the merges did not run

      const resumed = await crm.companies.import(rows, { onDuplicate: 'merge', journal: inner })
      expect(resumed.rows[1]).toMatchObject({ action: 'create', status: 'resumed' })
      // Row 2 was folded into that create: it finds its data already there.
      expect(resumed.rows[2]).toMatchObject({ action: 'skip', id: resumed.rows[1]!.id })
      expect(resumed.rows[0]).toMatchObject({ action: 'merge', status: 'done', id: romashka })
      expect(resumed.summary).toMatchObject({ created: 0, resumed: 1, merged: 1, skipped: 2, invalid: 1, failed: 0 })
      expect((await all()).length).toBe(before + 1)
      expect(customValue(await crm.companies.get(resumed.rows[1]!.id!), f)).toBe('500100732259')
      expect(customValue(await crm.companies.get(romashka), f)).toBe('7707083893')

      const third = await crm.companies.import(rows, { onDuplicate: 'merge', journal: inner })
      expect(third.summary).toMatchObject({ created: 0, merged: 0, failed: 0 })
      expect((await all()).length).toBe(before + 1)
    })
  })
}
