import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives loopback defaults', () => {
    const config = loadConfig({ HOME: '/home/x' });
    expect(config.kafka.brokers[0]).toMatch(/^127\.0\.0\.1:/);
    expect(config.influx.batchLines).toBe(5000);
  });

  it('reads overrides and ignores variables without the prefix', () => {
    const config = loadConfig({
      PATH: '/bin',
      LUKEMA_KAFKA_BROKERS: 'a:1, b:2',
      LUKEMA_TOPIC_PARTITIONS: '8',
    });
    expect(config.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(config.kafka.partitions).toBe(8);
  });

  it('reads the write path knobs: gzip level (0 = none) and fetch size per partition', () => {
    const defaults = loadConfig({ HOME: '/home/x' });
    expect(defaults.ingest.fetchBytesPerPartition).toBe(256 * 1024);
    expect(defaults.influx.writeGzipLevel).toBe(0);
    const set = loadConfig({
      LUKEMA_INFLUX_WRITE_GZIP_LEVEL: '1',
      LUKEMA_INGEST_FETCH_KB_PER_PARTITION: '1024',
    });
    expect(set.influx.writeGzipLevel).toBe(1);
    expect(set.ingest.fetchBytesPerPartition).toBe(1024 * 1024);
    expect(() => loadConfig({ LUKEMA_INFLUX_WRITE_GZIP_LEVEL: '10' })).toThrow(
      /LUKEMA_INFLUX_WRITE_GZIP_LEVEL/,
    );
  });

  it('refuses unknown LUKEMA_ variables, naming them', () => {
    expect(() => loadConfig({ LUKEMA_KAFKA_BROKER: 'x' })).toThrow(/LUKEMA_KAFKA_BROKER/);
  });

  it('names the variable with a bad value', () => {
    try {
      loadConfig({ LUKEMA_TOPIC_PARTITIONS: 'many' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.join()).toMatch(/LUKEMA_TOPIC_PARTITIONS/);
    }
  });

  it('keeps the Redis password with the other secrets unless one is given', () => {
    const local = loadConfig({ LUKEMA_DATA: '/data' });
    expect(local.redis.password).toBeUndefined();
    expect(local.redis.passwordFile).toBe('/data/secrets/redis-password');
    const given = loadConfig({ LUKEMA_REDIS_PASSWORD: 's3cret', LUKEMA_REDIS_PASSWORD_FILE: '/x' });
    expect(given.redis).toMatchObject({ password: 's3cret', passwordFile: '/x' });
  });
});
