import { mkdtemp, readFile, writeFile, appendFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { normaliseEmail, normaliseName, normalisePhone } from '../../sdk/import/index.js'
import { chooseIndex } from '../../sdk/import/lookup.js'
import { prepareRow } from '../../sdk/import/prepare.js'
import { FileImportJournal } from '../../sdk/node/index.js'
import { UnsupportedError, ValidationError } from '../../sdk/index.js'
import * as AMO from '../../adapters/amocrm/import-traits.js'
import * as B24 from '../../adapters/bitrix24/import-traits.js'
import * as CR from '../../adapters/creatio/import-traits.js'

describe('import normalisation', () => {
  it('phones become E.164; the default region applies only without a country code', () => {
    expect(normalisePhone('8 (999) 123-45-67', 'RU')).toEqual({ ok: true, value: '+79991234567' })
    expect(normalisePhone('+7 999 1234567', 'RU')).toEqual({ ok: true, value: '+79991234567' })
    expect(normalisePhone('+380 44 123 4567', 'RU')).toEqual({ ok: true, value: '+380441234567' })
    expect(normalisePhone('044 123 4567', 'UA')).toEqual({ ok: true, value: '+380441234567' })
    expect(normalisePhone('12345', 'RU').ok).toBe(false)
    expect(normalisePhone('call me', 'RU').ok).toBe(false)
  })

  it('e-mails are trimmed, lower-cased and checked', () => {
    expect(normaliseEmail('  Anna@Example.COM ')).toEqual({ ok: true, value: 'anna@example.com' })
    for (const bad of ['anna', 'anna@', '@example.com', 'a b@example.com', 'anna@example', 'anna@@example.com', 'a..b@example.com']) {
      expect(normaliseEmail(bad).ok, bad).toBe(false)
    }
  })

  it('names compare without case, extra spaces or ё', () => {
    expect(normaliseName('  Семён   ПЕТРОВ ')).toBe('семен петров')
  })

  it('a row reports every bad field at once, with its index', () => {
    const r = prepareRow('contacts', { name: ' ', phones: ['+7 999 123-45-67', 'abc'], emails: 'x@' }, 7, { crm: 'amocrm', match: ['phone'], region: 'RU' })
    expect(r).toBeInstanceOf(ValidationError)
    expect((r as ValidationError).issues.map((i) => [i.path.join('.'), i.index])).toEqual([
      ['name', 7],
      ['phones.1', 7],
      ['emails.0', 7],
    ])
    const ok = prepareRow('contacts', { firstName: 'Анна', lastName: 'Смирнова', phones: '8 999 123 45 67; +7 999 123-45-67', emails: ['A@B.ru'] }, 0, { crm: 'amocrm', match: ['phone', 'email'], region: 'RU' })
    expect(ok).toMatchObject({ input: { name: 'Анна Смирнова', phones: ['+79991234567'], emails: ['a@b.ru'] }, keys: ['phone:+79991234567', 'email:a@b.ru'] })
    // Fields the model does not know are named too, instead of being dropped silently.
    const extra = prepareRow('companies', { name: 'ООО', inn: '7707083893' }, 2, { crm: 'amocrm', match: ['name'], region: 'RU' })
    expect(extra).toBeInstanceOf(ValidationError)
  })

  it('search is used only where the CRM can search by the key, and for few keys', () => {
    expect(chooseIndex('amocrm', 'contacts', AMO.CONTACT_IMPORT_TRAITS, ['phone', 'email'], 10, 'auto')).toBe('search')
    expect(chooseIndex('amocrm', 'contacts', AMO.CONTACT_IMPORT_TRAITS, ['phone', 'email'], 500, 'auto')).toBe('scan')
    expect(chooseIndex('bitrix24', 'contacts', B24.CONTACT_IMPORT_TRAITS, ['phone'], 1, 'auto')).toBe('scan')
    expect(chooseIndex('creatio', 'companies', CR.COMPANY_IMPORT_TRAITS, ['name'], 3, 'auto')).toBe('search')
    expect(() => chooseIndex('bitrix24', 'contacts', B24.CONTACT_IMPORT_TRAITS, ['email'], 1, 'search')).toThrow(UnsupportedError)
  })
})

describe('FileImportJournal', () => {
  it('appends JSON lines, reads them back, and skips a line torn by a crash', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'crmkit-journal-')), 'sub', 'j.jsonl')
    const j = new FileImportJournal(path)
    expect(await j.read()).toEqual([])
    await j.append([{ t: 'intent', row: '0:a', op: 'create', keys: ['phone:+79991234567'], known: [] }])
    await j.append([{ t: 'done', row: '0:a', id: '42' }])
    // A crash in the middle of the next write leaves half a line.
    await appendFile(path, '{"t":"intent","row":"1:b","op":"cr')
    expect(await new FileImportJournal(path).read()).toHaveLength(2)
    // The next run starts on a fresh line, so its entries are not glued to the torn one.
    await j.append([{ t: 'failed', row: '1:b', code: 'validation_failed' }])
    const entries = await new FileImportJournal(path).read()
    expect(entries.map((e) => e.t)).toEqual(['intent', 'done', 'failed'])
    expect((await readFile(path, 'utf8')).split('\n').filter(Boolean)).toHaveLength(4)
  })

  it('refuses a file that is not an import journal', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'crmkit-journal-')), 'other.jsonl')
    await writeFile(path, '{"hello":"world"}\n')
    await expect(new FileImportJournal(path).read()).rejects.toThrow(/not an import journal entry/)
  })
})
