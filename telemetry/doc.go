// Package telemetry turns the raw signals of a small shop's machines into
// machine states and the figures a shop looks at: state intervals, 稼働率
// (utilization) against the shop calendar, OEE where counts are known, and
// whether a machine is still talking at all.
//
// # States
//
// A machine is in one of five states: Off (電源断), Idle (待機), Setup
// (段取り), Running (稼働) or Alarm (異常). Three sources give them:
//
//   - A stack light (積層信号灯), read by a light sensor per lamp
//     (StackLight): red means alarm or stopped, yellow setup, waiting or a
//     warning, green running, all lamps off power off. Red wins over yellow
//     and yellow over green. A lamp counts as on until it has been off for
//     the debounce time (1.5 s by default), so a blinking lamp is on and the
//     all-off state (power off) is taken only after the debounce.
//   - A current clamp on the machine's supply (CurrentClamp), with
//     thresholds and hysteresis set per machine and a minimum dwell before a
//     change is believed. A clamp tells off, idle and running apart, never
//     setup or alarm.
//   - An MTConnect agent or adapter (MTConnectState): Availability
//     UNAVAILABLE is off; a Condition at FAULT or EmergencyStop TRIGGERED is
//     alarm; Execution ACTIVE is running; otherwise a ControllerMode of
//     MANUAL, MANUAL_DATA_INPUT or EDIT (an operator at the panel) is setup;
//     anything else is idle. Without an Availability item, a machine whose
//     Execution is UNAVAILABLE or never reported is off too: nothing says it
//     is on.
//
// What is kept is state intervals (machine, state, start, end), never the
// raw samples; Intervals merges consecutive equal states.
//
// # SHDR recordings
//
// ParseSHDRLine reads one line of SHDR, the adapter-to-agent protocol:
// "timestamp|key|value|key|value…", with a timestamp in RFC 3339 (fractional
// seconds allowed; without a zone it is UTC, as the MTConnect agent takes
// it). Keys may carry a device, "device:key"; keys without one belong to
// the default device. A value of NORMAL, WARNING or FAULT makes the key a
// condition, which takes the next four fields too (native code, native
// severity, qualifier, message); UNAVAILABLE does so only when the field
// after it is empty, since an empty key is impossible ("ts|system|UNAVAILABLE||||").
// Lines starting with "*" are heartbeats (* PING, * PONG n) and protocol
// commands, asset commands (@ASSET@ …) are not observations, and a
// multi-line asset (--multiline--XXXX … --multiline--XXXX) is skipped whole.
// Blank lines and lines starting with "#" are skipped, so that a recording
// can carry comments.
//
// Replay folds a recording into a Report per device with the MTConnect
// rules. It knows the data items by their key, without the case:
//
//	avail, availability                          Availability
//	exec, execution                              Execution
//	estop, emergency_stop, emergencystop         EmergencyStop
//	mode, controller_mode, controllermode        ControllerMode
//	any key whose value is a condition level     a Condition
//
// Other keys are read and ignored. Each device's last state lasts until the
// recording's last timestamp.
//
// # Imports
//
// This package is pure computation: time comes from the samples, never
// from the wall clock. It must never import a package that does I/O (os,
// net, database drivers, sqlstore, http, mtconnect or sparkplug); readers
// take an io.Reader. It imports the root package for the message catalog
// and schedule for the shop calendar.
package telemetry
