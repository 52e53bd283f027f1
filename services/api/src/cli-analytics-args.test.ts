import { describe, expect, it } from 'vitest';
import { analyticsPath } from './cli-analytics-args.js';

describe('the analytics CLI options', () => {
  it('maps options onto the route and its query parameters', () => {
    expect(
      analyticsPath('aggregates', {
        purpose: 'grid_planning',
        from: '2026-11-01',
        to: '2026-12-01',
        every: 'month',
        'area-digits': '2',
        format: 'csv',
        percentiles: 'true',
      }),
    ).toEqual({
      path: '/v1/analytics/aggregates?from=2026-11-01&to=2026-12-01&every=month&areaDigits=2&format=csv&percentiles=true',
    });
    expect(
      analyticsPath('series', { purpose: 'grid_planning', from: 'a', to: 'b', area: '001xx' }),
    ).toEqual({ path: '/v1/analytics/daily-consumption?from=a&to=b&area=001xx' });
  });

  it('refuses a query without a purpose, a window or a known name', () => {
    expect(analyticsPath('aggregates', { from: 'a', to: 'b' })).toHaveProperty('problem');
    expect(analyticsPath('aggregates', { purpose: 'billing' })).toHaveProperty('problem');
    expect(analyticsPath('rows', { purpose: 'billing', from: 'a', to: 'b' })).toHaveProperty(
      'problem',
    );
    expect(
      analyticsPath('series', { purpose: 'grid_planning', from: 'a', to: 'b', every: 'day' }),
    ).toHaveProperty('problem');
  });
});
