/** What the pages use of a chart.js chart (the UMD bundle's global `Chart`; no types shipped to the web build). */
export interface ChartLike {
  data: { labels: string[]; datasets: Record<string, unknown>[] };
  options: Record<string, unknown>;
  update(mode?: string): void;
  destroy(): void;
}
declare const Chart: new (canvas: HTMLCanvasElement, config: unknown) => ChartLike;

let chartReady: Promise<boolean> | null = null;

/** chart.js's UMD bundle (served at /vendor/chartjs) defines the global `Chart`; pages work without it. */
export function loadChart(): Promise<boolean> {
  chartReady ??= new Promise<boolean>((resolve) => {
    if (typeof Chart !== 'undefined') return resolve(true);
    const script = document.createElement('script');
    script.src = '/vendor/chartjs/chart.umd.min.js';
    script.onload = () => resolve(true);
    script.onerror = () => resolve(false);
    document.head.append(script);
  });
  return chartReady;
}

/** A new chart on the canvas (call after loadChart resolved true). */
export const newChart = (canvas: HTMLCanvasElement, config: unknown): ChartLike => new Chart(canvas, config);
