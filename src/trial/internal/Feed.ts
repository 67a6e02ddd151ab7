import { Observable, Subscriber, Subscription, type Observer } from 'rxjs';

/** What a Feed delivers to: a Subscriber (operators subscribe with one) or a listener wrapping the sampler's own callbacks. */
interface Target<T> {
  readonly closed: boolean;
  next(value: T): void;
  complete(): void;
}

/**
 * The stream a run feeds its sampler (`results$`, `demand$`): a Subject
 * that guards its subscribers. RxJS hands a throw in a subscriber's own
 * callback to its unhandled-error hook, out of the run's reach; a Feed calls
 * those callbacks under try/catch, as RxJS's OperatorSubscriber does for
 * operators, and passes a throw to `fail` (the run errors with it). Throws
 * inside operator chains reach the sampler's candidates stream anyway.
 * Copy-on-write subscriber list: delivery allocates nothing.
 */
export class Feed<T> extends Observable<T> {
  #targets: readonly Target<T>[] = [];
  #done = false;
  readonly #fail: (error: unknown) => void;

  constructor(fail: (error: unknown) => void) {
    super();
    this.#fail = fail;
  }

  /** True while someone listens. */
  get observed(): boolean {
    return this.#targets.length > 0;
  }

  override subscribe(
    observerOrNext?: Partial<Observer<T>> | ((value: T) => void) | null,
    error?: ((error: unknown) => void) | null,
    complete?: (() => void) | null,
  ): Subscription {
    if (observerOrNext instanceof Subscriber) {
      const subscriber = observerOrNext as Subscriber<T>;
      if (this.#done) subscriber.complete();
      else {
        this.#targets = [...this.#targets, subscriber];
        subscriber.add(() => this.#remove(subscriber));
      }
      return subscriber;
    }
    const observer = typeof observerOrNext === 'function' || observerOrNext == null ? { next: observerOrNext ?? undefined, error, complete } : observerOrNext;
    const listener = new Listener<T>(observer as Partial<Observer<T>>);
    if (this.#done) {
      this.#call(() => listener.complete());
      return Subscription.EMPTY;
    }
    this.#targets = [...this.#targets, listener];
    return new Subscription(() => {
      listener.closed = true;
      this.#remove(listener);
    });
  }

  next(value: T): void {
    const targets = this.#targets;
    for (let k = 0; k < targets.length; k++) {
      const target = targets[k];
      if (target.closed) continue;
      try {
        target.next(value);
      } catch (error) {
        this.#fail(error);
      }
    }
  }

  complete(): void {
    if (this.#done) return;
    this.#done = true;
    const targets = this.#targets;
    this.#targets = [];
    for (const target of targets) if (!target.closed) this.#call(() => target.complete());
  }

  #call(f: () => void): void {
    try {
      f();
    } catch (error) {
      this.#fail(error);
    }
  }

  #remove(target: Target<T>): void {
    this.#targets = this.#targets.filter((t) => t !== target);
  }
}

/** A sampler's own callbacks, called as they are: their throws reach the Feed. */
class Listener<T> implements Target<T> {
  closed = false;
  constructor(readonly observer: Partial<Observer<T>>) {}
  next(value: T): void {
    this.observer.next?.(value);
  }
  complete(): void {
    this.closed = true;
    this.observer.complete?.();
  }
}
