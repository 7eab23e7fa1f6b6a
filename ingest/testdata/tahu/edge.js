// A Sparkplug B edge node with one device, written with the Eclipse Tahu
// client (npm sparkplug-client), for TestTahuClient. Configuration from the
// environment: TAHU_URL (mqtt://127.0.0.1:port), TAHU_USERNAME,
// TAHU_PASSWORD, TAHU_GROUP (company code), TAHU_NODE (machine code),
// TAHU_DEVICE, TAHU_T0 (milliseconds since the epoch: the first timestamp).
// It prints "done" once every message is written and it has disconnected.
'use strict';
const sparkplug = require('sparkplug-client');

const env = (name) => {
  const v = process.env[name];
  if (!v) { console.error('missing ' + name); process.exit(2); }
  return v;
};
const t0 = Number(env('TAHU_T0'));
const device = env('TAHU_DEVICE');

const client = sparkplug.newClient({
  serverUrl: env('TAHU_URL'),
  username: env('TAHU_USERNAME'),
  password: env('TAHU_PASSWORD'),
  // The broker takes any client id; the device's username is the natural one.
  clientId: env('TAHU_USERNAME'),
  groupId: env('TAHU_GROUP'),
  edgeNode: env('TAHU_NODE'),
  version: 'spBv1.0',
  keepalive: 30,
  mqttOptions: { protocolVersion: 4, reconnectPeriod: 0 },
});

client.on('error', (err) => { console.error('error: ' + err.message); process.exit(1); });

// Aliases are unique across the node and its devices, as Sparkplug wants.
const POWER = 1, ALARM = 10, MODE = 11, EXECUTION = 12;

client.on('birth', () => {
  client.publishNodeBirth({
    timestamp: t0,
    metrics: [
      { name: 'Node Control/Rebirth', type: 'Boolean', value: false },
      { name: 'Machine/Power', alias: POWER, type: 'Boolean', value: true },
    ],
  });
  client.publishDeviceBirth(device, {
    timestamp: t0 + 1000,
    metrics: [
      { name: 'Machine/Alarm', alias: ALARM, type: 'Boolean', value: false },
      { name: 'Machine/Mode', alias: MODE, type: 'String', value: 'AUTOMATIC' },
      { name: 'Machine/Execution', alias: EXECUTION, type: 'String', value: 'READY' },
    ],
  });
  // The operator sets the machine up, then runs it; an alarm, then it waits.
  const data = [
    [60, [{ alias: MODE, type: 'String', value: 'SETUP' }]],
    [120, [{ alias: MODE, type: 'String', value: 'AUTOMATIC' }, { alias: EXECUTION, type: 'String', value: 'ACTIVE' }]],
    [300, [{ alias: ALARM, type: 'Boolean', value: true }]],
    [360, [{ alias: ALARM, type: 'Boolean', value: false }, { alias: EXECUTION, type: 'String', value: 'READY' }]],
  ];
  for (const [s, metrics] of data) {
    client.publishDeviceData(device, { timestamp: t0 + s * 1000, metrics });
  }
  // The client publishes at QoS 0 without callbacks: give the socket a
  // moment to drain before the DISCONNECT (publishDeath is false, so no
  // NDEATH and no will).
  setTimeout(() => { client.stop(); console.log('done'); }, 500);
});
