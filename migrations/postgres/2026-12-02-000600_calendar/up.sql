-- Issue 9, the calendar: public holidays and days off, and the Saturdays worked
-- in exchange (ngày làm bù). Every other day follows the week (Monday to Friday).
CREATE TABLE holidays (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    day DATE NOT NULL UNIQUE,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'working_saturday'))
);

-- The official public holidays of 2023 to 2027 (Bộ luật Lao động 2019, art. 112:
-- New Year 1 day, Tết Nguyên đán 5 days, Hùng Kings' day 10/3 lunar, 30/4, 1/5,
-- National Day 2/9 and one day next to it), with the days off that replace a
-- holiday falling on a Saturday or Sunday (art. 111(3): the next working day) and
-- the swaps the government announced (a weekday off, a Saturday worked). Every
-- database needs these rows, including one that already holds data, so they live
-- here rather than in db/seed.rs (which only fills an empty database).
-- A holiday that falls on a weekend is listed too, so the page shows it; weekend
-- days that are merely inside a break are not. Lunar dates were computed from
-- the new moons in UTC+7 (Tết 22/1/2023, 10/2/2024, 29/1/2025, 17/2/2026,
-- 6/2/2027; Hùng Kings' day 29/4/2023, 18/4/2024, 7/4/2025, 26/4/2026, 16/4/2027).
-- Administrators correct or complete the list on /admin/calendar.

-- 2023: as announced by the Ministry of Labour, Invalids and Social Affairs for
-- civil servants (Tết 20/1–26/1, National Day 1/9–4/9). 29/4 (Hùng Kings) and 30/4
-- fell on the weekend: 2/5 and 3/5 off under art. 111(3). No Saturday was worked.
INSERT INTO holidays (day, name_vi, name_en, kind) VALUES
('2023-01-01', 'Tết Dương lịch', 'New Year''s Day', 'holiday'),
('2023-01-02', 'Nghỉ bù Tết Dương lịch', 'Day off for New Year''s Day', 'holiday'),
('2023-01-20', 'Tết Nguyên đán (29 tháng Chạp)', 'Lunar New Year (Tết)', 'holiday'),
('2023-01-21', 'Tết Nguyên đán (30 tháng Chạp)', 'Lunar New Year (Tết)', 'holiday'),
('2023-01-22', 'Tết Nguyên đán (mùng 1)', 'Lunar New Year (Tết), first day', 'holiday'),
('2023-01-23', 'Tết Nguyên đán (mùng 2)', 'Lunar New Year (Tết)', 'holiday'),
('2023-01-24', 'Tết Nguyên đán (mùng 3)', 'Lunar New Year (Tết)', 'holiday'),
('2023-01-25', 'Nghỉ bù Tết Nguyên đán', 'Day off for Tết', 'holiday'),
('2023-01-26', 'Nghỉ bù Tết Nguyên đán', 'Day off for Tết', 'holiday'),
('2023-04-29', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Hùng Kings'' Commemoration Day', 'holiday'),
('2023-04-30', 'Ngày Chiến thắng', 'Reunification Day', 'holiday'),
('2023-05-01', 'Ngày Quốc tế Lao động', 'International Workers'' Day', 'holiday'),
('2023-05-02', 'Nghỉ bù Giỗ Tổ Hùng Vương', 'Day off for Hùng Kings'' Day', 'holiday'),
('2023-05-03', 'Nghỉ bù Ngày Chiến thắng', 'Day off for Reunification Day', 'holiday'),
('2023-09-01', 'Quốc khánh (ngày liền kề)', 'National Day (extra day)', 'holiday'),
('2023-09-02', 'Quốc khánh', 'National Day', 'holiday'),
('2023-09-04', 'Nghỉ bù Quốc khánh', 'Day off for National Day', 'holiday');

-- 2024: as announced by the Ministry of Labour, Invalids and Social Affairs (Tết
-- 8/2–14/2 with 13/2 and 14/2 off for the weekend days; National Day 2/9 and 3/9)
-- and the Prime Minister's agreement to swap Monday 29/4 for Saturday 4/5.
INSERT INTO holidays (day, name_vi, name_en, kind) VALUES
('2024-01-01', 'Tết Dương lịch', 'New Year''s Day', 'holiday'),
('2024-02-08', 'Tết Nguyên đán (29 tháng Chạp)', 'Lunar New Year (Tết)', 'holiday'),
('2024-02-09', 'Tết Nguyên đán (30 tháng Chạp)', 'Lunar New Year (Tết)', 'holiday'),
('2024-02-10', 'Tết Nguyên đán (mùng 1)', 'Lunar New Year (Tết), first day', 'holiday'),
('2024-02-11', 'Tết Nguyên đán (mùng 2)', 'Lunar New Year (Tết)', 'holiday'),
('2024-02-12', 'Tết Nguyên đán (mùng 3)', 'Lunar New Year (Tết)', 'holiday'),
('2024-02-13', 'Nghỉ bù Tết Nguyên đán', 'Day off for Tết', 'holiday'),
('2024-02-14', 'Nghỉ bù Tết Nguyên đán', 'Day off for Tết', 'holiday'),
('2024-04-18', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Hùng Kings'' Commemoration Day', 'holiday'),
('2024-04-29', 'Nghỉ hoán đổi (làm bù thứ Bảy 4/5)', 'Swapped day off (worked on Saturday 4/5)', 'holiday'),
('2024-04-30', 'Ngày Chiến thắng', 'Reunification Day', 'holiday'),
('2024-05-01', 'Ngày Quốc tế Lao động', 'International Workers'' Day', 'holiday'),
('2024-05-04', 'Làm bù cho ngày 29/4', 'Working Saturday for 29/4', 'working_saturday'),
('2024-09-02', 'Quốc khánh', 'National Day', 'holiday'),
('2024-09-03', 'Quốc khánh (ngày liền kề)', 'National Day (extra day)', 'holiday');

-- 2025: as announced by the Ministry of Labour, Invalids and Social Affairs (Tết:
-- 27/1–31/1, the break running 25/1–2/2; National Day 1/9 and 2/9) and the Prime
-- Minister's agreement to swap Friday 2/5 for Saturday 26/4.
INSERT INTO holidays (day, name_vi, name_en, kind) VALUES
('2025-01-01', 'Tết Dương lịch', 'New Year''s Day', 'holiday'),
('2025-01-27', 'Tết Nguyên đán (28 tháng Chạp)', 'Lunar New Year (Tết)', 'holiday'),
('2025-01-28', 'Tết Nguyên đán (29 tháng Chạp)', 'Lunar New Year (Tết)', 'holiday'),
('2025-01-29', 'Tết Nguyên đán (mùng 1)', 'Lunar New Year (Tết), first day', 'holiday'),
('2025-01-30', 'Tết Nguyên đán (mùng 2)', 'Lunar New Year (Tết)', 'holiday'),
('2025-01-31', 'Tết Nguyên đán (mùng 3)', 'Lunar New Year (Tết)', 'holiday'),
('2025-04-07', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Hùng Kings'' Commemoration Day', 'holiday'),
('2025-04-26', 'Làm bù cho ngày 2/5', 'Working Saturday for 2/5', 'working_saturday'),
('2025-04-30', 'Ngày Chiến thắng', 'Reunification Day', 'holiday'),
('2025-05-01', 'Ngày Quốc tế Lao động', 'International Workers'' Day', 'holiday'),
('2025-05-02', 'Nghỉ hoán đổi (làm bù thứ Bảy 26/4)', 'Swapped day off (worked on Saturday 26/4)', 'holiday'),
('2025-09-01', 'Quốc khánh (ngày liền kề)', 'National Day (extra day)', 'holiday'),
('2025-09-02', 'Quốc khánh', 'National Day', 'holiday');

-- 2026: Labour Code art. 112; lunar dates computed; swaps not verified. The
-- announcement for 2026 (by the Ministry of Home Affairs, which took over labour
-- in 2025) was not available when this was written: Tết is taken as 16/2–20/2
-- (the break 14/2–22/2); National Day's extra day is assumed to be 1/9. Any New
-- Year or 30/4 swap that was announced must be added on /admin/calendar.
INSERT INTO holidays (day, name_vi, name_en, kind) VALUES
('2026-01-01', 'Tết Dương lịch', 'New Year''s Day', 'holiday'),
('2026-02-16', 'Tết Nguyên đán (29 tháng Chạp)', 'Lunar New Year (Tết)', 'holiday'),
('2026-02-17', 'Tết Nguyên đán (mùng 1)', 'Lunar New Year (Tết), first day', 'holiday'),
('2026-02-18', 'Tết Nguyên đán (mùng 2)', 'Lunar New Year (Tết)', 'holiday'),
('2026-02-19', 'Tết Nguyên đán (mùng 3)', 'Lunar New Year (Tết)', 'holiday'),
('2026-02-20', 'Tết Nguyên đán (mùng 4)', 'Lunar New Year (Tết)', 'holiday'),
('2026-04-26', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Hùng Kings'' Commemoration Day', 'holiday'),
('2026-04-27', 'Nghỉ bù Giỗ Tổ Hùng Vương', 'Day off for Hùng Kings'' Day', 'holiday'),
('2026-04-30', 'Ngày Chiến thắng', 'Reunification Day', 'holiday'),
('2026-05-01', 'Ngày Quốc tế Lao động', 'International Workers'' Day', 'holiday'),
('2026-09-01', 'Quốc khánh (ngày liền kề)', 'National Day (extra day)', 'holiday'),
('2026-09-02', 'Quốc khánh', 'National Day', 'holiday');

-- 2027: Labour Code art. 112; lunar dates computed; swaps not yet announced. Tết
-- follows 2024's pattern (mùng 1 on a Saturday then too): 4/2–8/2 and the two
-- weekend days off on 9/2 and 10/2. 1/5 is a Saturday: 3/5 off. National Day's
-- extra day is assumed to be Friday 3/9 (as in 2021, when 2/9 was a Thursday).
INSERT INTO holidays (day, name_vi, name_en, kind) VALUES
('2027-01-01', 'Tết Dương lịch', 'New Year''s Day', 'holiday'),
('2027-02-04', 'Tết Nguyên đán (28 tháng Chạp)', 'Lunar New Year (Tết)', 'holiday'),
('2027-02-05', 'Tết Nguyên đán (29 tháng Chạp)', 'Lunar New Year (Tết)', 'holiday'),
('2027-02-06', 'Tết Nguyên đán (mùng 1)', 'Lunar New Year (Tết), first day', 'holiday'),
('2027-02-07', 'Tết Nguyên đán (mùng 2)', 'Lunar New Year (Tết)', 'holiday'),
('2027-02-08', 'Tết Nguyên đán (mùng 3)', 'Lunar New Year (Tết)', 'holiday'),
('2027-02-09', 'Nghỉ bù Tết Nguyên đán', 'Day off for Tết', 'holiday'),
('2027-02-10', 'Nghỉ bù Tết Nguyên đán', 'Day off for Tết', 'holiday'),
('2027-04-16', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Hùng Kings'' Commemoration Day', 'holiday'),
('2027-04-30', 'Ngày Chiến thắng', 'Reunification Day', 'holiday'),
('2027-05-01', 'Ngày Quốc tế Lao động', 'International Workers'' Day', 'holiday'),
('2027-05-03', 'Nghỉ bù Ngày Quốc tế Lao động', 'Day off for International Workers'' Day', 'holiday'),
('2027-09-02', 'Quốc khánh', 'National Day', 'holiday'),
('2027-09-03', 'Quốc khánh (ngày liền kề)', 'National Day (extra day)', 'holiday');
