/** How a dashboard or ask/tell server listens. */
export interface ListenOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. @default 8350 */
  readonly port?: number;
  /**
   * Bearer token every request must carry (`Authorization: Bearer <token>`,
   * or on a GET `?token=` or the session cookie a browser gets by opening the
   * page at `?token=` once). Required when `host` is not a loopback address.
   * @default process.env.HYPEROPT_RX_TOKEN
   */
  readonly token?: string;
  /** Largest request body in bytes; a larger one gets 413. @default 65536 */
  readonly bodyLimit?: number;
}
