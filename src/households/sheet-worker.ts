import { parentPort, workerData } from 'node:worker_threads';
import { readXlsx, SheetLimits, SheetRefusal } from './xlsx-reader.js';

/** Reads one uploaded .xlsx off the main thread (see readSheet): the rows, or a refusal's message. */
const { bytes, limits } = workerData as { bytes: Uint8Array; limits: SheetLimits };
try {
  parentPort?.postMessage({
    rows: readXlsx(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), limits),
  });
} catch (error) {
  parentPort?.postMessage({ refusal: error instanceof SheetRefusal ? error.message : null });
}
