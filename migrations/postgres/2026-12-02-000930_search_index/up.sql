-- Issue 12: search through a real index instead of scanning `items.search_text`.
--
-- `items.search_text` is the accent-folded text an item is found by (reference,
-- title, content, related units) and, from now on, the published answer's text:
-- the app rewrites it when it publishes an answer (`db::workflow::publication`).
-- Existing published answers are folded here, in SQL, the way
-- `domain::text::fold_for_search` folds (accented Latin letters to their base
-- letter, lower case, "đ" to "d").
UPDATE items SET search_text = items.search_text || ' ' || lower(translate(r.body_text, 'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ', 'aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyaabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwyaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy'))
FROM answer_revisions r WHERE r.id = items.published_revision_id;

-- A GIN index over the words of that column, built-in full text with the
-- `simple` configuration (no stemming, no stop words: the text is already folded
-- and Vietnamese has no stems). An expression index needs no trigger: PostgreSQL
-- keeps it in step with every write of `search_text`. (`pg_trgm` would need a
-- superuser to create the extension; this needs nothing beyond the table's owner.)
-- Punctuation becomes spaces first, so that a reference such as "kn-2026-0042"
-- gives the words "kn", "2026", "0042" (the `simple` parser alone would index
-- "-2026" and "abc.def" as single tokens); `db::search` queries this very
-- expression, and the two must stay identical for the index to be used.
CREATE INDEX items_search_words ON items
    USING GIN (to_tsvector('simple', regexp_replace(search_text, '[^[:alnum:]]+', ' ', 'g')));
