#!/usr/bin/env bash
# Issue 11's speed: the dashboard, a year's periodic report, the thematic report and
# the streamed export of every item, on SQLite with 100,000 items, against a
# release build. Sends traffic only to 127.0.0.1 and stops by itself.
# Needs: wrk, sqlite3, curl (Debian packages). Usage: bash bench/reports.sh
# BENCH_SECONDS (default 10) and BENCH_CONNECTIONS (default 4: a handful of
# coordinators and leaders reading reports at once) tune the load.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${BENCH_PORT:-8092}
duration=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-4}
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

cargo build --release --quiet
db="$work/bench.sqlite3"
password="bench-password-2023"

start_server() {
    DATABASE_URL="$db" BIND_ADDR="127.0.0.1:$port" DEMO_PASSWORD="$password" RUST_LOG=warn \
        DIGEST_INTERVAL_SECONDS=0 ./target/release/dialogue-desk serve > "$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/login" -o /dev/null && return; sleep 0.2; done
    echo "server did not start" >&2; cat "$work/server.log" >&2; exit 1
}

# Logs in as the demo coordinator; prints the cookie header.
login() {
    local jar="$work/jar"
    rm -f "$jar"
    local token
    token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" \
        | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
    curl -s -c "$jar" -b "$jar" -o /dev/null \
        --data-urlencode "csrf_token=$token" --data-urlencode "email=dieuphoi@demo.vn" \
        --data-urlencode "password=$password" "http://127.0.0.1:$port/login"
    printf 'Cookie: session=%s' "$(awk '$6 == "session" {print $7}' "$jar")"
}

# One request alone, five times: the slowest and the fastest in seconds.
alone() {
    local label=$1 path=$2 cookie=$3 times=()
    for _ in 1 2 3 4 5; do
        times+=("$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "$cookie" "http://127.0.0.1:$port$path")")
    done
    echo "## $label: GET $path alone (status seconds), 5 times: ${times[*]}"
}

measure() {
    local label=$1 path=$2 cookie=$3
    echo "## $label: GET $path, $connections connections for ${duration}s"
    wrk -t2 -c"$connections" -d"${duration}s" --latency -H "$cookie" "http://127.0.0.1:$port$path" \
        | grep -E "Requests/sec|Latency  |50%|99%|Non-2xx"
}

peak_memory() { grep VmHWM "/proc/$server/status" | awk '{print $2 / 1024 " MiB"}'; }

# A new database with the demo data, then grown to 100,000 items over a year of
# the 2023 conference, straight in SQL with the server stopped: every field and
# body, every state, answered and resolved ones with outcomes and ratings, 20,000
# commitments.
start_server
kill "$server"; wait "$server" 2>/dev/null || true
sqlite3 "$db" <<'SQL'
CREATE TEMP TABLE field_order AS
    SELECT row_number() OVER (ORDER BY f.id) - 1 AS k, f.id AS field_id,
           COALESCE(f.lead_body_id, (SELECT id FROM bodies WHERE code = 'DUK')) AS body_id
    FROM fields f;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000 - (SELECT count(*) FROM items)),
rows AS (
    SELECT i, datetime('2023-05-11 02:00:00', '+' || (i % 365) || ' days') AS submitted,
           CASE i % 10 WHEN 0 THEN 'routed' WHEN 1 THEN 'drafting' WHEN 2 THEN 'in_review'
                       WHEN 3 THEN 'approved' WHEN 7 THEN 'done' WHEN 8 THEN 'done'
                       WHEN 9 THEN 'withdrawn' ELSE 'published' END AS status,
           (SELECT field_id FROM field_order WHERE k = i % (SELECT count(*) FROM field_order)) AS field_id,
           (SELECT body_id FROM field_order WHERE k = i % (SELECT count(*) FROM field_order)) AS body_id
    FROM n
)
INSERT INTO items (conference_id, reference_number, reference, delegate_id, submission_token, title, content,
                   field_id, related_units, status, lead_body_id, submitted_at, deadline, original_deadline,
                   next_due_at, published_at, updated_at, outcome, resolved_at, satisfaction,
                   result_satisfaction, search_text)
SELECT 1, 100000 + i, 'KN-2023-R' || i, (SELECT id FROM users WHERE role = 'delegate' LIMIT 1), 'bench-r' || i,
       'Kiến nghị về cán bộ số ' || i, 'Nội dung thử tải báo cáo.', field_id, '', status, body_id,
       submitted, datetime(submitted, '+20 days'), datetime(submitted, '+20 days'),
       CASE WHEN status IN ('routed', 'drafting', 'in_review', 'approved') THEN datetime(submitted, '+20 days') END,
       CASE WHEN status IN ('published', 'done') THEN datetime(submitted, '+' || (i % 30) || ' days') END,
       submitted,
       CASE WHEN status IN ('published', 'done') THEN
            CASE i % 4 WHEN 0 THEN 'accepted' WHEN 1 THEN 'explained' WHEN 2 THEN 'not_accepted' ELSE 'forwarded' END END,
       CASE WHEN status = 'done' THEN datetime(submitted, '+' || (30 + i % 40) || ' days') END,
       CASE WHEN status IN ('published', 'done') THEN
            CASE i % 3 WHEN 0 THEN 'satisfied' WHEN 1 THEN 'partly' ELSE 'not_satisfied' END END,
       CASE WHEN status = 'done' AND i % 2 = 0 THEN 'satisfied' END,
       'kien nghi ve can bo so ' || i
FROM rows;
INSERT INTO commitments (conference_id, item_id, description, owner_body_id, due_working_days, due_at,
                         progress, created_by, created_at, updated_at, closed_at)
SELECT 1, id, 'Cam kết thử tải', lead_body_id, 20, datetime(published_at, '+28 days'),
       CASE id % 4 WHEN 0 THEN 'done' WHEN 1 THEN 'cannot_be_done' WHEN 2 THEN 'in_progress' ELSE 'not_started' END,
       (SELECT id FROM users WHERE role = 'coordinator' LIMIT 1), published_at, published_at,
       CASE WHEN id % 4 IN (0, 1) THEN datetime(published_at, '+10 days') END
FROM items WHERE outcome = 'accepted' LIMIT 20000;
ANALYZE;
SQL
echo "items: $(sqlite3 "$db" "SELECT count(*) FROM items"), commitments: $(sqlite3 "$db" "SELECT count(*) FROM commitments")"

start_server
cookie=$(login)
alone "dashboard, all conferences" "/dashboard" "$cookie"
alone "periodic report, the year 2023" "/reports/periodic?period=year&year=2023&conference=" "$cookie"
alone "periodic report as a workbook" "/reports/periodic?period=year&year=2023&conference=&format=xlsx" "$cookie"
alone "thematic report, one field" "/reports/thematic?field=1&q=&conference=" "$cookie"
measure "dashboard" "/dashboard" "$cookie"
measure "periodic report of a quarter" "/reports/periodic?period=q1&year=2024&conference=" "$cookie"
echo "## server peak memory before the export: $(peak_memory)"
echo "## every item as CSV: GET /items?format=csv (status seconds bytes):" \
    "$(curl -s -o /dev/null -w '%{http_code} %{time_total} %{size_download}' -H "$cookie" "http://127.0.0.1:$port/items?format=csv")"
echo "## every item as a workbook: GET /items?format=xlsx (status seconds bytes):" \
    "$(curl -s -o /dev/null -w '%{http_code} %{time_total} %{size_download}' -H "$cookie" "http://127.0.0.1:$port/items?format=xlsx")"
echo "## server peak memory after both exports: $(peak_memory)"
