DROP TABLE commitment_events;
