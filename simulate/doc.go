// Package simulate plays the machines of a demo network through realistic
// shop days, so that a newcomer sees a live network at once.
//
// The days themselves are pure logic (Plan, Changes, History): a shift of
// 8:00–17:00 with lunch from 12:00, machines powered on a little before the
// shift and off a little after, jobs that start with a setup and run in
// blocks with short waits between them, an occasional alarm and its
// clearing, idle over lunch, and nothing at night, at weekends, on national
// holidays (the root package's calendar), お盆 and 年末年始. A machine's day
// is drawn from a random source seeded by its id and the date, so the same
// day comes out every time: the history written at the first start and
// what the live devices publish afterwards agree.
//
// Runner drives the machines as real MQTT clients of the broker: each
// simulated device logs in with its own username and secret, sets its last
// will on its status topic, and publishes its machine's states (or, for a
// stack-light device, its lamps) at QoS 1 when they change, on a Clock that
// is the real one in a demo and a faster one in tests.
package simulate
