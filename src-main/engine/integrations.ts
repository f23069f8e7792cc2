/**
 * What the engine tells the outside world: notifications (src-main/notify/) and MQTT for Home
 * Assistant (src-main/mqtt/, loaded only when asked for). Both listen to the engine through the
 * EngineApi like any other client, so nothing here sits on the nonce path.
 */
import type { EventBus } from '@shared/bus.js';
import type { EngineApi, NotifyTestResult } from '@shared/contract';
import { Notifier, type NotifyConfig } from '../notify/notifier.js';
import type { MqttBridge, MqttConfig } from '../mqtt/bridge.js';

export interface IntegrationOptions {
  notify?: NotifyConfig | null;
  mqtt?: MqttConfig | null;
}

export class Integrations {
  readonly notifier: Notifier | null;
  private mqtt: MqttBridge | null = null;

  constructor(
    private readonly options: IntegrationOptions,
    private readonly bus: EventBus,
  ) {
    const channels = options.notify?.channels ?? [];
    this.notifier = channels.length > 0 ? new Notifier(options.notify!, (level, text) => bus.log(level, 'notify', text)) : null;
  }

  get mqttBridge(): MqttBridge | null {
    return this.mqtt;
  }

  async start(engine: EngineApi, detail: string): Promise<void> {
    this.notifier?.attach(engine, detail);
    if (this.options.mqtt) {
      const { MqttBridge } = await import('../mqtt/bridge.js');
      this.mqtt = new MqttBridge(this.options.mqtt, (level, text) => this.bus.log(level, 'mqtt', text));
      this.mqtt.attach(engine);
    }
  }

  async stop(detail: string): Promise<void> {
    await Promise.all([this.notifier?.stop(detail), this.mqtt?.stop()]);
  }

  async notifyTest(): Promise<NotifyTestResult[]> {
    if (!this.notifier) throw new Error('no notification channel is configured (--notify, or Settings → Notifications)');
    const results = await this.notifier.test();
    for (const r of results) this.bus.log(r.ok ? 'info' : 'warn', 'notify', `test message to ${r.channel}: ${r.ok ? 'sent' : `failed (${r.error})`}`);
    return results;
  }
}
