-- The machine a shop runs a step on: chosen, optionally, when a lot is
-- started on its traveler, kept on the lot event of the start and on the
-- work order (the machine running it now). A work order in progress whose
-- machine's open state interval is an alarm is at risk, and so are its
-- order and the lot at its step: computed when read, never stored.

ALTER TABLE work_orders ADD COLUMN machine_id INTEGER REFERENCES machines (id) ON DELETE SET NULL;
ALTER TABLE lot_events ADD COLUMN machine_id INTEGER REFERENCES machines (id) ON DELETE SET NULL;

CREATE INDEX work_orders_machine ON work_orders (machine_id, status);
CREATE INDEX lot_events_machine ON lot_events (machine_id);
