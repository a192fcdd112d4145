// The import behaviour every CRM must show against its emulator: the same rows, the same plan.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ValidationError, type Contact, type Crm } from '../../sdk/index.js'
import { MemoryImportJournal, type ContactImportRecord, type ImportJournal, type JournalEntry } from '../../sdk/import/index.js'
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

export function importSuite(h: ImportHarness) {
  describe(`${h.name}: contacts.import`, () => {
    let crm: Crm
    let contactKeyField: string | null
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

    it('matches by a custom key field', async (ctx) => {
      if (!contactKeyField) return ctx.skip()
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

    it('refuses bad options before touching the CRM', async () => {
      await expect(crm.contacts.import(ROWS, { match: [] })).rejects.toThrow(ValidationError)
      await expect(crm.contacts.import(ROWS, { onDuplicate: 'replace' as never })).rejects.toMatchObject({ issues: [{ path: ['onDuplicate'] }] })
      await expect(crm.companies.import([{ name: 'X' }], { match: ['phone'] })).rejects.toMatchObject({ issues: [{ path: ['match', 0] }] })
      await expect(crm.contacts.import(ROWS, { defaultRegion: 'XX' as never })).rejects.toMatchObject({ issues: [{ path: ['defaultRegion'] }] })
      await expect(crm.contacts.import('not rows' as never)).rejects.toMatchObject({ issues: [{ path: ['records'] }] })
    })

    it('companies: matched by normalised name, duplicates within the file folded', async () => {
      const [existing] = await crm.companies.createMany([{ name: 'ООО «Ромашка»' }])
      expect(existing!.ok).toBe(true)
      const count = (await crm.companies.list().toArray(100_000)).length
      const report = await crm.companies.import([{ name: 'ооо  «ромашка» ' }, { name: 'ИП Ёлкин' }, { name: 'ИП Елкин' }, { name: '' }])
      expect(report.rows.map((r) => r.action)).toEqual(['skip', 'create', 'skip', 'invalid'])
      expect(report.rows[2]).toMatchObject({ duplicateOfRow: 1, id: report.rows[1]!.id })
      expect((await crm.companies.list().toArray(100_000)).length).toBe(count + 1)
    })

    it('resumes after the outcome of a write was lost: reconciles with the CRM, never creates twice', async () => {
      // A journal that "crashes" after the intent and the write, before the outcome is stored.
      const inner = new MemoryImportJournal()
      let appends = 0
      const crashing: ImportJournal = {
        read: () => inner.read(),
        async append(entries: JournalEntry[]) {
          if (++appends === 2) throw new Error('killed')
          await inner.append(entries)
        },
      }
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
}
