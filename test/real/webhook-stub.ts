/**
 * A webhook receiver on loopback standing in for a person's pager: it records every notification
 * Alertmanager POSTs (version 4 payload) and answers 200.
 */
import { createServer, type Server } from 'node:http';

/** One notification, with when it arrived. */
export interface Notification {
  readonly at: number;
  readonly body: string;
}

/** A running webhook stub. */
export interface WebhookStub {
  readonly server: Server;
  /** Its port on 127.0.0.1. */
  readonly port: number;
  /** Every notification so far, in arrival order. */
  readonly received: Notification[];
  /** The alert names notified as firing, one entry per alert per notification, from `since` (ms) on. */
  firingSince(since?: number): string[];
  /** Closes the server. */
  stop(): Promise<void>;
}

/** Starts a webhook stub on 127.0.0.1 at a free port. */
export async function startWebhookStub(): Promise<WebhookStub> {
  const received: Notification[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ at: Date.now(), body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : 0,
    received,
    firingSince: (since = 0) =>
      received
        .filter((notification) => notification.at >= since)
        .flatMap((notification) => (JSON.parse(notification.body) as { alerts: { status: string; labels: Record<string, string> }[] }).alerts)
        .filter((alert) => alert.status === 'firing')
        .map((alert) => alert.labels.alertname!),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
