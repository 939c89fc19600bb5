// The sandbox clock: real time, shifted forward by `advance()`. While what fell due is being
// processed it is pinned to the time it was due, so the attempts, status changes and calls of
// that moment carry exactly that time; released, it runs on from there.

/** @param {number} start epoch ms the clock shows now */
function createClock(start) {
  let offset = start - Date.now();
  /** @type {number | null} */
  let pinned = null;
  const now = () => pinned ?? Date.now() + offset;
  return {
    now,
    /** Shows `at` (never earlier than now) until `release()`. */
    pin(at) {
      pinned = Math.max(at, now());
      return pinned;
    },
    /** Runs on from the pinned time. */
    release() {
      if (pinned !== null) offset = pinned - Date.now();
      pinned = null;
    },
    /** Shows `at` from now on (once, when the sandbox is ready: before, nothing has used the time). */
    restart(at) {
      offset = at - Date.now();
      pinned = null;
    },
    /** Jumps forward to `at` (a clock never goes back). */
    moveTo(at) {
      if (at > now()) offset = at - Date.now();
    },
  };
}

export { createClock };
