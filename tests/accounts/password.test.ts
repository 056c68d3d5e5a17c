// The password rule, stated once and quoted in every refusal; the scrypt hash's format, its
// verification, and the salt that makes two hashes of one password differ.
import { describe, expect, test } from 'vitest'
import { hashPassword, isPasswordHash, passwordProblem, passwordRule, verifyPassword } from '../../src/accounts/password.ts'
import { AccountError, checkRole, normaliseEmail } from '../../src/accounts/store.ts'

describe('the password rule', () => {
  test.each([
    ['', 'the password is empty'],
    ['short', 'the password is too short (5 characters)'],
    ['abc12345', 'the password is too short (8 characters)'],
    ['aaaaaaaaaaaa', 'the password is one character repeated'],
    ['1234567890', 'a straight run of the keyboard, the alphabet or the digits'],
    ['0987654321', 'a straight run of the keyboard, the alphabet or the digits'],
    ['abcdefghij', 'a straight run of the keyboard, the alphabet or the digits'],
    ['QWERTYUIOP', 'a straight run of the keyboard, the alphabet or the digits'],
    ['zhangwei-2026!', 'the password contains the name part of the email ("zhangwei")'],
    ['password1', 'the password is too short (9 characters)'],
    ['Password123', 'the password is a common one'],
    ['12345678910', 'the password is a common one'],
    ['iloveyou123', 'the password is a common one'],
    ['atlas-leader', 'the password is a common one'],
  ])('%j is refused: %s', (password, reason) => {
    const problem = passwordProblem(password, 'zhangwei@city.gov.cn')
    expect(problem).toContain(reason)
    // every refusal states the whole rule, in the same words the README quotes
    expect(problem).toContain(passwordRule)
  })

  test.each(['Correct-horse-9', 'longquan 2026 spring', '大洋社区网格员的密码2026', 'qwerty-lantern', 'wei-is-ok-here'])('%j is accepted', (password) => {
    expect(passwordProblem(password, 'zhangwei@city.gov.cn')).toBeUndefined()
  })

  test('a name part shorter than 3 characters is not held against the password', () => {
    expect(passwordProblem('li-2026-spring', 'li@city.gov.cn')).toBeUndefined()
    expect(passwordProblem('liu-2026-spring', 'liu@city.gov.cn')).toContain('name part of the email')
  })

  test('the rule names its parts', () => {
    expect(passwordRule).toMatch(/at least 10 characters/)
    expect(passwordRule).toMatch(/1234567890, abcdefghij, qwertyuiop/)
    expect(passwordRule).toMatch(/name part of the email/)
    expect(passwordRule).toMatch(/common password/)
  })
})

describe('emails and roles', () => {
  test('an email is trimmed and lower-cased', () => {
    expect(normaliseEmail('  Zhang.Wei@City.GOV.cn ')).toBe('zhang.wei@city.gov.cn')
  })

  test.each([
    ['', 'the email is empty'],
    ['zhangwei', 'needs exactly one @'],
    ['a@b@c', 'needs exactly one @'],
    ['zhang wei@city.cn', 'contains a space'],
    ['@city.cn', 'a name before the @'],
    [`${'x'.repeat(250)}@c.cn`, 'longer than 254 characters'],
  ])('%j is refused: %s', (email, reason) => {
    expect(() => normaliseEmail(email)).toThrow(AccountError)
    expect(() => normaliseEmail(email)).toThrow(reason)
  })

  test('a role is one of leader, planner, works', () => {
    expect(checkRole('works')).toBe('works')
    expect(() => checkRole('mayor')).toThrow('unknown role "mayor": one of leader, planner, works')
  })
})

describe('the hash', () => {
  test('is scrypt with its cost and salt, and verifies the password and nothing else', async () => {
    const hash = await hashPassword('Correct-horse-9')
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/)
    expect(isPasswordHash(hash)).toBe(true)
    expect(hash).not.toContain('Correct-horse-9')
    expect(await verifyPassword('Correct-horse-9', hash)).toBe(true)
    expect(await verifyPassword('correct-horse-9', hash)).toBe(false)
    expect(await verifyPassword('', hash)).toBe(false)
  })

  test('two hashes of one password differ (a new salt each time), and both verify', async () => {
    const [a, b] = [await hashPassword('Correct-horse-9'), await hashPassword('Correct-horse-9')]
    expect(a).not.toBe(b)
    expect(await verifyPassword('Correct-horse-9', a)).toBe(true)
    expect(await verifyPassword('Correct-horse-9', b)).toBe(true)
  })

  test('what is not a hash, or asks an absurd cost, never verifies', async () => {
    for (const stored of ['', 'Correct-horse-9', 'scrypt$', 'scrypt$1048576000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=']) {
      expect(await verifyPassword('Correct-horse-9', stored)).toBe(false)
    }
  })
})
