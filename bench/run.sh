#!/usr/bin/env bash
# Load test of the lists against a release build: a body's queue with 100 items and
# with 100,000 items, on SQLite. Sends traffic only to 127.0.0.1, stops by itself.
# Needs: wrk, sqlite3, curl (Debian packages). Usage: bash bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

port=${BENCH_PORT:-8090}
duration=${BENCH_SECONDS:-15}
connections=${BENCH_CONNECTIONS:-16}
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

cargo build --release --quiet
db="$work/bench.sqlite3"
password="bench-password-2023"

start_server() {
    DATABASE_URL="$db" BIND_ADDR="127.0.0.1:$port" DEMO_PASSWORD="$password" RUST_LOG=warn \
        ./target/release/dialogue-desk serve > "$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/login" -o /dev/null && return; sleep 0.2; done
    echo "server did not start" >&2; cat "$work/server.log" >&2; exit 1
}

# Logs in as the Organizing Committee's drafter; prints the cookie header.
login() {
    local jar="$work/jar"
    rm -f "$jar"
    local token
    token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" \
        | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
    curl -s -c "$jar" -b "$jar" -o /dev/null \
        --data-urlencode "csrf_token=$token" --data-urlencode "email=chuyenvien@demo.vn" \
        --data-urlencode "password=$password" "http://127.0.0.1:$port/login"
    printf 'Cookie: session=%s' "$(awk '$6 == "session" {print $7}' "$jar")"
}

measure() {
    local label=$1 path=$2 cookie=$3
    echo "## $label: GET $path"
    wrk -t2 -c"$connections" -d"${duration}s" --latency -H "$cookie" "http://127.0.0.1:$port$path" \
        | grep -E "Requests/sec|Latency  |50%|99%|Non-2xx"
}

start_server
cookie=$(login)
small=$(sqlite3 "$db" "SELECT count(*) FROM items")
measure "queue with $small items in the database" "/queue" "$cookie"
measure "login page (anonymous)" "/login" ""

# Grow the database to 100,000 items led by the same body, straight in SQL.
kill "$server"; wait "$server" 2>/dev/null || true
sqlite3 "$db" <<'SQL'
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000 - (SELECT count(*) FROM items))
INSERT INTO items (conference_id, reference_number, reference, delegate_id, submission_token, title, content,
                   field_id, related_units, status, lead_body_id, submitted_at, deadline, updated_at, search_text)
SELECT 1, 1000 + i, 'KN-2023-B' || i, (SELECT id FROM users WHERE role = 'delegate' LIMIT 1), 'bench-' || i,
       'Kiến nghị thử tải số ' || i, 'Nội dung thử tải.', (SELECT id FROM fields WHERE code = 'to-chuc-can-bo'), '',
       CASE i % 4 WHEN 0 THEN 'routed' WHEN 1 THEN 'drafting' WHEN 2 THEN 'in_review' ELSE 'published' END,
       (SELECT id FROM bodies WHERE code = 'TCTU'), datetime('now', '-' || (i % 60) || ' days'),
       datetime('now', '+' || (i % 90) || ' days'), datetime('now'), 'kien nghi thu tai so ' || i
FROM n;
SQL
big=$(sqlite3 "$db" "SELECT count(*) FROM items")
start_server
cookie=$(login)
measure "queue with $big items in the database, first page" "/queue" "$cookie"
measure "queue with $big items, page 2000" "/queue?page=2000" "$cookie"
measure "queue with $big items, filtered by status" "/queue?status=in_review" "$cookie"
