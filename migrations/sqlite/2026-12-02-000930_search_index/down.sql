DROP TRIGGER items_search_update;
DROP TRIGGER items_search_delete;
DROP TRIGGER items_search_insert;
DROP TABLE items_search;
