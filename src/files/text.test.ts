// One rule for the encoding of every text a file does not declare: ASCII, UTF-8, GBK, or neither.
import { expect, it } from 'vitest'
import { detectText } from './text.ts'

// 龙泉市 in GBK (its bytes worked out from the GB 2312 table: 龙 C1FA, 泉 C8AA, 市 CAD0)
const gbk = new Uint8Array([0xc1, 0xfa, 0xc8, 0xaa, 0xca, 0xd0])

it('reads ASCII, UTF-8 with or without its mark, and GBK, and says which', () => {
  expect(detectText(new TextEncoder().encode('code,name'))).toEqual({ text: 'code,name', encoding: { name: 'utf-8', how: 'ascii' } })
  expect(detectText(new TextEncoder().encode('龙泉市'))).toEqual({ text: '龙泉市', encoding: { name: 'utf-8', how: 'detected' } })
  expect(detectText(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('龙泉市')]))).toEqual({ text: '龙泉市', encoding: { name: 'utf-8', how: 'detected' } })
  expect(detectText(gbk)).toEqual({ text: '龙泉市', encoding: { name: 'gbk', how: 'detected' } })
})

it('reads nothing from bytes that are text in neither', () => {
  // 0xFF starts no character in UTF-8 or in GB18030
  expect(detectText(new Uint8Array([0x41, 0xff, 0x42]))).toBeUndefined()
})
