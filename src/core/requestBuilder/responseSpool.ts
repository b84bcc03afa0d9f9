// Reads a response body chunk by chunk without ever holding the extension host's event loop:
// decompression runs in zlib streams (libuv thread pool), small bodies are collected in memory
// and large ones (over a threshold, 2 MB by default) go straight to a file, so a 50 MB
// product export is never decoded, concatenated or JSON-parsed on the main thread.
import { createWriteStream, type WriteStream } from 'node:fs';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { type Transform } from 'node:stream';
import { once } from 'node:events';

export const DEFAULT_LARGE_BODY_BYTES = 2 * 1024 * 1024;

export interface SpoolOptions {
  /** `content-encoding` of the response (gzip, deflate, br, identity or absent). */
  contentEncoding?: string;
  /** Decoded bodies larger than this are written to `fileForLargeBody()` instead of memory. */
  thresholdBytes?: number;
  /** Where a large body goes; called once, only when the threshold is crossed. */
  fileForLargeBody: () => string;
  signal?: AbortSignal;
}

export type SpooledBody =
  | { kind: 'memory'; data: Buffer; wireBytes: number; decodedBytes: number }
  | { kind: 'file'; path: string; wireBytes: number; decodedBytes: number; tail: string };

const YIELD_EVERY_BYTES = 1024 * 1024;

/** Larger output chunks than zlib's 16 KB default: a quarter of the callbacks on the event loop. */
const DECODE_CHUNK_BYTES = 64 * 1024;

function decoderFor(encoding: string | undefined): Transform | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip({ chunkSize: DECODE_CHUNK_BYTES });
    case 'deflate':
      return createInflate({ chunkSize: DECODE_CHUNK_BYTES });
    case 'br':
      return createBrotliDecompress({ chunkSize: DECODE_CHUNK_BYTES });
    default:
      return undefined;
  }
}

/** Consumes `body` (the bytes as received on the wire) and returns the decoded body. */
export async function spoolResponseBody(body: AsyncIterable<Uint8Array>, options: SpoolOptions): Promise<SpooledBody> {
  const threshold = options.thresholdBytes ?? DEFAULT_LARGE_BODY_BYTES;
  const decoder = decoderFor(options.contentEncoding);
  let wireBytes = 0;
  let decodedBytes = 0;
  const memory: Buffer[] = [];
  let file: WriteStream | undefined;
  let path: string | undefined;
  let tail = Buffer.alloc(0);

  let sinceYield = 0;
  const take = async (chunk: Buffer): Promise<void> => {
    decodedBytes += chunk.length;
    // A fast decoder can keep this loop in microtasks for a long time; give timers and other
    // work a turn every megabyte so the extension host never stalls behind one response.
    sinceYield += chunk.length;
    if (sinceYield >= YIELD_EVERY_BYTES) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (!file && decodedBytes > threshold) {
      path = options.fileForLargeBody();
      file = createWriteStream(path);
      for (const buffered of memory.splice(0)) if (!file.write(buffered)) await once(file, 'drain');
    }
    if (file) {
      // Keep the last few KB: `total_count` sits at the end of a searchCriteria response.
      tail = tail.length + chunk.length > 8192 ? Buffer.concat([tail, chunk]).subarray(-8192) : Buffer.concat([tail, chunk]);
      if (!file.write(chunk)) await once(file, 'drain');
    } else {
      memory.push(chunk);
    }
  };

  try {
    if (decoder) {
      const decoding = (async () => {
        for await (const chunk of decoder) await take(chunk as Buffer);
      })();
      try {
        for await (const raw of body) {
          if (options.signal?.aborted) throw abortError();
          wireBytes += raw.byteLength;
          if (!decoder.write(raw)) await once(decoder, 'drain');
        }
        decoder.end();
      } catch (error) {
        decoder.destroy(error as Error);
        throw error;
      } finally {
        await decoding.catch(() => undefined);
      }
      await decoding;
    } else {
      for await (const raw of body) {
        if (options.signal?.aborted) throw abortError();
        wireBytes += raw.byteLength;
        await take(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
      }
    }
    if (file && path) {
      file.end();
      await once(file, 'finish');
      return { kind: 'file', path, wireBytes, decodedBytes, tail: tail.toString('utf8') };
    }
    return { kind: 'memory', data: Buffer.concat(memory), wireBytes, decodedBytes };
  } catch (error) {
    file?.destroy();
    throw error;
  }
}

/** `total_count` (and paging echo) read from the end of a large searchCriteria response. */
export function pagingFromTail(tail: string): { totalCount: number; pageSize?: number; currentPage?: number } | undefined {
  const total = /"total_count"\s*:\s*(\d+)/.exec(tail);
  if (!total) return undefined;
  const pageSize = /"page_size"\s*:\s*(\d+)/.exec(tail);
  const currentPage = /"current_page"\s*:\s*(\d+)/.exec(tail);
  return {
    totalCount: Number(total[1]),
    ...(pageSize ? { pageSize: Number(pageSize[1]) } : {}),
    ...(currentPage ? { currentPage: Number(currentPage[1]) } : {}),
  };
}

function abortError(): Error {
  const error = new Error('The request was cancelled');
  error.name = 'AbortError';
  return error;
}
