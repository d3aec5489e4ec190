/** Prometheus metrics: request counts and latencies by route, and blob bytes in and out. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
  blobBytesReceived: Counter;
  blobBytesServed: Counter;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wharf_' });
  return {
    registry,
    requests: new Counter({
      name: 'wharf_http_requests_total',
      help: 'HTTP requests by method, route and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'wharf_http_request_duration_seconds',
      help: 'HTTP request latency by method and route',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers: [registry],
    }),
    blobBytesReceived: new Counter({
      name: 'wharf_blob_bytes_received_total',
      help: 'Blob bytes received by uploads',
      registers: [registry],
    }),
    blobBytesServed: new Counter({
      name: 'wharf_blob_bytes_served_total',
      help: 'Blob bytes sent by blob GETs',
      registers: [registry],
    }),
  };
}
