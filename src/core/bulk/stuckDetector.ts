// A bulk whose operations all stay open (status 4) is not failing: Magento accepted it (202) and
// no consumer picked its messages up. Magento shows it as "Not started" forever (#31741, #23958);
// this module says so after a threshold and explains how to get a consumer running.
import { allOpenForMs, countOperations, DEFAULT_STUCK_THRESHOLD_MS, type TrackedBulk } from './bulkState';

export const ASYNC_CONSUMER_NAME = 'async.operations.all';
export const START_CONSUMER_COMMAND = `bin/magento queue:consumers:start ${ASYNC_CONSUMER_NAME}`;

export interface StuckReport {
  stuck: boolean;
  /** How long every operation has been open (undefined when some already moved on). */
  openForMs?: number;
  /** One line for descriptions and warnings. */
  headline: string;
}

export function detectStuck(bulk: TrackedBulk, now: number, thresholdMs = DEFAULT_STUCK_THRESHOLD_MS): StuckReport {
  if (bulk.operations === undefined || bulk.notFound) return { stuck: false, headline: '' };
  const counts = countOperations(bulk.operations, bulk.operationCount);
  const openForMs = allOpenForMs(bulk, counts, now);
  if (openForMs === undefined || openForMs < thresholdMs) {
    return { stuck: false, ...(openForMs !== undefined ? { openForMs } : {}), headline: '' };
  }
  return {
    stuck: true,
    openForMs,
    headline: `All ${counts.total} operations still open after ${formatDuration(openForMs)}: no consumer seems to process ${ASYNC_CONSUMER_NAME}.`,
  };
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} days`;
}

/** The "What to do" explanation, as Markdown (used by the tooltip, the CLI and the quick pick). */
export function stuckExplanationMarkdown(): string {
  return [
    '**Why the operations stay open**',
    '',
    `Magento accepted the bulk and stored every operation as *open* (status 4). The messages wait in the queue \`${ASYNC_CONSUMER_NAME}\` until a consumer processes them; nothing fails if none runs, so Magento keeps reporting the bulk as not started.`,
    '',
    '**What to do**',
    '',
    `1. Start the consumer on the Magento server: \`${START_CONSUMER_COMMAND}\` (add \`--max-messages=1000\` to let it exit and be restarted).`,
    '2. Or let cron start it: in `app/etc/env.php`, `cron_consumers_runner` must have `cron_run` => true (and `consumers` either empty or listing `async.operations.all`), and the Magento cron must run (`bin/magento cron:run`).',
    '3. The consumer uses the `amqp` connection: without RabbitMQ configured in `env.php` (`queue` → `amqp`), cron skips it (`Consumer "async.operations.all" skipped as required connection "amqp" is not configured`) and a manual start fails with `Unknown connection name amqp` (magento/magento2#25142). Configure RabbitMQ and restart the consumer.',
    '4. Check `var/log/system.log` and `bin/magento queue:consumers:list`.',
    '',
    'Polling continues: the bulk moves on by itself once a consumer runs.',
  ].join('\n');
}

/** Short steps for quick-pick items: [label, detail, text to copy]. */
export const STUCK_STEPS: readonly { label: string; detail: string; copy: string }[] = [
  { label: 'Start the consumer', detail: 'Run on the Magento server', copy: START_CONSUMER_COMMAND },
  { label: 'Let cron start consumers', detail: 'app/etc/env.php: cron_consumers_runner', copy: "'cron_consumers_runner' => ['cron_run' => true, 'max_messages' => 1000, 'consumers' => ['async.operations.all']]," },
  { label: 'List consumers', detail: 'See which consumers exist on the server', copy: 'bin/magento queue:consumers:list' },
  { label: 'RabbitMQ missing?', detail: 'Unknown connection name amqp (#25142): configure queue/amqp in env.php', copy: "'queue' => ['amqp' => ['host' => 'localhost', 'port' => '5672', 'user' => 'guest', 'password' => 'guest', 'virtualhost' => '/']]," },
];
