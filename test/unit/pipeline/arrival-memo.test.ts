import { ArrivalMemo } from '../../../shared/pipeline/arrival-memo';

/** The intake's memory of names read, by object and ETag (shared/pipeline/arrival-memo.ts). */
const ref = (key: string, etag?: string) => ({ key, size: 1, etag });
const names = (...values: string[]) => new Set(values);

describe('ArrivalMemo', () => {
  it('finds names only for the bytes they were read from, quotes or not', () => {
    const memo = new ArrivalMemo();
    memo.remember('depot/a.zip', '"e1"', names('x.pdf'));
    expect(memo.namesOf(ref('depot/a.zip', 'e1'))).toEqual(names('x.pdf'));
    expect(memo.namesOf(ref('depot/a.zip', '"e1"'))).toEqual(names('x.pdf'));
    expect(memo.namesOf(ref('depot/a.zip', 'e2'))).toBeUndefined();
    expect(memo.namesOf(ref('depot/b.zip', 'e1'))).toBeUndefined();
    // An arrival without an ETag names no bytes: nothing is found.
    expect(memo.namesOf(ref('depot/a.zip'))).toBeUndefined();
  });

  it('keeps nothing read without an ETag from the store', () => {
    const memo = new ArrivalMemo();
    memo.remember('depot/a.zip', undefined, names('x.pdf'));
    memo.remember('depot/a.zip', '', names('x.pdf'));
    expect(memo.namesOf(ref('depot/a.zip', ''))).toBeUndefined();
  });

  it('holds at most its names, forgetting the least recently used first', () => {
    const memo = new ArrivalMemo(4);
    memo.remember('a', 'e', names('1', '2'));
    memo.remember('b', 'e', names('3'));
    // « a » used: « b » is now the oldest.
    expect(memo.namesOf(ref('a', 'e'))).toBeDefined();
    memo.remember('c', 'e', names('4', '5'));
    expect(memo.namesOf(ref('b', 'e'))).toBeUndefined();
    expect(memo.namesOf(ref('a', 'e'))).toEqual(names('1', '2'));
    expect(memo.namesOf(ref('c', 'e'))).toEqual(names('4', '5'));
    // More names than it may hold at all: not kept, and nothing else forgotten for it.
    memo.remember('d', 'e', names('6', '7', '8', '9', '10'));
    expect(memo.namesOf(ref('d', 'e'))).toBeUndefined();
    expect(memo.namesOf(ref('a', 'e'))).toBeDefined();
    // The same bytes remembered again replace their entry, not add to it.
    memo.remember('a', 'e', names('1', '2'));
    memo.remember('a', 'e', names('1', '2'));
    expect(memo.namesOf(ref('c', 'e'))).toEqual(names('4', '5'));
  });
});
