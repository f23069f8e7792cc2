/**
 * MQTT for Home Assistant: the link, discovery configs for every device (published again on each
 * connect and when a device appears), device state from the engine's snapshots (on change, at most
 * every few seconds), and commands on the command topic (writes only with --allow-writes).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { EngineApi, EngineSnapshot } from '@shared/contract';
import type { LogLevel } from '@shared/log-level.js';
import { Redactor } from '../notify/redact.js';
import { MqttLink } from './client.js';
import { commandDevice, handleCommand } from './commands.js';
import { discoveryMessages, mqttTopics, type MqttTopics } from './discovery.js';
import { deviceReports, StateThrottle, topicSafe } from './state.js';

export interface MqttConfig {
  url: string;
  /** Home Assistant node id (default hashdeck_<host name>). */
  nodeId?: string;
  /** Commands are accepted only with this (the engine's --allow-writes). */
  allowWrites: boolean;
  /** Least time between two state publishes of one device (default 5 s). */
  minIntervalMs?: number;
  reconnectMs?: number;
}

export function defaultNodeId(): string {
  return topicSafe(`hashdeck_${hostname()}`).toLowerCase();
}

export class MqttBridge {
  readonly topics: MqttTopics;
  readonly nodeId: string;
  readonly link: MqttLink;
  private readonly throttle: StateThrottle;
  private readonly redactor = new Redactor();
  private readonly announced = new Set<string>();
  private latest: EngineSnapshot | null = null;
  private engine: Pick<EngineApi, 'command' | 'onSnapshot' | 'snapshot'> | null = null;
  private detach: (() => void) | null = null;

  constructor(
    private readonly config: MqttConfig,
    private readonly log: (level: LogLevel, text: string) => void,
  ) {
    this.nodeId = config.nodeId ?? defaultNodeId();
    this.topics = mqttTopics(this.nodeId);
    this.throttle = new StateThrottle(config.minIntervalMs ?? 5_000);
    try {
      const password = new URL(config.url).password;
      // The URL is a secret only when it carries a password.
      if (password) this.redactor.add(config.url, decodeURIComponent(password), password);
    } catch {
      // the URL was validated before; nothing to add
    }
    this.link = new MqttLink({
      url: config.url,
      clientId: `${this.nodeId}_${randomBytes(3).toString('hex')}`,
      availabilityTopic: this.topics.availability,
      reconnectMs: config.reconnectMs,
      log: (level, text) => this.log(level, this.redactor.redact(text)),
      onConnect: () => this.onConnect(),
      onMessage: (topic, payload) => void this.onMessage(topic, payload),
    });
  }

  attach(engine: Pick<EngineApi, 'command' | 'onSnapshot' | 'snapshot'>): void {
    this.engine = engine;
    this.latest = engine.snapshot();
    this.detach = engine.onSnapshot((s) => this.onSnapshot(s));
    this.link.start();
    this.log('info', `MQTT: Home Assistant node ${this.nodeId} on ${this.link.label}${this.config.allowWrites ? ' (commands accepted)' : ' (read-only: commands refused without --allow-writes)'}`);
  }

  async stop(): Promise<void> {
    this.detach?.();
    this.detach = null;
    await this.link.stop();
  }

  private onConnect(): void {
    this.announced.clear();
    this.throttle.forget();
    this.link.subscribe(this.topics.commandFilter);
    if (this.latest) this.onSnapshot(this.latest);
  }

  private onSnapshot(s: EngineSnapshot): void {
    this.latest = s;
    if (!this.link.connected) return;
    for (const d of deviceReports(s)) {
      if (!this.announced.has(d.id)) {
        this.announced.add(d.id);
        for (const m of discoveryMessages(this.nodeId, d, { version: s.version, commands: this.config.allowWrites })) this.link.publish(m.topic, m.payload, true);
      }
      const payload = this.throttle.due(d.id, d.state, s.nowMs);
      if (payload !== null) this.link.publish(this.topics.state(d.id), payload, false);
    }
  }

  private async onMessage(topic: string, payload: string): Promise<void> {
    const deviceId = commandDevice(this.topics.base, topic);
    if (deviceId === null || !this.engine) return;
    const engine = this.engine;
    const outcome = await handleCommand(deviceId, payload, {
      allowWrites: this.config.allowWrites,
      boardFor: (id) => this.latest?.boards.find((b) => topicSafe(b.id) === id)?.id ?? null,
      run: (c) => engine.command(c),
    });
    this.log(outcome.ok ? 'info' : 'warn', `MQTT command for ${deviceId}: ${outcome.message}`);
    this.link.publish(this.topics.commandResult(deviceId), JSON.stringify({ ok: outcome.ok, message: outcome.message }), false);
  }
}
