// Types of duplex.js, the JavaScript client of Duplex protocol v1. The JSDoc in duplex.js is the
// reference; a unit test checks that this file declares exactly what the module exports.

export const PROTOCOL_VERSION: '1';

export interface BackoffPolicy {
  /** ms before the first reconnect attempt, at most (500) */
  initialDelay: number;
  /** ms between attempts, at most (20000) */
  maxDelay: number;
  /** growth per failed attempt (2) */
  factor: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffPolicy>;

export interface TokenContext {
  reason: 'connect' | 'refresh' | 'expired' | 'unauthorized';
  /** with `refresh`: when the current token expires */
  expiresAt?: string;
}

export interface ClientOptions {
  /** connection token (JWT); also the REST credential when there is no apiKey */
  token?: string;
  /** the token refresh hook: a fresh token for a `refresh` push, after 4003, after an unauthorized close */
  getToken?: (context: TokenContext) => string | Promise<string>;
  /** REST credential for history, instead of the token */
  apiKey?: string;
  backoff?: Partial<BackoffPolicy>;
  /** ms a command or a connect may take (10000) */
  timeout?: number;
  /** where there is no global WebSocket (Node.js 20: the ws package) */
  WebSocket?: typeof WebSocket;
  fetch?: typeof fetch;
  /** [0, 1) for the jitter */
  random?: () => number;
}

export interface Message<T = unknown> {
  channel: string;
  epoch: string;
  offset: number;
  data: T;
  /** delivered from history after a gap */
  recovered: boolean;
}

export interface SubscribedContext {
  channel: string;
  epoch: string;
  offset: number;
  /** present when subscribed with since; false: messages were lost, reload over REST */
  recovered?: boolean;
  resubscribed: boolean;
}

export interface ConnectedContext {
  session: string;
  version: string;
  expiresAt?: string;
}

export interface DisconnectedContext {
  code: number;
  reason: string;
  reconnect: boolean;
  delay?: number;
}

export class DuplexError extends Error {
  constructor(code: string, message: string, details?: { status?: number });
  readonly code: string;
  /** REST failures: the HTTP status */
  readonly status?: number;
  /** subscription failures: the channel */
  channel?: string;
}

export function reconnectDelay(attempt: number, policy?: BackoffPolicy, random?: () => number): number;
export function afterClose(code: number, reason: string, canRenew: boolean): 'reconnect' | 'renew' | 'stop';
export function endpoints(url: string | URL): { ws: string; api: string };
export function connect(url: string | URL, options?: ClientOptions): DuplexClient;
export function restCall<T = unknown>(url: string | URL, options?: {
  credential?: string; fetch?: typeof fetch; method?: string; body?: unknown;
}): Promise<T>;

export class Subscription {
  readonly channel: string;
  readonly ready: Promise<SubscribedContext>;
  readonly position: { epoch: string; offset: number } | null;
  on(event: 'subscribed', listener: (context: SubscribedContext) => void): () => void;
  on(event: 'error', listener: (error: DuplexError) => void): () => void;
  unsubscribe(): Promise<void>;
}

export class DuplexClient {
  constructor(url: string | URL, options?: ClientOptions);
  readonly state: 'connecting' | 'connected' | 'disconnected' | 'closed';
  readonly session: string | null;
  readonly api: string;
  on(event: 'connecting', listener: (context: { attempt: number }) => void): () => void;
  on(event: 'connected', listener: (context: ConnectedContext) => void): () => void;
  on(event: 'disconnected', listener: (context: DisconnectedContext) => void): () => void;
  on(event: 'direct', listener: (data: unknown) => void): () => void;
  on(event: 'refresh' | 'refreshed', listener: (context: { expiresAt: string }) => void): () => void;
  on(event: 'error', listener: (error: DuplexError) => void): () => void;
  subscribe<T = unknown>(channel: string, onMessage: (message: Message<T>) => void,
    options?: { since?: { epoch: string; offset: number } }): Subscription;
  publish(channel: string, data: unknown): Promise<{ channel: string; epoch: string; offset: number }>;
  presence(channel: string): Promise<Array<{ session: string; user: string | null }>>;
  history(channel: string, query?: { since?: number; limit?: number }): Promise<{
    channel: string; epoch: string; offset: number;
    messages: Array<{ offset: number; data: unknown; time: string }>;
  }>;
  refresh(token: string): Promise<{ expiresAt: string }>;
  close(): void;
}
