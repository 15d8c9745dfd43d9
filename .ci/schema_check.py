"""Fails when `src/db/schema.rs` and the migrated databases disagree.

Usage: schema_check.py SCHEMA_RS ENGINE=PRINTED [ENGINE=PRINTED ...]

SCHEMA_RS is the hand-kept schema; each PRINTED file is `diesel print-schema` of a
database freshly migrated from that engine's folder (`sqlite=…`, `postgres=…`).

The portable parts must match: the set of tables, each table's primary key, and each
column's name, type and nullability. Engine spellings of one type are folded first
(`Int4` and `Integer` are both `Integer`, `Int8` is `BigInt`, …), and a primary
key column is not null even where diesel prints SQLite's as nullable; a type outside
the portable set (`Timestamptz`, `Varchar`, …) is left as it is, so it shows up as a
difference. Column order, comments, `joinable!` and `allow_tables_to_appear_in_same_query!`
are not compared with schema.rs (diesel prints a `joinable!` only when two tables
have exactly one foreign key between them; schema.rs may name more). Where the
engines' `joinable!` lines differ, a note says so without failing: a foreign key in
one folder only may be deliberate (SQLite cannot drop a column that has one).

Prints a unified diff of the folded schemas for every disagreement and exits 1.
"""
import difflib
import re
import sys

# Engine spellings -> the portable name schema.rs uses.
CANONICAL = {
    "Integer": "Integer",
    "Int4": "Integer",
    "SmallInt": "SmallInt",
    "Int2": "SmallInt",
    "BigInt": "BigInt",
    "Int8": "BigInt",
    "Float": "Float",
    "Float4": "Float",
    "Double": "Double",
    "Float8": "Double",
    "Bool": "Bool",
    "Text": "Text",
    "Timestamp": "Timestamp",
    "Date": "Date",
    "Time": "Time",
    "Binary": "Binary",
    "Bytea": "Binary",
    "Numeric": "Numeric",
    "Decimal": "Numeric",
}

TABLE_MACRO = re.compile(r"\btable!\s*\{")
HEADER = re.compile(r"^\s*(?:\w+\.)?(?:r#)?(\w+)\s*\(([^)]*)\)\s*\{")
COLUMN = re.compile(r"^\s*(?:r#)?(\w+)\s*->\s*([^,]+?)\s*,?\s*$")
JOINABLE = re.compile(r"\bjoinable!\s*\(\s*(\w+)\s*->\s*(\w+)\s*\(\s*(\w+)\s*\)\s*\)")

# SQLite full-text (FTS5) indexes: the virtual table and the shadow tables FTS5
# keeps beside it are index structures, not data diesel reads (they are queried
# with `sql_query`), so schema.rs leaves them out and the check ignores them.
FTS5_INDEXES = {"items_search"}
FTS5_SHADOWS = ("", "_data", "_idx", "_docsize", "_config", "_content")


def without_fts5_indexes(tables):
    """Drops the FTS5 index tables of `FTS5_INDEXES` from a printed schema."""
    hidden = {index + suffix for index in FTS5_INDEXES for suffix in FTS5_SHADOWS}
    return {name: table for name, table in tables.items() if name not in hidden}


def fold_type(text):
    """`Nullable<Int4>` -> `Nullable<Integer>`; paths such as `sql_types::` dropped."""
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(?:\w+::)+", "", text)
    return re.sub(r"\w+", lambda m: CANONICAL.get(m.group(0), m.group(0)), text)


def block_after(source, start):
    """The text between the `{` at `start - 1` and its matching `}`."""
    depth = 1
    for index in range(start, len(source)):
        if source[index] == "{":
            depth += 1
        elif source[index] == "}":
            depth -= 1
            if depth == 0:
                return source[start:index]
    raise ValueError("unbalanced braces in a table! block")


def parse(path):
    """Returns ({table: (primary_key, {column: folded_type})}, {joinable lines})."""
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    tables = {}
    for match in TABLE_MACRO.finditer(source):
        body = block_after(source, match.end())
        lines = [
            line
            for line in body.splitlines()
            if line.strip() and not line.strip().startswith(("//", "#[", "use "))
        ]
        header = HEADER.match(lines[0]) if lines else None
        if header is None:
            raise ValueError(f"{path}: cannot read the table! header in {body[:80]!r}")
        name = header.group(1)
        primary_key = tuple(part.strip().removeprefix("r#") for part in header.group(2).split(","))
        columns = {}
        for line in lines[1:]:
            column = COLUMN.match(line)
            if column:
                columns[column.group(1)] = fold_type(column.group(2))
        if name in tables:
            raise ValueError(f"{path}: table {name} defined twice")
        tables[name] = (primary_key, columns)
    if not tables:
        raise ValueError(f"{path}: no table! blocks found")
    joinables = {" ".join(m.groups()) for m in JOINABLE.finditer(source)}
    return tables, joinables


def primary_keys_not_null(tables):
    """Drops `Nullable` from primary key columns of a printed schema.

    diesel prints a SQLite primary key declared without NOT NULL as nullable. An
    `INTEGER PRIMARY KEY` is the rowid and can never be NULL; a text primary key can
    hold NULL in SQLite (a legacy quirk; declare it NOT NULL in new tables), but the
    desk never writes one, and PostgreSQL refuses it anyway.
    """
    for primary_key, columns in tables.values():
        for column in primary_key:
            kind = columns.get(column, "")
            if kind.startswith("Nullable<") and kind.endswith(">"):
                columns[column] = kind[len("Nullable<"):-1]
    return tables


def render(tables):
    """One line per fact, sorted, so that a diff names exactly what differs."""
    lines = []
    for name in sorted(tables):
        primary_key, columns = tables[name]
        lines.append(f"{name} ({', '.join(primary_key)})")
        lines.extend(f"{name}.{column} -> {columns[column]}" for column in sorted(columns))
    return lines


def main(argv):
    if len(argv) < 3 or any("=" not in arg for arg in argv[2:]):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    schema_path = argv[1]
    expected_tables, _ = parse(schema_path)
    expected = render(expected_tables)
    engines = [arg.split("=", 1) for arg in argv[2:]]
    failed = False
    printed_joinables = {}
    for engine, printed_path in engines:
        tables, joinables = parse(printed_path)
        tables = primary_keys_not_null(without_fts5_indexes(tables))
        printed_joinables[engine] = joinables
        actual = render(tables)
        if actual == expected:
            print(f"{engine}: {len(tables)} tables, {sum(len(c) for _, c in tables.values())} columns, as in {schema_path}.")
            continue
        failed = True
        print(f"{engine}: the migrated database differs from {schema_path} (- schema.rs, + {engine}):")
        for line in difflib.unified_diff(expected, actual, schema_path, f"{engine} ({printed_path})", n=1, lineterm=""):
            print("  " + line)
    # The engines' foreign keys, as far as diesel prints them: a note, not a failure.
    names = list(printed_joinables)
    for other in names[1:]:
        first, second = printed_joinables[names[0]], printed_joinables[other]
        if first != second:
            print(f"Note: joinable! differs between {names[0]} and {other} (a foreign key in one folder only; deliberate?):")
            for line in sorted(first - second):
                print(f"  only {names[0]}: {line}")
            for line in sorted(second - first):
                print(f"  only {other}: {line}")
    if failed:
        print("Schema check FAILED: change the migrations or src/db/schema.rs so they agree (docs/database.md).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
