import type { Clock } from '../core/ports';

/**
 * The sandbox's notion of "now": real time plus an offset that tests move forward through
 * `POST /__sandbox/clock {"advanceSeconds": n}` to expire tokens or lockouts without waiting.
 */
export class SandboxClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: Clock = { now: () => Date.now() }) {}

  now(): number {
    return this.base.now() + this.offsetMs;
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  offsetSeconds(): number {
    return this.offsetMs / 1000;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

/** `Y-m-d H:i:s` in UTC, the format Magento prints for created_at/updated_at/start_time. */
export function magentoDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
