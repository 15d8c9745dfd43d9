DROP INDEX items_report;
