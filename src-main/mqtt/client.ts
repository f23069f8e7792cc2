/**
 * The MQTT connection (the `mqtt` package): a last will ("offline", retained) on the availability
 * topic, "online" (retained) on every connect, reconnects on its own, and publishes that never wait
 * on the broker: while disconnected a publish is skipped (the bridge publishes everything again on
 * the next connect), so a missing broker costs mining nothing. The URL's password is a secret: the
 * link is named by scheme, host and port only.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { safeUrlLabel } from '../notify/redact.js';

export interface MqttLinkOptions {
  /** mqtt[s]://[user:pass@]host:port */
  url: string;
  clientId: string;
  availabilityTopic: string;
  reconnectMs?: number;
  log: (level: 'info' | 'warn' | 'error', text: string) => void;
  /** Each (re)connect, after "online" was published. */
  onConnect: () => void;
  onMessage: (topic: string, payload: string) => void;
}

export class MqttLink {
  readonly label: string;
  private client: MqttClient | null = null;
  private wasConnected = false;
  private lastError: string | null = null;

  constructor(private readonly options: MqttLinkOptions) {
    this.label = safeUrlLabel(options.url);
  }

  get connected(): boolean {
    return this.client?.connected === true;
  }

  start(): void {
    const o = this.options;
    const client = mqtt.connect(o.url, {
      clientId: o.clientId,
      clean: true,
      reconnectPeriod: o.reconnectMs ?? 5_000,
      connectTimeout: 10_000,
      queueQoSZero: false,
      will: { topic: o.availabilityTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client = client;
    client.on('connect', () => {
      this.wasConnected = true;
      this.lastError = null;
      o.log('info', `MQTT connected to ${this.label}`);
      client.publish(o.availabilityTopic, 'online', { qos: 1, retain: true });
      o.onConnect();
    });
    client.on('close', () => {
      // After stop() the link is no longer this client's: a planned close says nothing.
      if (this.wasConnected && this.client === client) o.log('warn', `MQTT connection to ${this.label} closed; reconnecting`);
      this.wasConnected = false;
    });
    client.on('error', (err) => {
      // Said once per kind of failure, not on every retry.
      if (err.message === this.lastError) return;
      this.lastError = err.message;
      o.log('warn', `MQTT ${this.label}: ${err.message}`);
    });
    client.on('message', (topic, payload) => o.onMessage(topic, payload.toString('utf8')));
  }

  publish(topic: string, payload: string, retain: boolean): void {
    if (!this.client?.connected) return;
    this.client.publish(topic, payload, { qos: retain ? 1 : 0, retain });
  }

  subscribe(filter: string): void {
    this.client?.subscribe(filter, { qos: 1 });
  }

  /** Say "offline" (retained) and disconnect cleanly: a clean disconnect does not fire the will. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    if (client.connected) await client.publishAsync(this.options.availabilityTopic, 'offline', { qos: 1, retain: true }).catch(() => undefined);
    await client.endAsync().catch(() => undefined);
  }

  /** Tests: cut the TCP connection without a DISCONNECT, as a crash would (the broker then sends the will). */
  dropConnection(): void {
    this.client?.stream.destroy();
  }
}
