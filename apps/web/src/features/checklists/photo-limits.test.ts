import { describe, expect, it } from 'vitest';
import { KEPT_PHOTO_MAX_BYTES, KEPT_PHOTOS_MAX, KEPT_PHOTOS_MAX_BYTES, keepRefusal } from './photo-limits';

const MB = 1024 * 1024;

describe('step photos kept on the phone until the signal is back', () => {
  it('keeps a shrunk photo while the queue has room', () => {
    expect(keepRefusal([], 400_000)).toBeNull();
    expect(keepRefusal(Array(KEPT_PHOTOS_MAX - 1).fill(400_000), 400_000)).toBeNull();
    expect(keepRefusal([KEPT_PHOTOS_MAX_BYTES - MB], MB)).toBeNull();
    expect(keepRefusal([], KEPT_PHOTO_MAX_BYTES)).toBeNull();
  });

  it('refuses a photo larger than the hub takes, saying how large', () => {
    expect(keepRefusal([], KEPT_PHOTO_MAX_BYTES + 1)).toBe(
      'This photo is 5.0 MB, more than the 5.0 MB the hub takes: take it again at a lower resolution.',
    );
    expect(keepRefusal([], 7.25 * MB)).toContain('This photo is 7.3 MB');
  });

  it('refuses one photo more than the queue holds, by count and by bytes, and says what to do', () => {
    expect(keepRefusal(Array(KEPT_PHOTOS_MAX).fill(1000), 1000)).toBe(
      '20 photos are already waiting on this phone for the signal; this one was not kept. Find signal to send them, then take this one again.',
    );
    expect(keepRefusal([20 * MB, 4.5 * MB], MB)).toBe(
      'The photos waiting on this phone for the signal already take 24.5 MB of 25.0 MB; this one (1.0 MB) was not kept. Find signal to send them, then take this one again.',
    );
  });
});
