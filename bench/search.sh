#!/usr/bin/env bash
# Search at 100,000 items (issue 12): grows a demo SQLite database to 100,000 items
# with varied titles, then measures `GET /queue?q=…` (a body's drafter) and
# `GET /items?q=…` (a coordinator) with wrk and prints requests/s, p50 and p99 of
# each. Sends traffic only to 127.0.0.1, stops by itself.
# Needs: wrk, sqlite3, curl (Debian packages).
# Usage: bash bench/search.sh
#   BENCH_SECONDS (default 15) per measure, BENCH_CONNECTIONS (default 32),
#   BENCH_ITEMS (default 100000), BENCH_PORT (default 8091),
#   BENCH_PROFILE=debug to run target/debug (only to check the script; numbers
#   are meaningful only from the default release build on a quiet machine),
#   BENCH_BUILD=0 to use the binary as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${BENCH_PORT:-8091}
duration=${BENCH_SECONDS:-15}
connections=${BENCH_CONNECTIONS:-32}
target_items=${BENCH_ITEMS:-100000}
profile=${BENCH_PROFILE:-release}
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

if [ "${BENCH_BUILD:-1}" = 1 ]; then
    if [ "$profile" = release ]; then cargo build --release --quiet; else cargo build --quiet; fi
fi
binary=./target/$profile/dialogue-desk
db="$work/bench.sqlite3"
password="bench-password-2023"

start_server() {
    DATABASE_URL="$db" BIND_ADDR="127.0.0.1:$port" DEMO_PASSWORD="$password" RUST_LOG=warn \
        "$binary" serve > "$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/login" -o /dev/null && return; sleep 0.2; done
    echo "server did not start" >&2; cat "$work/server.log" >&2; exit 1
}

stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; }

# Logs in as `$1`; prints the cookie header.
login() {
    local jar="$work/jar"
    rm -f "$jar"
    local token
    token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" \
        | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
    curl -s -c "$jar" -b "$jar" -o /dev/null \
        --data-urlencode "csrf_token=$token" --data-urlencode "email=$1" \
        --data-urlencode "password=$password" "http://127.0.0.1:$port/login"
    printf 'Cookie: session=%s' "$(awk '$6 == "session" {print $7}' "$jar")"
}

# Prints one line: label, requests/s, p50, p99, non-2xx count.
measure() {
    local label=$1 path=$2 cookie=$3 out
    # Once by hand first: a page that does not answer 200 is a broken measure.
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "$cookie" "http://127.0.0.1:$port$path")
    [ "$code" = 200 ] || { echo "GET $path answered $code" >&2; exit 1; }
    out=$(wrk -t2 -c"$connections" -d"${duration}s" --timeout 10s --latency -H "$cookie" "http://127.0.0.1:$port$path")
    printf '| %-44s | %9s | %9s | %9s | %s |\n' "$label" \
        "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
        "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
        "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
        "$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
}

# The demo database (seeded at first start), then stopped to grow it.
start_server
stop_server

# Grow to $target_items items led by the Organizing Committee (TCTU), with titles
# and contents drawn from 20 topics, so that a topic's words match 1 item in 20
# and a number matches one item. `search_text` is what the app would write (the
# folded reference, title, content); the FTS5 index follows by its triggers.
sqlite3 "$db" <<SQL
CREATE TEMP TABLE topic(k INTEGER PRIMARY KEY, title TEXT, folded TEXT);
INSERT INTO topic VALUES
 (0,'Chuyển đổi số trong cơ quan Đảng','chuyen doi so trong co quan dang'),
 (1,'Bố trí cán bộ trẻ về cơ sở','bo tri can bo tre ve co so'),
 (2,'Cải cách thủ tục hành chính','cai cach thu tuc hanh chinh'),
 (3,'Đào tạo, bồi dưỡng cán bộ','dao tao, boi duong can bo'),
 (4,'Thu hút đầu tư vào khu kinh tế','thu hut dau tu vao khu kinh te'),
 (5,'Giải phóng mặt bằng dự án giao thông','giai phong mat bang du an giao thong'),
 (6,'Chế độ cho cán bộ không chuyên trách','che do cho can bo khong chuyen trach'),
 (7,'Sắp xếp đơn vị hành chính cấp xã','sap xep don vi hanh chinh cap xa'),
 (8,'Công tác tuyên truyền trên mạng xã hội','cong tac tuyen truyen tren mang xa hoi'),
 (9,'Bảo vệ nền tảng tư tưởng của Đảng','bao ve nen tang tu tuong cua dang'),
 (10,'Phát triển du lịch miền Tây','phat trien du lich mien tay'),
 (11,'Nước sạch cho vùng cao','nuoc sach cho vung cao'),
 (12,'Nhà ở xã hội cho công nhân','nha o xa hoi cho cong nhan'),
 (13,'Quy hoạch vùng nguyên liệu','quy hoach vung nguyen lieu'),
 (14,'Kiểm tra, giám sát đảng viên','kiem tra, giam sat dang vien'),
 (15,'Luân chuyển cán bộ lãnh đạo','luan chuyen can bo lanh dao'),
 (16,'Hỗ trợ doanh nghiệp nhỏ và vừa','ho tro doanh nghiep nho va vua'),
 (17,'Xây dựng nông thôn mới nâng cao','xay dung nong thon moi nang cao'),
 (18,'Y tế cơ sở và bác sĩ gia đình','y te co so va bac si gia dinh'),
 (19,'Giáo dục nghề nghiệp cho thanh niên','giao duc nghe nghiep cho thanh nien');
WITH RECURSIVE n(i) AS (
    SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $target_items - (SELECT count(*) FROM items))
INSERT INTO items (conference_id, reference_number, reference, delegate_id, submission_token, title,
                   content, field_id, related_units, status, lead_body_id, submitted_at, deadline,
                   original_deadline, updated_at, search_text)
SELECT (SELECT min(id) FROM conferences), 100000 + i, 'KN-2023-S' || i,
       (SELECT id FROM users WHERE role = 'delegate' LIMIT 1), 'bench-search-' || i,
       t.title || ' (số ' || i || ')', 'Đề nghị số ' || i || ' về ' || t.title || '.',
       (SELECT id FROM fields WHERE code = 'to-chuc-can-bo'), '',
       CASE i % 3 WHEN 0 THEN 'routed' WHEN 1 THEN 'drafting' ELSE 'in_review' END,
       (SELECT id FROM bodies WHERE code = 'TCTU'), datetime('now', '-' || (i % 60) || ' days'),
       datetime('now', '+' || (i % 90) || ' days'), datetime('now', '+' || (i % 90) || ' days'),
       datetime('now'),
       'kn-2023-s' || i || ' ' || t.folded || ' (so ' || i || ') de nghi so ' || i || ' ve ' || t.folded || '.'
FROM n JOIN topic t ON t.k = n.i % 20;
ANALYZE;
SQL
items=$(sqlite3 "$db" "SELECT count(*) FROM items")
indexed=$(sqlite3 "$db" "SELECT count(*) FROM items_search WHERE items_search MATCH '\"chuyen\"* \"doi\"* \"so\"*'")

start_server
drafter=$(login chuyenvien@demo.vn)
coordinator=$(login dieuphoi@demo.vn)
echo "# search at $items items ($indexed match \"chuyen doi so\"), $connections connections, ${duration}s each, $profile build"
echo
printf '| %-44s | %9s | %9s | %9s | %s |\n' "request" "req/s" "p50" "p99" "non-2xx"
printf '| %-44s | %9s | %9s | %9s | %s |\n' "---" "---:" "---:" "---:" "---:"
measure "drafter: GET /queue (no search, baseline)" "/queue" "$drafter"
measure "drafter: GET /queue?q=one number" "/queue?q=so+4242" "$drafter"
measure "drafter: GET /queue?q=a topic (1 in 20)" "/queue?q=chuyen+doi+so" "$drafter"
measure "drafter: GET /queue?q=a prefix (can b)" "/queue?q=can+b" "$drafter"
measure "coordinator: GET /items?q=one reference" "/items?q=KN-2023-S4242" "$coordinator"
measure "coordinator: GET /items?q=a topic (1 in 20)" "/items?q=c%C3%A1n+b%E1%BB%99+tr%E1%BA%BB" "$coordinator"
measure "coordinator: GET /items?q=topic, newest first" "/items?q=nuoc+sach&sort=newest" "$coordinator"
