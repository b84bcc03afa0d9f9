// The CLI's logger: warnings and errors always go to stderr, info/debug only with --verbose.
// Every line passes through the redactor first.
import { redactText } from '../core/http/redactor';
import { type Logger } from '../core/ports';

export function createCliLogger(write: (text: string) => void, verbose: boolean, component?: string): Logger {
  const line = (level: string, message: string | Error, args: unknown[]): void => {
    const text = [message instanceof Error ? message.message : message, ...args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))].join(' ');
    write(`${level}${component ? ` [${component}]` : ''} ${redactText(text)}\n`);
  };
  return {
    trace: (m, ...a) => { if (verbose) line('trace', m, a); },
    debug: (m, ...a) => { if (verbose) line('debug', m, a); },
    info: (m, ...a) => { if (verbose) line('info', m, a); },
    warn: (m, ...a) => line('warning:', m, a),
    error: (m, ...a) => line('error:', m, a),
    child: (name) => createCliLogger(write, verbose, component ? `${component}/${name}` : name),
  };
}
