DROP INDEX items_search_words;
