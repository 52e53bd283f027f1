import {
  createKafka,
  createLogger,
  InfluxClientAdapter,
  KafkajsTopicAdmin,
  loadConfig,
  readInfluxToken,
} from '@lukema/platform';
import { provision } from './provision.js';

const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, name: 'provision' });
const topics = new KafkajsTopicAdmin(createKafka({ ...config.kafka, logger }));
const influx = new InfluxClientAdapter({
  url: config.influx.url,
  org: config.influx.org,
  token: readInfluxToken(config, 'operator'),
});
try {
  await provision({ config, topics, influx, logger });
} finally {
  await topics.close();
}
