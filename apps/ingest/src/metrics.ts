import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** One registry per ingest instance, so tests can run several in one process. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "rantai_ingest_process_" });
  const registers = [registry];
  return {
    registry,
    messages: new Counter({
      name: "rantai_ingest_messages_total",
      help: "MQTT messages committed (stored or dead-lettered), by channel",
      labelNames: ["channel"] as const,
      registers,
    }),
    readingsReceived: new Counter({
      name: "rantai_ingest_readings_received_total",
      help: "Readings in committed messages (a message rejected as a whole counts 1); = stored + duplicate + rejected",
      registers,
    }),
    readingsStored: new Counter({
      name: "rantai_ingest_readings_stored_total",
      help: "Readings inserted as new rows",
      registers,
    }),
    readingsDuplicate: new Counter({
      name: "rantai_ingest_readings_duplicate_total",
      help: "Readings whose (sensor, ts) was already stored: redeliveries, replays",
      registers,
    }),
    readingsRejected: new Counter({
      name: "rantai_ingest_readings_rejected_total",
      help: "Rejected readings (or whole messages), by reason code; all are in dead_letters",
      labelNames: ["code"] as const,
      registers,
    }),
    deadLetters: new Counter({
      name: "rantai_ingest_dead_letters_total",
      help: "Rows written to dead_letters",
      registers,
    }),
    statuses: new Counter({
      name: "rantai_ingest_status_total",
      help: "Status messages: applied, skipped_no_state (no reading stored yet), cleared (empty retained payload)",
      labelNames: ["result"] as const,
      registers,
    }),
    flushSeconds: new Histogram({
      name: "rantai_ingest_flush_seconds",
      help: "Duration of a successful flush: lookup + one transaction",
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    batchRows: new Histogram({
      name: "rantai_ingest_batch_rows",
      help: "Reading rows per flush",
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
      registers,
    }),
    flushFailures: new Counter({
      name: "rantai_ingest_flush_failures_total",
      help: "Flush attempts that failed (messages held, not acked, retried with backoff)",
      registers,
    }),
    bufferMessages: new Gauge({
      name: "rantai_ingest_buffer_messages",
      help: "Messages received and not yet committed (each holds its connection's PUBACK)",
      registers,
    }),
    connectedConnections: new Gauge({
      name: "rantai_ingest_connected_connections",
      help: "MQTT connections currently connected",
      registers,
    }),
    staleAcks: new Counter({
      name: "rantai_ingest_stale_acks_total",
      help: "Acks not sent because their connection dropped before commit (the broker redelivers; stored once)",
      registers,
    }),
  };
}
export type IngestMetrics = ReturnType<typeof createMetrics>;
