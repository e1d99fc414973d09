import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

describe('config', () => {
  it('has embedded defaults', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(8080);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.QUEUE_PREFIX).toBe('triage');
    expect(c.RETENTION_DAYS).toBe(0);
    expect(c.MAX_DOCUMENT_PIXELS).toBeGreaterThan(c.MAX_PAGE_PIXELS);
  });
  it('refuses a negative retention period', () => {
    expect(() => loadConfig({ RETENTION_DAYS: '-1' })).toThrow(/RETENTION_DAYS/);
  });
  it('names each bad setting', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT/);
      expect((e as Error).message).toMatch(/DATABASE_URL/);
    }
  });

  it('refuses insecure transport in production and accepts the secure set', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/triage', SMTP_URL: 'smtp://mail' })).toThrow(
      /DATABASE_SSL[\s\S]*SMTP_REQUIRE_TLS[\s\S]*TLS_CERT_FILE/,
    );
    const ok = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/triage',
      DATABASE_SSL: 'verify-full',
      SMTP_URL: 'smtp://mail',
      SMTP_REQUIRE_TLS: 'true',
      BEHIND_TLS_PROXY: 'true',
      TRIAGE_ENCRYPTION_KEY: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
    });
    expect(ok.SMTP_REQUIRE_TLS).toBe(true);
  });

  it('requires the encryption key in production and never echoes a malformed one', () => {
    const secure = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/triage',
      DATABASE_SSL: 'verify-full',
      SMTP_URL: 'smtps://mail',
      BEHIND_TLS_PROXY: 'true',
    };
    expect(() => loadConfig(secure)).toThrow(/TRIAGE_ENCRYPTION_KEY: required/);
    const bad = 'k1:c2VjcmV0LXRvby1zaG9ydA==';
    try {
      loadConfig({ TRIAGE_ENCRYPTION_KEY: bad });
      expect.unreachable('a short key must be refused');
    } catch (e) {
      expect((e as Error).message).toMatch(/TRIAGE_ENCRYPTION_KEY/);
      expect((e as Error).message).not.toContain('c2VjcmV0');
    }
    const two = `k2:${Buffer.alloc(32, 2).toString('base64')},k1:${Buffer.alloc(32, 1).toString('base64')}`;
    expect(loadConfig({ TRIAGE_ENCRYPTION_KEY: two }).TRIAGE_ENCRYPTION_KEY).toBe(two);
  });

  it('selects the classifier: LR by default, offline embedding models, remote loading only when asked', () => {
    const d = loadConfig({});
    expect(d.CLASSIFIER).toBe('lr');
    expect(d.ALLOW_REMOTE_MODELS).toBe(false);
    const e = loadConfig({ CLASSIFIER: 'embedding', EMBEDDING_MODEL_DIR: 'models/all-MiniLM-L6-v2', ALLOW_REMOTE_MODELS: 'true' });
    expect(e).toMatchObject({ CLASSIFIER: 'embedding', EMBEDDING_MODEL_DIR: 'models/all-MiniLM-L6-v2', ALLOW_REMOTE_MODELS: true });
    expect(() => loadConfig({ CLASSIFIER: 'bert' })).toThrow(/CLASSIFIER/);
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/triage',
      DATABASE_SSL: 'verify-full',
      SMTP_URL: 'smtps://mail',
      BEHIND_TLS_PROXY: 'true',
      TRIAGE_ENCRYPTION_KEY: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
    };
    expect(loadConfig(production).ALLOW_REMOTE_MODELS).toBe(false);
    expect(() => loadConfig({ ...production, ALLOW_REMOTE_MODELS: 'true' })).toThrow(/ALLOW_REMOTE_MODELS/);
  });
});
