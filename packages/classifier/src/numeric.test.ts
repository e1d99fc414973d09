import { describe, expect, it } from 'vitest';
import { parseVitals } from './numeric.ts';

describe('parseVitals', () => {
  it('reads the KTAS triage sentence', () => {
    const text =
      '71-year-old male, arrived by public ambulance. Chief complaint: chest pain. Mental status: verbal. ' +
      'Pain: yes, NRS 7. BP 160/100, HR 124, RR 28, T 38.6, SpO2 88%.';
    const v = parseVitals(text);
    expect(Object.fromEntries(Object.entries(v.readings).map(([k, r]) => [k, r.value]))).toEqual({
      age: 71,
      sbp: 160,
      hr: 124,
      rr: 28,
      temp: 38.6,
      spo2: 88,
      pain: 7,
    });
    expect(v.mental?.value).toBe('verbal');
    expect(v.ambulance?.value).toBe(1);
    expect(v.priority).toBeUndefined();
    const spo2 = v.readings.spo2!;
    expect(text.slice(spo2.start, spo2.end)).toBe('SpO2 88%');
  });

  it('reads letter-style vitals, converts Fahrenheit and finds the stated priority', () => {
    const v = parseVitals(
      'Dear colleague, URGENT referral please. This 45 year old woman, blood pressure of 92/60, pulse 118, ' +
        'temperature 101.3, oxygen saturation 91%, pain 8/10. She walked in.',
    );
    expect(v.readings.age?.value).toBe(45);
    expect(v.readings.sbp?.value).toBe(92);
    expect(v.readings.hr?.value).toBe(118);
    expect(v.readings.temp?.value).toBeCloseTo(38.5, 1);
    expect(v.readings.spo2?.value).toBe(91);
    expect(v.readings.pain?.value).toBe(8);
    expect(v.priority?.value).toBe('urgent');
    expect(v.ambulance?.value).toBe(0);
  });

  it('treats "Pain: no" as 0, ignores "emergency department" as a priority, and leaves absent fields missing', () => {
    const v = parseVitals('Seen in the emergency department yesterday. Pain: no. Please see within 2-week wait.');
    expect(v.readings.pain?.value).toBe(0);
    expect(v.priority?.value).toBe('2ww');
    expect(v.readings.hr).toBeUndefined();
    expect(v.mental).toBeUndefined();
    expect(parseVitals('STAT review requested, urgent').priority?.value).toBe('stat');
  });
});
