-- Issue 12: search through a real index instead of scanning `items.search_text`.
--
-- `items.search_text` is the accent-folded text an item is found by (reference,
-- title, content, related units) and, from now on, the published answer's text:
-- the app rewrites it when it publishes an answer (`db::workflow::publication`).
-- Existing published answers are folded here, in SQL, the way
-- `domain::text::fold_for_search` folds (accented Latin letters to their base
-- letter, lower case, "đ" to "d").
CREATE TEMP TABLE answer_words AS
    SELECT items.id AS item_id, r.body_text AS words
    FROM items JOIN answer_revisions r ON r.id = items.published_revision_id;
-- In steps of 15 letters: one expression of 490 nested replace() calls is
-- deeper than older SQLite parsers accept.
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'À', 'a'), 'Á', 'a'), 'Â', 'a'), 'Ã', 'a'), 'Ä', 'a'), 'Å', 'a'), 'Ç', 'c'), 'È', 'e'), 'É', 'e'), 'Ê', 'e'), 'Ë', 'e'), 'Ì', 'i'), 'Í', 'i'), 'Î', 'i'), 'Ï', 'i');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'Ñ', 'n'), 'Ò', 'o'), 'Ó', 'o'), 'Ô', 'o'), 'Õ', 'o'), 'Ö', 'o'), 'Ù', 'u'), 'Ú', 'u'), 'Û', 'u'), 'Ü', 'u'), 'Ý', 'y'), 'à', 'a'), 'á', 'a'), 'â', 'a'), 'ã', 'a');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'ä', 'a'), 'å', 'a'), 'ç', 'c'), 'è', 'e'), 'é', 'e'), 'ê', 'e'), 'ë', 'e'), 'ì', 'i'), 'í', 'i'), 'î', 'i'), 'ï', 'i'), 'ñ', 'n'), 'ò', 'o'), 'ó', 'o'), 'ô', 'o');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'õ', 'o'), 'ö', 'o'), 'ù', 'u'), 'ú', 'u'), 'û', 'u'), 'ü', 'u'), 'ý', 'y'), 'ÿ', 'y'), 'Ā', 'a'), 'ā', 'a'), 'Ă', 'a'), 'ă', 'a'), 'Ą', 'a'), 'ą', 'a'), 'Ć', 'c');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'ć', 'c'), 'Ĉ', 'c'), 'ĉ', 'c'), 'Ċ', 'c'), 'ċ', 'c'), 'Č', 'c'), 'č', 'c'), 'Ď', 'd'), 'ď', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ē', 'e'), 'ē', 'e'), 'Ĕ', 'e'), 'ĕ', 'e');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'Ė', 'e'), 'ė', 'e'), 'Ę', 'e'), 'ę', 'e'), 'Ě', 'e'), 'ě', 'e'), 'Ĝ', 'g'), 'ĝ', 'g'), 'Ğ', 'g'), 'ğ', 'g'), 'Ġ', 'g'), 'ġ', 'g'), 'Ģ', 'g'), 'ģ', 'g'), 'Ĥ', 'h');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'ĥ', 'h'), 'Ĩ', 'i'), 'ĩ', 'i'), 'Ī', 'i'), 'ī', 'i'), 'Ĭ', 'i'), 'ĭ', 'i'), 'Į', 'i'), 'į', 'i'), 'İ', 'i'), 'Ĵ', 'j'), 'ĵ', 'j'), 'Ķ', 'k'), 'ķ', 'k'), 'Ĺ', 'l');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'ĺ', 'l'), 'Ļ', 'l'), 'ļ', 'l'), 'Ľ', 'l'), 'ľ', 'l'), 'Ń', 'n'), 'ń', 'n'), 'Ņ', 'n'), 'ņ', 'n'), 'Ň', 'n'), 'ň', 'n'), 'Ō', 'o'), 'ō', 'o'), 'Ŏ', 'o'), 'ŏ', 'o');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'Ő', 'o'), 'ő', 'o'), 'Ŕ', 'r'), 'ŕ', 'r'), 'Ŗ', 'r'), 'ŗ', 'r'), 'Ř', 'r'), 'ř', 'r'), 'Ś', 's'), 'ś', 's'), 'Ŝ', 's'), 'ŝ', 's'), 'Ş', 's'), 'ş', 's'), 'Š', 's');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'š', 's'), 'Ţ', 't'), 'ţ', 't'), 'Ť', 't'), 'ť', 't'), 'Ũ', 'u'), 'ũ', 'u'), 'Ū', 'u'), 'ū', 'u'), 'Ŭ', 'u'), 'ŭ', 'u'), 'Ů', 'u'), 'ů', 'u'), 'Ű', 'u'), 'ű', 'u');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'Ų', 'u'), 'ų', 'u'), 'Ŵ', 'w'), 'ŵ', 'w'), 'Ŷ', 'y'), 'ŷ', 'y'), 'Ÿ', 'y'), 'Ź', 'z'), 'ź', 'z'), 'Ż', 'z'), 'ż', 'z'), 'Ž', 'z'), 'ž', 'z'), 'Ơ', 'o'), 'ơ', 'o');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'Ư', 'u'), 'ư', 'u'), 'Ǎ', 'a'), 'ǎ', 'a'), 'Ǐ', 'i'), 'ǐ', 'i'), 'Ǒ', 'o'), 'ǒ', 'o'), 'Ǔ', 'u'), 'ǔ', 'u'), 'Ǖ', 'u'), 'ǖ', 'u'), 'Ǘ', 'u'), 'ǘ', 'u'), 'Ǚ', 'u');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'ǚ', 'u'), 'Ǜ', 'u'), 'ǜ', 'u'), 'Ǟ', 'a'), 'ǟ', 'a'), 'Ǡ', 'a'), 'ǡ', 'a'), 'Ǧ', 'g'), 'ǧ', 'g'), 'Ǩ', 'k'), 'ǩ', 'k'), 'Ǫ', 'o'), 'ǫ', 'o'), 'Ǭ', 'o'), 'ǭ', 'o');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'ǰ', 'j'), 'Ǵ', 'g'), 'ǵ', 'g'), 'Ǹ', 'n'), 'ǹ', 'n'), 'Ǻ', 'a'), 'ǻ', 'a'), 'Ȁ', 'a'), 'ȁ', 'a'), 'Ȃ', 'a'), 'ȃ', 'a'), 'Ȅ', 'e'), 'ȅ', 'e'), 'Ȇ', 'e'), 'ȇ', 'e');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'Ȉ', 'i'), 'ȉ', 'i'), 'Ȋ', 'i'), 'ȋ', 'i'), 'Ȍ', 'o'), 'ȍ', 'o'), 'Ȏ', 'o'), 'ȏ', 'o'), 'Ȑ', 'r'), 'ȑ', 'r'), 'Ȓ', 'r'), 'ȓ', 'r'), 'Ȕ', 'u'), 'ȕ', 'u'), 'Ȗ', 'u');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'ȗ', 'u'), 'Ș', 's'), 'ș', 's'), 'Ț', 't'), 'ț', 't'), 'Ȟ', 'h'), 'ȟ', 'h'), 'Ȧ', 'a'), 'ȧ', 'a'), 'Ȩ', 'e'), 'ȩ', 'e'), 'Ȫ', 'o'), 'ȫ', 'o'), 'Ȭ', 'o'), 'ȭ', 'o');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'Ȯ', 'o'), 'ȯ', 'o'), 'Ȱ', 'o'), 'ȱ', 'o'), 'Ȳ', 'y'), 'ȳ', 'y'), 'Ḁ', 'a'), 'ḁ', 'a'), 'Ḃ', 'b'), 'ḃ', 'b'), 'Ḅ', 'b'), 'ḅ', 'b'), 'Ḇ', 'b'), 'ḇ', 'b'), 'Ḉ', 'c');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'ḉ', 'c'), 'Ḋ', 'd'), 'ḋ', 'd'), 'Ḍ', 'd'), 'ḍ', 'd'), 'Ḏ', 'd'), 'ḏ', 'd'), 'Ḑ', 'd'), 'ḑ', 'd'), 'Ḓ', 'd'), 'ḓ', 'd'), 'Ḕ', 'e'), 'ḕ', 'e'), 'Ḗ', 'e'), 'ḗ', 'e');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'Ḙ', 'e'), 'ḙ', 'e'), 'Ḛ', 'e'), 'ḛ', 'e'), 'Ḝ', 'e'), 'ḝ', 'e'), 'Ḟ', 'f'), 'ḟ', 'f'), 'Ḡ', 'g'), 'ḡ', 'g'), 'Ḣ', 'h'), 'ḣ', 'h'), 'Ḥ', 'h'), 'ḥ', 'h'), 'Ḧ', 'h');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'ḧ', 'h'), 'Ḩ', 'h'), 'ḩ', 'h'), 'Ḫ', 'h'), 'ḫ', 'h'), 'Ḭ', 'i'), 'ḭ', 'i'), 'Ḯ', 'i'), 'ḯ', 'i'), 'Ḱ', 'k'), 'ḱ', 'k'), 'Ḳ', 'k'), 'ḳ', 'k'), 'Ḵ', 'k'), 'ḵ', 'k');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'Ḷ', 'l'), 'ḷ', 'l'), 'Ḹ', 'l'), 'ḹ', 'l'), 'Ḻ', 'l'), 'ḻ', 'l'), 'Ḽ', 'l'), 'ḽ', 'l'), 'Ḿ', 'm'), 'ḿ', 'm'), 'Ṁ', 'm'), 'ṁ', 'm'), 'Ṃ', 'm'), 'ṃ', 'm'), 'Ṅ', 'n');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'ṅ', 'n'), 'Ṇ', 'n'), 'ṇ', 'n'), 'Ṉ', 'n'), 'ṉ', 'n'), 'Ṋ', 'n'), 'ṋ', 'n'), 'Ṍ', 'o'), 'ṍ', 'o'), 'Ṏ', 'o'), 'ṏ', 'o'), 'Ṑ', 'o'), 'ṑ', 'o'), 'Ṓ', 'o'), 'ṓ', 'o');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'Ṕ', 'p'), 'ṕ', 'p'), 'Ṗ', 'p'), 'ṗ', 'p'), 'Ṙ', 'r'), 'ṙ', 'r'), 'Ṛ', 'r'), 'ṛ', 'r'), 'Ṝ', 'r'), 'ṝ', 'r'), 'Ṟ', 'r'), 'ṟ', 'r'), 'Ṡ', 's'), 'ṡ', 's'), 'Ṣ', 's');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'ṣ', 's'), 'Ṥ', 's'), 'ṥ', 's'), 'Ṧ', 's'), 'ṧ', 's'), 'Ṩ', 's'), 'ṩ', 's'), 'Ṫ', 't'), 'ṫ', 't'), 'Ṭ', 't'), 'ṭ', 't'), 'Ṯ', 't'), 'ṯ', 't'), 'Ṱ', 't'), 'ṱ', 't');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'Ṳ', 'u'), 'ṳ', 'u'), 'Ṵ', 'u'), 'ṵ', 'u'), 'Ṷ', 'u'), 'ṷ', 'u'), 'Ṹ', 'u'), 'ṹ', 'u'), 'Ṻ', 'u'), 'ṻ', 'u'), 'Ṽ', 'v'), 'ṽ', 'v'), 'Ṿ', 'v'), 'ṿ', 'v'), 'Ẁ', 'w');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'ẁ', 'w'), 'Ẃ', 'w'), 'ẃ', 'w'), 'Ẅ', 'w'), 'ẅ', 'w'), 'Ẇ', 'w'), 'ẇ', 'w'), 'Ẉ', 'w'), 'ẉ', 'w'), 'Ẋ', 'x'), 'ẋ', 'x'), 'Ẍ', 'x'), 'ẍ', 'x'), 'Ẏ', 'y'), 'ẏ', 'y');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'Ẑ', 'z'), 'ẑ', 'z'), 'Ẓ', 'z'), 'ẓ', 'z'), 'Ẕ', 'z'), 'ẕ', 'z'), 'ẖ', 'h'), 'ẗ', 't'), 'ẘ', 'w'), 'ẙ', 'y'), 'Ạ', 'a'), 'ạ', 'a'), 'Ả', 'a'), 'ả', 'a'), 'Ấ', 'a');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'ấ', 'a'), 'Ầ', 'a'), 'ầ', 'a'), 'Ẩ', 'a'), 'ẩ', 'a'), 'Ẫ', 'a'), 'ẫ', 'a'), 'Ậ', 'a'), 'ậ', 'a'), 'Ắ', 'a'), 'ắ', 'a'), 'Ằ', 'a'), 'ằ', 'a'), 'Ẳ', 'a'), 'ẳ', 'a');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'Ẵ', 'a'), 'ẵ', 'a'), 'Ặ', 'a'), 'ặ', 'a'), 'Ẹ', 'e'), 'ẹ', 'e'), 'Ẻ', 'e'), 'ẻ', 'e'), 'Ẽ', 'e'), 'ẽ', 'e'), 'Ế', 'e'), 'ế', 'e'), 'Ề', 'e'), 'ề', 'e'), 'Ể', 'e');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'ể', 'e'), 'Ễ', 'e'), 'ễ', 'e'), 'Ệ', 'e'), 'ệ', 'e'), 'Ỉ', 'i'), 'ỉ', 'i'), 'Ị', 'i'), 'ị', 'i'), 'Ọ', 'o'), 'ọ', 'o'), 'Ỏ', 'o'), 'ỏ', 'o'), 'Ố', 'o'), 'ố', 'o');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'Ồ', 'o'), 'ồ', 'o'), 'Ổ', 'o'), 'ổ', 'o'), 'Ỗ', 'o'), 'ỗ', 'o'), 'Ộ', 'o'), 'ộ', 'o'), 'Ớ', 'o'), 'ớ', 'o'), 'Ờ', 'o'), 'ờ', 'o'), 'Ở', 'o'), 'ở', 'o'), 'Ỡ', 'o');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'ỡ', 'o'), 'Ợ', 'o'), 'ợ', 'o'), 'Ụ', 'u'), 'ụ', 'u'), 'Ủ', 'u'), 'ủ', 'u'), 'Ứ', 'u'), 'ứ', 'u'), 'Ừ', 'u'), 'ừ', 'u'), 'Ử', 'u'), 'ử', 'u'), 'Ữ', 'u'), 'ữ', 'u');
UPDATE answer_words SET words = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(words, 'Ự', 'u'), 'ự', 'u'), 'Ỳ', 'y'), 'ỳ', 'y'), 'Ỵ', 'y'), 'ỵ', 'y'), 'Ỷ', 'y'), 'ỷ', 'y'), 'Ỹ', 'y'), 'ỹ', 'y');
UPDATE items SET search_text = search_text || ' ' || (
    SELECT lower(words) FROM answer_words WHERE answer_words.item_id = items.id
) WHERE id IN (SELECT item_id FROM answer_words);
DROP TABLE answer_words;

-- An FTS5 index over that column. External content: the text lives once, in
-- `items`; the index holds only its terms. Kept in step by triggers, because an
-- external-content index must be told the OLD text to forget a row, which a
-- trigger has at hand, and because every writer of `search_text` (the app, a
-- later migration, an operator's UPDATE) then keeps it current without knowing it.
CREATE VIRTUAL TABLE items_search USING fts5(search_text, content='items', content_rowid='id');

CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_search(rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN
    INSERT INTO items_search(items_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
END;

CREATE TRIGGER items_search_update AFTER UPDATE OF search_text ON items BEGIN
    INSERT INTO items_search(items_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    INSERT INTO items_search(rowid, search_text) VALUES (new.id, new.search_text);
END;

-- Fill the index from the existing rows.
INSERT INTO items_search(items_search) VALUES ('rebuild');
