import type * as vscode from 'vscode';
import { type Logger } from '../core/ports';
import { redactText } from '../core/http/redactor';

/** The core's logger port over the one LogOutputChannel; every line is tagged and redacted. */
export function createOutputChannelLogger(channel: vscode.LogOutputChannel, component = 'workbench'): Logger {
  const fmt = (message: string | Error, args: unknown[]): string => {
    const text = message instanceof Error ? (message.stack ?? message.message) : message;
    const extra = args.length > 0 ? ' ' + args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' ') : '';
    return redactText(`[${component}] ${text}${extra}`);
  };
  return {
    trace: (m, ...a) => channel.trace(fmt(m, a)),
    debug: (m, ...a) => channel.debug(fmt(m, a)),
    info: (m, ...a) => channel.info(fmt(m, a)),
    warn: (m, ...a) => channel.warn(fmt(m, a)),
    error: (m, ...a) => channel.error(fmt(m, a)),
    child: (name) => createOutputChannelLogger(channel, name),
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
