export interface BenchResult {
  name: string;
  /** Measured figures, with their unit in the key (e.g. `wallMs`, `requests`, `heapMb`). */
  metrics: Record<string, number | string>;
  /** Targets in words, keyed like the metric they apply to (e.g. `wallMs: '< 500'`). */
  targets: Record<string, string>;
  pass: boolean;
}
