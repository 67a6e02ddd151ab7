import { Observable } from 'rxjs';
import type { Objective } from '../Objective.js';
import type { Candidate, Trial } from '../Trial.js';
import { startTrial, type OnError } from './startTrial.js';

/**
 * One evaluation as a cold Observable (what `evaluate` merges): emits the
 * trial once and completes, or errors under onError 'fail'. Unsubscribing
 * before the end cancels the trial.
 */
export function runTrial<P, S>(objective: Objective<P, S>, candidate: Candidate<P, S>, onError: OnError): Observable<Trial<P, S>> {
  return new Observable<Trial<P, S>>((subscriber) =>
    startTrial(objective, candidate, onError, {
      done: (trial) => {
        subscriber.next(trial);
        subscriber.complete();
      },
      fail: (error) => subscriber.error(error),
    }),
  );
}
