// How much the phone keeps of step photos waiting for the signal. The app shrinks a photo to 1600 px
// (a JPEG of a few hundred KB) before keeping it; a bigger one is one the browser could not shrink.
import { PHOTO_MAX_BYTES } from '@afterhours/shared';

/** One photo: what the hub takes at most; a bigger one would be kept only to be refused later. */
export const KEPT_PHOTO_MAX_BYTES = PHOTO_MAX_BYTES;
/** Photos waiting at once, and their bytes: a day offline at a few sites, not the phone's storage. */
export const KEPT_PHOTOS_MAX = 20;
export const KEPT_PHOTOS_MAX_BYTES = 25 * 1024 * 1024;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const sendFirst = 'Find signal to send them, then take this one again.';

/** Why a photo of `size` bytes cannot join the `waiting` ones (their sizes), or null when it can. */
export function keepRefusal(waiting: readonly number[], size: number): string | null {
  if (size > KEPT_PHOTO_MAX_BYTES)
    return `This photo is ${mb(size)}, more than the ${mb(KEPT_PHOTO_MAX_BYTES)} the hub takes: take it again at a lower resolution.`;
  if (waiting.length >= KEPT_PHOTOS_MAX)
    return `${waiting.length} photos are already waiting on this phone for the signal; this one was not kept. ${sendFirst}`;
  const total = waiting.reduce((sum, bytes) => sum + bytes, 0);
  if (total + size > KEPT_PHOTOS_MAX_BYTES)
    return `The photos waiting on this phone for the signal already take ${mb(total)} of ${mb(KEPT_PHOTOS_MAX_BYTES)}; this one (${mb(size)}) was not kept. ${sendFirst}`;
  return null;
}
