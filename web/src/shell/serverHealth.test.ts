import { describe, expect, it } from 'vitest';
import { writeProblem, writeProblemText } from './serverHealth';

describe('writeProblem', () => {
  it('is null while the server can record', () => {
    expect(writeProblem({ status: 'ok', version: '1', log_seq: 3 })).toBeNull();
    expect(writeProblem(null)).toBeNull();
    expect(writeProblem(undefined)).toBeNull();
  });
  it('is the server’s problem while it is failing', () => {
    expect(writeProblem({ status: 'failing', problem: 'cannot reach the shared PostgreSQL database' })).toBe(
      'cannot reach the shared PostgreSQL database',
    );
  });
  it('still says something when failing without a problem', () => {
    expect(writeProblem({ status: 'failing' })).toBe('the server cannot record anything just now');
    expect(writeProblem({ status: 'failing', problem: '  ' })).toBe('the server cannot record anything just now');
  });
});

describe('writeProblemText', () => {
  it('says what is wrong and what it means, once', () => {
    const t = writeProblemText('cannot reach the shared PostgreSQL database.');
    expect(t).toMatch(/^Nothing can be recorded just now: cannot reach the shared PostgreSQL database\. Changes you send will be refused/);
    expect(t).not.toMatch(/\.\./);
  });
});
