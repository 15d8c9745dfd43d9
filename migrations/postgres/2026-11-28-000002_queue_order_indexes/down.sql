DROP INDEX items_deadline;
DROP INDEX items_body_deadline;
