import { describe, expect, it } from 'vitest';
import {
  createStatusList,
  decodeStatusList,
  encodeStatusList,
  readStatus,
  writeStatus,
} from '@baton/chain';

// Test data copied from draft-ietf-oauth-status-list (values only): the example of section
// "Status List" (16 one-bit statuses), of "Further Examples: Status List with 2-Bit Status Values"
// (12 two-bit statuses), and of the appendix "Test vectors for Status List
// encoding" (2^20 entries, 1 and 2 bits; every status not listed is 0), `lst` split as the
// draft prints it.
const STATUS_LIST_SECTION = {
  json: { bits: 1, lst: 'eNrbuRgAAhcBXQ' },
  bytes: [0xb9, 0xa3],
  statuses: [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1],
};
const TWO_BIT_EXAMPLE = {
  json: { bits: 2, lst: 'eNo76fITAAPfAgc' },
  bytes: [0xc9, 0x44, 0xf9],
  statuses: [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3],
};
const VECTOR_1_BIT = {
  json: {
    bits: 1,
    lst: [
      'eNrt3AENwCAMAEGogklACtKQPg9LugC9k_ACvreiogE',
      'AAKkeCQAAAAAAAAAAAAAAAAAAAIBylgQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'AAAAAAAAAAAAAAAAAAAXG9IAAAAAAAAAPwsJAAAAAAAAAAAAAAAvhsSAAAAAAAAAAA',
      'A7KpLAAAAAAAAAAAAAAAAAAAAAJsLCQAAAAAAAAAAADjelAAAAAAAAAAAKjDMAQAAA',
      'ACAZC8L2AEb',
    ].join(''),
  },
  set: {
    0: 1,
    1993: 1,
    25460: 1,
    159495: 1,
    495669: 1,
    554353: 1,
    645645: 1,
    723232: 1,
    854545: 1,
    934534: 1,
    1000345: 1,
  } as Record<number, number>,
};
const VECTOR_2_BIT = {
  json: {
    bits: 2,
    lst: [
      'eNrt2zENACEQAEEuoaBABP5VIO01fCjIHTMStt9ovGV',
      'IAAAAAABAbiEBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEB5WwIAAAAAA',
      'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAID0ugQAAAAAAAAAAAAAAAAAQG12SgAAA',
      'AAAAAAAAAAAAAAAAAAAAAAAAOCSIQEAAAAAAAAAAAAAAAAAAAAAAAD8ExIAAAAAAAA',
      'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAwJEuAQAAAAAAAAAAAAAAAAAAAAAAAMB9S',
      'wIAAAAAAAAAAAAAAAAAAACoYUoAAAAAAAAAAAAAAEBqH81gAQw',
    ].join(''),
  },
  set: {
    0: 1,
    1993: 2,
    25460: 1,
    159495: 3,
    495669: 1,
    554353: 1,
    645645: 2,
    723232: 1,
    854545: 1,
    934534: 2,
    1000345: 3,
  } as Record<number, number>,
};

describe('status list encoding (draft-ietf-oauth-status-list)', () => {
  for (const [name, example] of Object.entries({ STATUS_LIST_SECTION, TWO_BIT_EXAMPLE })) {
    it(`decodes the ${name} example to its bytes and statuses, and encodes them back`, () => {
      const list = decodeStatusList(example.json);
      expect([...list.bytes]).toEqual(example.bytes);
      expect(example.statuses.map((_, i) => readStatus(list, i))).toEqual(example.statuses);
      expect(readStatus(list, example.statuses.length)).toBeUndefined();
      const rebuilt = createStatusList(list.bits, example.statuses.length);
      example.statuses.forEach((status, i) => writeStatus(rebuilt, i, status));
      expect([...rebuilt.bytes]).toEqual(example.bytes);
      expect([...decodeStatusList(encodeStatusList(rebuilt)).bytes]).toEqual(example.bytes);
    });
  }

  for (const [name, vector] of Object.entries({ VECTOR_1_BIT, VECTOR_2_BIT })) {
    it(`reads the appendix test vector ${name} (2^20 entries)`, () => {
      const list = decodeStatusList(vector.json);
      expect(list.bytes.length).toBe((2 ** 20 * vector.json.bits) / 8);
      const wrong: string[] = [];
      for (let i = 0; i < 2 ** 20; i++) {
        const status = readStatus(list, i);
        if (status !== (vector.set[i] ?? 0)) {
          wrong.push(`status[${i}] = ${status}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(readStatus(list, 2 ** 20)).toBeUndefined();
    });
  }

  it('refuses bits outside 1, 2, 4, 8, a non-ZLIB lst, and a list that inflates past the cap', () => {
    expect(() => decodeStatusList({ bits: 3, lst: STATUS_LIST_SECTION.json.lst })).toThrow(
      TypeError,
    );
    expect(() => decodeStatusList({ bits: 1, lst: 'not+base64url' })).toThrow(TypeError);
    expect(() => decodeStatusList({ bits: 1, lst: 'AAAA' })).toThrow(TypeError);
    const bomb = encodeStatusList(createStatusList(1, 8 * 1024 * 1024));
    expect(bomb.lst.length).toBeLessThan(2000);
    expect(() => decodeStatusList(bomb, 64 * 1024)).toThrow(RangeError);
  });
});
