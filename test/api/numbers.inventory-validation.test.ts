import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleClient } from '../support/browser-client.js';
import { freshUsNumber } from '../support/phone-numbers.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { staffClient } from '../support/sso.js';

let server: TestServer;
let staff: ConsoleClient;
beforeAll(async () => {
  server = await startTestServer();
  staff = await staffClient(server);
});
afterAll(() => server.stop());

const HEADER = 'number,country_iso,type,region,voice,sms,monthly_rental';
const line = (number: string, country: string, type: string) =>
  `${number},${country},${type},Somewhere,true,true,0.8`;

/** What is in the inventory among these numbers. */
async function stocked(numbers: string[]) {
  const rows = await server.system.database.db
    .selectFrom('numbers')
    .select('number')
    .where('number', 'in', numbers)
    .execute();
  return rows.map((row) => row.number);
}

describe('staff loading numbers that do not exist, or are not of their type', () => {
  it('refuses a number too short for its country, naming the line and the reason, and adds nothing', async () => {
    const good = freshUsNumber();
    const answer = await staff.post('/api/staff/numbers', {
      csv: [HEADER, line(good, 'US', 'local'), line('4420555', 'GB', 'local')].join('\n'),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.detail).toContain('line 3: 4420555 is not a valid GB number');
    expect(answer.body.detail).not.toContain('line 2');
    expect(await stocked([good, '4420555'])).toEqual([]);
  });

  it('refuses a mobile number stocked as local, and a landline stocked as mobile or toll-free', async () => {
    const answer = await staff.post('/api/staff/numbers', {
      csv: [
        HEADER,
        line('447400123456', 'GB', 'local'),
        line('442079460000', 'GB', 'mobile'),
        line('442079460001', 'GB', 'tollfree'),
      ].join('\n'),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.detail).toContain('line 2: 447400123456 is a mobile number, not local');
    expect(answer.body.detail).toContain('line 3: 442079460000 is a local (fixed-line) number, not mobile');
    expect(answer.body.detail).toContain('line 4: 442079460001 is a local (fixed-line) number, not tollfree');
    expect(await stocked(['447400123456', '442079460000', '442079460001'])).toEqual([]);
  });

  it('refuses a number of another country sharing the calling code (Toronto is not US)', async () => {
    const answer = await staff.post('/api/staff/numbers', {
      csv: [HEADER, line('14165550123', 'US', 'local')].join('\n'),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.detail).toContain('line 2: 14165550123 is a CA number, not US');
  });

  it('accepts real numbers of each type, fictional 555 numbers included, and shared toll-free ranges in Canada', async () => {
    const local = freshUsNumber();
    const mobile = freshUsNumber();
    const tollfree = freshUsNumber('tollfree');
    const canadianTollfree = freshUsNumber('tollfree');
    const fictional = `14155550${randomInt(100, 200)}`;
    const answer = await staff.post('/api/staff/numbers', {
      csv: [
        HEADER,
        line(local, 'US', 'local'),
        line(mobile, 'US', 'mobile'),
        line(tollfree, 'US', 'tollfree'),
        line(canadianTollfree, 'CA', 'tollfree'),
        line(fictional, 'US', 'local'),
      ].join('\n'),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toEqual({ loaded: 5 });
    expect((await stocked([local, mobile, tollfree, canadianTollfree, fictional])).sort()).toEqual(
      [local, mobile, tollfree, canadianTollfree, fictional].sort(),
    );
  });
});
