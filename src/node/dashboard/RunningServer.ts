/** A listening server (kept apart from the server code so that public types name no fastify type). */
export interface RunningServer {
  /** Where it listens, e.g. http://127.0.0.1:8350/ (the dashboard page). */
  readonly url: string;
  readonly port: number;
  /** Stops listening and ends open event streams. */
  close(): Promise<void>;
}
