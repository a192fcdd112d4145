import { describe, expect, it } from 'vitest'
// Only zod/mini modules here: classic zod (which the emulators import) installs English messages
// by itself and would hide a missing locale in the browser path.
import { CampaignCreate, DealCreate, ListQuery, Money } from '../../sdk/model/index.js'
import { ValidationError } from '../../sdk/errors.js'
import { validateInput } from '../../sdk/validate.js'

describe('zod/mini schemas of the model', () => {
  it('give the same English messages, codes and paths as classic zod', () => {
    expect(Money.safeParse({ minor: '1', currency: 'RUB' }).error?.issues[0]).toMatchObject({
      code: 'invalid_type',
      path: ['minor'],
      message: 'Invalid input: expected number, received string',
    })
    expect(Money.safeParse({ minor: 1.5, currency: 'RUB' }).error?.issues[0]?.message).toBe('Invalid input: expected int, received number')
    expect(ListQuery.safeParse({ pageSize: 0 }).error?.issues[0]?.message).toBe('Too small: expected number to be >0')
    expect(ListQuery.safeParse({ nope: 1 }).error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', message: 'Unrecognized key: "nope"' })
  })

  it('keep their own messages and refinement paths', () => {
    const err = (() => {
      try {
        validateInput(DealCreate, { title: '   ' }, 'amocrm', 3)
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as ValidationError).issues).toEqual([{ path: ['title'], message: 'must not be empty', code: 'too_small', index: 3 }])
    const r = CampaignCreate.safeParse({ name: 'x', startsAt: new Date('2026-03-02'), endsAt: new Date('2026-03-01') })
    expect(r.error?.issues[0]).toMatchObject({ path: ['endsAt'], message: 'must not be before startsAt' })
  })
})
