/**
 * A dead-letter reason as a metric label: the reason's kind, the text before its first
 * colon or parenthesis ("unattributable", "beyond the future horizon", "not Avro
 * single-object encoded"), lower-cased, at most 48 characters. Reasons carry details after
 * that point (InfluxDB's words, a bound's date); labels must stay few, and a label never
 * holds a metering point or any other identifier, which no reason's kind contains.
 */
export function reasonLabel(reason: string): string {
  const kind = reason.split(/[:(]/, 1)[0]?.trim().toLowerCase() ?? '';
  const clean = kind
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/\s+/g, ' ')
    .slice(0, 48)
    .trim();
  // Digits in a kind mean it is not one of the fixed phrases: keep the series count bounded.
  return clean === '' || /\d{3,}/.test(clean) ? 'other' : clean;
}
