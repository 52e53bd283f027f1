import { createRedis, loadConfig, redisConnection, redisKeys } from '@lukema/platform';
import { SignInLinks } from './sign-in-links.js';

// Prints a one-time sign-in link to a customer's own page (local stack and demos):
//   npm run customer-link -w @lukema/api -- 100000
const customerId = process.argv[2] ?? '';
const config = loadConfig(process.env);
const redis = createRedis(redisConnection(config));
try {
  const token = await new SignInLinks(
    redis,
    redisKeys(config.registry.redisPrefix).signInLinks,
  ).mint(customerId);
  process.stdout.write(`${config.api.url}/me/link/${token}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  redis.disconnect();
}
