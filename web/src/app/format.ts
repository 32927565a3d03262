import { locale } from './i18n.js';

/** Durations and times as QA reads them (seconds and minutes in the current locale). */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  const [sec, min] = locale() === 'zh-CN' ? ['秒', '分'] : ['s', 'min'];
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} ${sec}`;
  const m = Math.floor(s / 60);
  return `${m} ${min} ${Math.round(s - m * 60)} ${sec}`;
}

export function time(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Saves text as a file through an object URL (the export needs the bearer token, so no plain link). */
export function saveFile(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
