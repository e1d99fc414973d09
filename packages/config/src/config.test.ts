import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

describe('config', () => {
  it('has embedded defaults', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(8080);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.QUEUE_PREFIX).toBe('triage');
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
    });
    expect(ok.SMTP_REQUIRE_TLS).toBe(true);
  });
  it('selects the classifier: LR by default, offline embedding models, remote loading only when asked', () => {
    const d = loadConfig({});
    expect(d.CLASSIFIER).toBe('lr');
    expect(d.ALLOW_REMOTE_MODELS).toBe(false);
    const e = loadConfig({ CLASSIFIER: 'embedding', EMBEDDING_MODEL_DIR: 'models/all-MiniLM-L6-v2', ALLOW_REMOTE_MODELS: 'true' });
    expect(e).toMatchObject({ CLASSIFIER: 'embedding', EMBEDDING_MODEL_DIR: 'models/all-MiniLM-L6-v2', ALLOW_REMOTE_MODELS: true });
    expect(() => loadConfig({ CLASSIFIER: 'bert' })).toThrow(/CLASSIFIER/);
  });
});
