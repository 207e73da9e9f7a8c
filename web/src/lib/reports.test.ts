import { describe, expect, it } from 'vitest';
import { chartColumns, chartItems, clockSkewMs, csvFilename, csvPath, defaultWindow, detentionCell, financialYear, financialYearLabel, formatCell, handoverWaitState, rcrpBreakdowns, reportPath, summaryLabel, summaryUnit, windowSpansDays, windowState, windowText } from './reports';
import type { ReportTable } from './reports';
import type { Report } from './reports';

// The shape the reports API is being built to (issue 8).
const kResponse: Report = {
  report: 'response',
  title: 'Response times',
  from: '2026-11-20T00:00:00Z',
  to: '2026-11-27T00:00:00Z',
  generated_at: '2026-11-27T09:00:00Z',
  summary: { incidents: 120, met_pct: 91.7 },
  tables: [
    {
      name: 'by_bcu',
      title: 'Grade targets met per BCU',
      columns: [
        { key: 'bcu', label: 'BCU' },
        { key: 'grade', label: 'Grade' },
        { key: 'incidents', label: 'Incidents', unit: 'count' },
        { key: 'met_pct', label: 'Met', unit: 'percent' },
        { key: 'median_minutes', label: 'Median', unit: 'minutes' },
      ],
      rows: [
        { bcu: 'AW', grade: 'I', incidents: 40, met_pct: 92.5, median_minutes: 9.25 },
        { bcu: 'CS', grade: 'I', incidents: 35, met_pct: 88, median_minutes: null },
      ],
    },
    {
      name: 'by_hour',
      title: 'By hour',
      columns: [
        { key: 'hour', label: 'Hour' },
        { key: 'label', label: 'Hour of day' },
        { key: 'incidents', label: 'Incidents', unit: 'count' },
      ],
      rows: [
        { hour: 0, label: '00:00', incidents: 3 },
        { hour: 1, label: '01:00', incidents: 1 },
      ],
    },
    { name: 'empty', title: 'Nothing', columns: [{ key: 'a', label: 'A' }], rows: [] },
  ],
};

describe('report charts', () => {
  it('label the bars with the first text column and size them by the first numeric column', () => {
    const c = chartItems(kResponse.tables[0])!;
    expect(c.label.key).toBe('bcu');
    expect(c.value.key).toBe('incidents');
    expect(c.items).toEqual([
      { label: 'AW', value: 40, valueLabel: '40' },
      { label: 'CS', value: 35, valueLabel: '35' },
    ]);
  });
  it('skip a leading numeric column when looking for the label', () => {
    const cols = chartColumns(kResponse.tables[1])!;
    expect(cols.label.key).toBe('label');
    expect(cols.value.key).toBe('hour');
  });
  it('tell rows with the same label apart by their other text columns', () => {
    const t = {
      name: 'by_bcu',
      title: 'By BCU and grade',
      columns: [{ key: 'bcu', label: 'BCU' }, { key: 'grade', label: 'Grade' }, { key: 'incidents', label: 'Incidents', unit: 'count' }],
      rows: [
        { bcu: 'AW', grade: 'I', incidents: 4 },
        { bcu: 'AW', grade: 'S', incidents: 2 },
        { bcu: 'CS', grade: 'I', incidents: 1 },
      ],
    };
    expect(chartItems(t)!.items.map((i) => i.label)).toEqual(['AW I', 'AW S', 'CS']);
  });
  it('have no chart for a table without rows', () => {
    expect(chartItems(kResponse.tables[2])).toBeNull();
  });
});

describe('report cells and requests', () => {
  it('show units, blanks and booleans for people', () => {
    expect(formatCell(92.5, 'percent')).toBe('92.5%');
    expect(formatCell(9.25, 'minutes')).toBe('9.25 min');
    expect(formatCell(1200, 'count')).toBe('1,200');
    expect(formatCell(null, 'minutes')).toBe('—');
    expect(formatCell(true)).toBe('yes');
    const now = Date.parse('2026-11-27T12:00:00Z');
    expect(formatCell('2026-11-27T05:34:20.935388Z', undefined, now)).toBe('05:34');
    expect(formatCell('2026-07-01T05:34:20Z', undefined, now)).toBe('Wed 1 Jul 06:34'); // BST, another day
    expect(formatCell('2026-11-27', undefined, now)).toBe('2026-11-27'); // a date stays as it is
    expect(summaryLabel('met_pct')).toBe('Met');
    expect(summaryLabel('I_met_pct')).toBe('Grade I met (of arrivals)');
    expect(summaryLabel('S_no_arrival')).toBe('Grade S no arrival recorded');
    expect(summaryLabel('s136')).toBe('s136 detentions');
    expect(summaryLabel('mean_handover_wait_minutes')).toBe('Mean handover wait (finished waits)');
    // The handover waits over the limit, in minutes: the limit the server reports, not the key's default figure.
    expect(summaryLabel('handover_waits_over_60', [], { handover_waits_over_60: 1, handover_limit_minutes: 60 })).toBe('Handover waits over 60 minutes');
    expect(summaryLabel('handover_waits_over_60', [], { handover_waits_over_60: 1, handover_limit_minutes: 45 })).toBe('Handover waits over 45 minutes');
    expect(summaryLabel('handover_waits_over_60')).toBe('Handover waits over 60 minutes');
    expect(summaryLabel('handover_limit_minutes')).toBe('Handover wait limit');
    expect(summaryLabel('repeat_persons')).toBe('Repeat persons now (rolling windows)');
    expect(summaryLabel('I_incidents')).toBe('Grade I incidents');
    expect(summaryLabel('hiu_cases_open')).toBe('HIU cases open');
    expect(summaryLabel('avl_arrivals')).toBe('AVL arrivals');
    expect(summaryLabel('arrivals_recorded_pct', ['arrivals_recorded', 'arrivals_recorded_pct'])).toBe('Arrivals recorded (share)');
    expect(summaryLabel('attended_pct', ['incidents'])).toBe('Attended');
    expect(summaryLabel('training_force_percent_of_target'))
        .toBe('Training now, whole force: as a share of target');
    expect(summaryLabel('training_force_trained')).toBe('Training now, whole force: trained');
    expect(summaryUnit('I_met_pct')).toBe('percent');
    expect(summaryUnit('training_force_percent_of_target')).toBe('percent');
    expect(summaryUnit('median_minutes_to_place_of_safety')).toBe('minutes');
    expect(summaryUnit('repeat_officer_hours')).toBe('hours');
    expect(summaryUnit('incidents')).toBeUndefined();
    expect(summaryLabel('median_minutes_to_place_of_safety')).toBe('Median time to place of safety');
    expect(formatCell('police_vehicle')).toBe('police vehicle');
    expect(formatCell('threshold: risk_to_life')).toBe('threshold: risk to life');
    expect(formatCell('det-1')).toBe('det-1');
    const long = { name: 'h', title: 'By hour', columns: [{ key: 'hour', label: 'Hour' }, { key: 'n', label: 'N', unit: 'count' }], rows: Array.from({ length: 24 }, (_, h) => ({ hour: `${h}:00`, n: h === 5 ? 2 : 0 })) };
    expect(chartItems(long)?.items.map((x) => x.label)).toEqual(['5:00']);
    expect(chartItems(long)?.omitted).toBe(23);
    expect(chartItems({ ...long, rows: long.rows.slice(0, 3) })?.items).toHaveLength(3);
    expect(formatCell('hbpos')).toBe('health-based place of safety');
    expect(formatCell(0.8, summaryUnit('training_force_percent_of_target'))).toBe('0.8%');
  });
  it('ask for the report and one table as CSV', () => {
    const q = { name: 'response', from: '2026-11-20T00:00:00.000Z', to: '2026-11-27T00:00:00.000Z', bcu: 'AW' };
    expect(reportPath(q)).toBe('/api/reports/response?from=2026-11-20T00%3A00%3A00.000Z&to=2026-11-27T00%3A00%3A00.000Z&bcu=AW');
    expect(csvPath(q, 'by_bcu')).toBe(`${reportPath(q)}&format=csv&table=by_bcu`);
    // `to` is exclusive: the file names the last day covered, in London (BST here: 23:00Z is midnight).
    expect(csvFilename(q, 'by_bcu')).toBe('response-by_bcu-2026-11-20-to-2026-11-26-AW.csv');
    expect(csvFilename({ name: 'teams', from: '2026-06-30T23:00:00.000Z', to: '2026-07-07T23:00:00.000Z' }, 't')).toBe('teams-t-2026-07-01-to-2026-07-07.csv');
    expect(reportPath({ ...q, bcu: '' })).not.toContain('bcu=');
  });
});

describe('the report window', () => {
  it('is shown as inclusive London days', () => {
    expect(windowText('2026-11-20T00:00:00Z', '2026-11-27T00:00:00Z')).toBe('Fri 20 Nov 2026 to Thu 26 Nov 2026');
    expect(windowText('2026-06-30T23:00:00Z', '2026-07-01T23:00:00Z')).toBe('Wed 1 Jul 2026');
  });
});

describe('the Home Office s136 return', () => {
  it('is by financial year, April to March, in London', () => {
    expect(financialYear(Date.parse('2026-11-27T12:00:00Z'))).toBe(2026);
    expect(financialYear(Date.parse('2026-03-31T22:59:00Z'))).toBe(2025); // 23:59 BST on 31 March
    expect(financialYear(Date.parse('2026-03-31T23:00:00Z'))).toBe(2026); // 00:00 BST on 1 April
    expect(financialYearLabel(2025)).toBe('2025/26');
    expect(financialYearLabel(2099)).toBe('2099/00');
  });
});

describe('times in a report that spans several London days', () => {
  const now = Date.parse('2026-11-29T09:00:00Z');
  it('tell whether a window covers more than one London day (`to` exclusive)', () => {
    expect(windowSpansDays('2026-11-22T00:00:00Z', '2026-11-30T00:00:00Z')).toBe(true);
    expect(windowSpansDays('2026-11-29T00:00:00Z', '2026-11-30T00:00:00Z')).toBe(false);
    // A BST day runs 23:00Z to 23:00Z.
    expect(windowSpansDays('2026-06-30T23:00:00Z', '2026-07-01T23:00:00Z')).toBe(false);
    expect(windowSpansDays('2026-06-30T23:00:00Z', '2026-07-02T23:00:00Z')).toBe(true);
  });
  it('give today’s times their date when asked, so "08:52" is not read as any day of the window', () => {
    expect(formatCell('2026-11-29T08:52:41.724690Z', undefined, now)).toBe('08:52');
    expect(formatCell('2026-11-29T08:52:41.724690Z', undefined, now, { withDate: true })).toBe('Sun 29 Nov 08:52');
    expect(formatCell('2025-11-29T08:52:41Z', undefined, now, { withDate: true })).toBe('29 Nov 2025 08:52');
    expect(formatCell(4.3, 'hours', now, { withDate: true })).toBe('4.3 h'); // numbers are not times
  });
});

describe('where the window stands, by the server’s clock', () => {
  const r = (from: string, to: string) => ({ from, to, generated_at: '2026-11-29T09:00:00Z' });
  it('a window wholly after the report’s time has not started; one that ends after it is running; else over', () => {
    expect(windowState(r('2026-12-10T00:00:00Z', '2026-12-11T00:00:00Z'))).toBe('not_started');
    expect(windowState(r('2026-11-22T00:00:00Z', '2026-11-30T00:00:00Z'))).toBe('running');
    expect(windowState(r('2026-11-01T00:00:00Z', '2026-11-08T00:00:00Z'))).toBe('over');
    expect(windowState(r('2026-11-28T00:00:00Z', '2026-11-29T09:00:00Z'))).toBe('over'); // ends as the report is made
  });
  it('the skew is the server’s clock minus the browser’s; the default window is the last week by it', () => {
    const browser = Date.parse('2026-11-30T00:30:00Z'); // a browser 90 minutes fast: already Monday 30th
    const skew = clockSkewMs('2026-11-29T23:00:00.123456Z', browser);
    expect(skew).toBe(-90 * 60_000 + 123);
    expect(defaultWindow(browser + skew)).toEqual({ from: '2026-11-22', to: '2026-11-29' });
    expect(defaultWindow(browser)).toEqual({ from: '2026-11-23', to: '2026-11-30' }); // what the browser's clock alone gave
    expect(clockSkewMs(undefined, browser)).toBe(0);
    expect(clockSkewMs('not a time', browser)).toBe(0);
  });
});

describe('the detentions table says what is still running', () => {
  const cols = {
    hours: { key: 'hours_detained', label: 'Duration', unit: 'hours' },
    wait: { key: 'handover_wait_minutes', label: 'Handover wait', unit: 'minutes' },
    over: { key: 'handover_over_60', label: 'Handover over 60 min' },
  };
  // As the server sends them: an ended detention, two at a place of safety, one not yet there.
  const ended = { detention_id: 'det-0', hours_detained: 20, handover_wait_minutes: 90, handover_over_60: 'yes', status: 'ended' };
  const a = { detention_id: 'det-1', hours_detained: 4.3, handover_wait_minutes: 35, handover_over_60: 'no', status: 'at_place_of_safety' };
  const b = { detention_id: 'det-2', hours_detained: 1.4, handover_wait_minutes: 50.1, handover_over_60: 'no', status: 'at_place_of_safety' };
  const none = { detention_id: 'det-3', hours_detained: 0.1, handover_wait_minutes: null, handover_over_60: 'no', status: 'detained' };
  it('a wait is running when its row says so, finished otherwise, and absent without a wait', () => {
    expect(handoverWaitState({ ...b, handover_wait_running: true })).toBe('running');
    expect(handoverWaitState({ ...a, handover_wait_running: false })).toBe('finished');
    expect(handoverWaitState({ ...ended, handover_wait_running: false })).toBe('finished');
    expect(handoverWaitState({ ...none, handover_wait_running: null })).toBeNull();
  });
  it('each cell words what is still running', () => {
    expect(detentionCell(b, cols.wait, 'running')).toBe('still waiting, 50.1 min so far');
    expect(detentionCell(b, cols.over, 'running')).toBe('not yet');
    expect(detentionCell({ ...b, handover_over_60: 'yes' }, cols.over, 'running')).toBe('yes');
    expect(detentionCell(a, cols.wait, 'finished')).toBe('35 min');
    expect(detentionCell(a, cols.over, 'finished')).toBe('no');
    expect(detentionCell(ended, cols.wait, 'finished')).toBe('90 min');
    expect(detentionCell(ended, cols.over, 'finished')).toBe('yes');
    expect(detentionCell(none, cols.wait, null)).toBe('—');
    expect(detentionCell(a, cols.hours, 'finished')).toBe('4.3 h so far');
    expect(detentionCell(ended, cols.hours, 'finished')).toBe('20 h');
  });
  it('the chart’s figures read as the table’s', () => {
    const t: ReportTable = { name: 'detentions', title: 'Detentions', columns: [{ key: 'detention_id', label: 'Detention' }, cols.hours], rows: [ended, a] };
    const c = chartItems(t, (row, col) => detentionCell(row, col, null))!;
    expect(c.items.map((i) => i.valueLabel)).toEqual(['20 h', '4.3 h so far']);
  });
});

describe('RCRP outcomes as their breakdowns', () => {
  const t = (rows: Array<[string, number]>): ReportTable => ({
    name: 'rcrp_outcomes',
    title: 'Right Care, Right Person outcomes (three breakdowns, each of the same incidents)',
    columns: [{ key: 'outcome', label: 'Outcome' }, { key: 'incidents', label: 'Incidents', unit: 'count' }],
    rows: rows.map(([outcome, incidents]) => ({ outcome, incidents })),
  });
  it('splits attendance, the triage threshold and where callers were signposted, each its own table', () => {
    const parts = rcrpBreakdowns(
      t([
        ['police attendance: attended', 3],
        ['police attendance: not attended', 2],
        ['triage signposted: gp', 1],
        ['triage threshold: none', 1],
        ['triage threshold: risk_to_life', 4],
      ]),
    );
    expect(parts.map((p) => p.title)).toEqual(['Police attendance', 'RCRP triage threshold', 'Signposted to']);
    expect(parts[0].table.rows).toEqual([{ outcome: 'attended', incidents: 3 }, { outcome: 'not attended', incidents: 2 }]);
    expect(parts[1].table.rows.map((r) => r.outcome)).toEqual(['none', 'risk_to_life']);
    expect(parts[2].table.rows).toEqual([{ outcome: 'gp', incidents: 1 }]);
    expect(parts[0].table.columns[0].label).toBe('Police attendance');
    expect(new Set(parts.map((p) => p.table.name)).size).toBe(3);
  });
  it('says that none was signposted when nothing was below the threshold (the server then has no such rows)', () => {
    const parts = rcrpBreakdowns(t([['police attendance: attended', 3], ['triage threshold: not triaged', 3]]));
    expect(parts).toHaveLength(3);
    expect(parts[2].table.rows).toEqual([]);
    expect(parts[2].none).toBe('None: no incident in this window was triaged below the police threshold.');
  });
  it('keeps a breakdown it does not know, named by its words', () => {
    const parts = rcrpBreakdowns(t([['police attendance: attended', 1], ['ambulance_response: sent', 1], ['odd', 2]]));
    expect(parts.map((p) => p.title)).toEqual(['Police attendance', 'RCRP triage threshold', 'Signposted to', 'Ambulance response', 'Other outcomes']);
    expect(parts[4].table.rows).toEqual([{ outcome: 'odd', incidents: 2 }]);
  });
});
