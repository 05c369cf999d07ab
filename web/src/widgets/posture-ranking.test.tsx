// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PostureReport, PostureTerm } from '../api-types.js';
import { csvField, toCsv } from '../csv.js';
import { I18nProvider } from '../i18n.js';
import { PostureExplanation, PostureRanking, postureCsvRows, rankPostures } from './posture-ranking.js';

afterEach(cleanup);

const term = (id: PostureTerm['term'], weight: number, points: number, value: number | null): PostureTerm => ({
  term: id,
  label: { vi: `Nhãn ${id}`, en: `Label ${id}` },
  value,
  weight,
  points,
  data: value !== null,
  explanation: { vi: `Giải thích ${id}: −${weight - points}.`, en: `Explained ${id}: −${weight - points}.` },
});

const terms = (lost: number): PostureTerm[] => [
  term('acknowledged-in-time', 20, 20 - lost, lost === 0 ? null : 0.5),
  term('remediated-in-time', 15, 15, null),
  term('overdue', 15, 15, null),
  term('open-incidents', 10, 10, 0),
  term('sensor-coverage', 20, 20, 1),
  term('security-plan', 12, 12, null),
  term('security-budget', 8, 8, null),
];

const report = (orgId: string, code: string, vi: string, en: string, score: number): PostureReport => ({
  orgId, code, name: { vi, en }, kind: 'province', score, basis: 'subtree', terms: terms(100 - score),
  period: { from: '2026-10-26T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z' }, children: [],
});

const reports = [
  report('o1', 'VN-HP', 'Thành phố Hải Phòng', 'Hai Phong City', 90),
  report('o2', 'VN-HN', 'Thành phố Hà Nội, "Thủ đô"', 'Ha Noi City, the capital', 95),
  report('o3', 'VN-DN', 'Thành phố Đà Nẵng', 'Da Nang City', 90),
];

describe('the posture ranking', () => {
  it('ranks by score, best first, ties by code', () => {
    expect(rankPostures(reports).map((r) => r.code)).toEqual(['VN-HN', 'VN-DN', 'VN-HP']);
  });

  it('shows the ranking and explains the chosen organisation term by term in the current language', () => {
    const onSelect = vi.fn();
    const { container } = render(<I18nProvider initial="vi"><PostureRanking reports={reports} selected="o3" onSelect={onSelect} /></I18nProvider>);
    const rows = container.querySelectorAll('tbody tr');
    expect([...rows].map((r) => r.getAttribute('data-org'))).toEqual(['o2', 'o3', 'o1']);
    expect(rows[1]?.getAttribute('aria-selected')).toBe('true');
    fireEvent.click(screen.getByText('Thành phố Hải Phòng'));
    expect(onSelect).toHaveBeenCalledWith('o1');

    cleanup();
    render(<I18nProvider initial="en"><PostureExplanation report={reports[0] as PostureReport} /></I18nProvider>);
    const table = screen.getByTestId('posture-explanation');
    expect(within(table).getByText('Hai Phong City')).toBeTruthy();
    const ack = table.querySelector('tr[data-term="acknowledged-in-time"]') as HTMLElement;
    const cells = [...ack.querySelectorAll('td')].map((c) => c.textContent);
    expect(cells).toEqual(['Label acknowledged-in-time', '50%', '20', '10', 'Explained acknowledged-in-time: −10.']);
    const plan = table.querySelector('tr[data-term="security-plan"]') as HTMLElement;
    expect(plan.querySelectorAll('td')[1]?.textContent).toBe('No data');
    expect(table.querySelectorAll('tbody tr')).toHaveLength(7);
  });
});

describe('the CSV builder', () => {
  it('quotes commas, quotes and line breaks (RFC 4180) and keeps Vietnamese text as it is', () => {
    expect(csvField('Đà Nẵng')).toBe('Đà Nẵng');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(12.5)).toBe('12.5');
    expect(toCsv([['a', 'b,c'], [1, null]])).toBe('a,"b,c"\r\n1,\r\n');
  });

  it('writes the ranking with each term’s points', () => {
    const text = toCsv(postureCsvRows(reports, 'vi'));
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('Hạng,Mã,Tổ chức,Điểm,Nhãn acknowledged-in-time,Nhãn remediated-in-time,Nhãn overdue,Nhãn open-incidents,Nhãn sensor-coverage,Nhãn security-plan,Nhãn security-budget');
    expect(lines[1]).toBe('1,VN-HN,"Thành phố Hà Nội, ""Thủ đô""",95,15,15,15,10,20,12,8');
    expect(lines[3]).toBe('3,VN-HP,Thành phố Hải Phòng,90,10,15,15,10,20,12,8');
    expect(lines).toHaveLength(5);
    expect(toCsv(postureCsvRows(reports, 'en')).split('\r\n')[1]).toBe('1,VN-HN,"Ha Noi City, the capital",95,15,15,15,10,20,12,8');
  });
});
