/**
 * Wall-clock work (ms) after which the loop lets timers, I/O and signals in:
 * an abort lands within about this. A test that runs the loop in virtual
 * time (rxjs TestScheduler) sets it to Infinity: virtual time has no wall
 * clock, and a pause there would leave the test's flush for a real macrotask.
 */
export const loopSlice = { ms: 20 };
