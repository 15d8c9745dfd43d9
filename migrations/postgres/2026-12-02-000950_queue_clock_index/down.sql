DROP INDEX items_body_clock;
