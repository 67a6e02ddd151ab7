import { failedTrialOf } from '../../trial/internal/startTrial.js';
import { show } from '../../base/check.js';

/**
 * The rejection of a run that failed: a new Error, so that the objective's
 * own (perhaps frozen) error is never touched, carrying it as `cause` and
 * what finished as `ho`.
 */
export function runFailure<H>(error: unknown, ho: H): Error & { ho: H } {
  const cause = failedTrialOf(error)?.error ?? error; // a thrown string is the cause, not the Error around it
  let message: string;
  try {
    const own = (error as { message?: unknown } | null)?.message;
    message = typeof own === 'string' ? own : show(error);
  } catch {
    message = 'the run failed'; // a Proxy or a getter that throws
  }
  return Object.assign(new Error(message, { cause }), { ho });
}
