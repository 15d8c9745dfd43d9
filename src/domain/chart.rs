//! Bar charts drawn on the server as inline SVG, so the dashboard needs no
//! JavaScript and prints as it shows. Pure functions: a [`BarChart`] in, SVG text
//! out. Every text is escaped here (names of bodies and fields come from the
//! database); the chart carries its `<title>` and is `role="img"` labelled by it,
//! and the page shows the same numbers as a table right below it.

use std::fmt::Write;

/// The fills of the series, in order: dark enough against white for the 3:1
/// contrast graphics need, and told apart by the legend's words, not colour alone.
const PALETTE: [&str; 4] = ["#1d6f42", "#b3261e", "#1f4e9c", "#8a5a00"];

/// Width of the whole drawing, in SVG units (it scales to its box).
const WIDTH: u32 = 640;
/// Width reserved for the row labels at the left.
const LABEL_WIDTH: u32 = 220;
/// Width reserved for the total at the right of each bar.
const TOTAL_WIDTH: u32 = 50;
/// Height of one row.
const ROW_HEIGHT: u32 = 26;
/// Height of a bar inside its row.
const BAR_HEIGHT: u32 = 18;
/// Height of one legend line.
const LEGEND_HEIGHT: u32 = 22;

/// A horizontal bar chart, one bar per row, its series stacked left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// The element id; the title's id is `{id}-title`.
    pub id: String,
    /// The title, read by screen readers and shown as a tooltip.
    pub title: String,
    /// The name of each series (one for a plain bar chart).
    pub series: Vec<String>,
    /// The rows: a label and one value per series.
    pub rows: Vec<(String, Vec<i64>)>,
    /// The text shown instead of bars when there is nothing to draw.
    pub empty_text: String,
}

/// The width of a bar segment of `value` when the longest bar totals `max`.
pub fn bar_width(value: i64, max: i64, full: u32) -> f64 {
    if max <= 0 || value <= 0 {
        return 0.0;
    }
    f64::from(full) * (value as f64) / (max as f64)
}

/// Text safe inside SVG (XML) elements and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

impl BarChart {
    /// The chart as an `<svg>` element.
    pub fn to_svg(&self) -> String {
        let id = escape(&self.id);
        let rows = self.rows.len() as u32;
        let legend_lines = if self.series.len() > 1 {
            self.series.len() as u32
        } else {
            0
        };
        let body_rows = rows.max(1);
        let height = body_rows * ROW_HEIGHT + legend_lines * LEGEND_HEIGHT + 8;
        let mut svg = String::new();
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{id}" role="img" aria-labelledby="{id}-title" viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet"><title id="{id}-title">{}</title>"#,
            escape(&self.title)
        );
        if self
            .rows
            .iter()
            .all(|(_, values)| values.iter().all(|v| *v <= 0))
        {
            let _ = write!(
                svg,
                r#"<text x="0" y="{}" class="chart-empty">{}</text></svg>"#,
                ROW_HEIGHT - 8,
                escape(&self.empty_text)
            );
            return svg;
        }
        let max = self
            .rows
            .iter()
            .map(|(_, values)| values.iter().filter(|v| **v > 0).sum::<i64>())
            .max()
            .unwrap_or(0);
        let full = WIDTH - LABEL_WIDTH - TOTAL_WIDTH;
        for (index, (label, values)) in self.rows.iter().enumerate() {
            let top = index as u32 * ROW_HEIGHT;
            let _ = write!(
                svg,
                r#"<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>"#,
                LABEL_WIDTH - 6,
                top + BAR_HEIGHT - 4,
                escape(&shorten(label, 34))
            );
            let mut x = f64::from(LABEL_WIDTH);
            for (series, value) in values.iter().enumerate() {
                let width = bar_width(*value, max, full);
                if width > 0.0 {
                    let _ = write!(
                        svg,
                        r#"<rect x="{x:.1}" y="{top}" width="{width:.1}" height="{BAR_HEIGHT}" fill="{}" class="series-{series}"/>"#,
                        PALETTE[series % PALETTE.len()]
                    );
                }
                x += width;
            }
            let total: i64 = values.iter().filter(|v| **v > 0).sum();
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{}" class="chart-total">{total}</text>"#,
                x + 4.0,
                top + BAR_HEIGHT - 4
            );
        }
        if legend_lines > 0 {
            for (series, name) in self.series.iter().enumerate() {
                let top = body_rows * ROW_HEIGHT + series as u32 * LEGEND_HEIGHT + 4;
                let _ = write!(
                    svg,
                    r#"<rect x="{LABEL_WIDTH}" y="{top}" width="14" height="14" fill="{}" class="series-{series}"/><text x="{}" y="{}" class="chart-legend">{}</text>"#,
                    PALETTE[series % PALETTE.len()],
                    LABEL_WIDTH + 20,
                    top + 12,
                    escape(name)
                );
            }
        }
        svg.push_str("</svg>");
        svg
    }
}

/// A label cut to `max` characters with an ellipsis (the table below the chart
/// has it whole).
fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut cut: String = label.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(rows: Vec<(&str, Vec<i64>)>, series: &[&str]) -> BarChart {
        BarChart {
            id: "by-body".into(),
            title: "Theo cơ quan".into(),
            series: series.iter().map(|s| s.to_string()).collect(),
            rows: rows.into_iter().map(|(l, v)| (l.to_string(), v)).collect(),
            empty_text: "Chưa có số liệu".into(),
        }
    }

    fn widths(svg: &str) -> Vec<f64> {
        svg.split("<rect ")
            .skip(1)
            .filter(|r| r.contains(r#"height="18""#))
            .map(|r| {
                let start = r.find("width=\"").unwrap() + 7;
                let end = start + r[start..].find('"').unwrap();
                r[start..end].parse().unwrap()
            })
            .collect()
    }

    #[test]
    fn bar_widths_are_proportional_to_the_values() {
        assert_eq!(bar_width(5, 10, 400), 200.0);
        assert_eq!(bar_width(10, 10, 400), 400.0);
        assert_eq!(bar_width(0, 10, 400), 0.0);
        assert_eq!(bar_width(3, 0, 400), 0.0);
        let svg = chart(
            vec![("A", vec![4]), ("B", vec![2]), ("C", vec![1])],
            &["Số"],
        )
        .to_svg();
        let drawn = widths(&svg);
        assert_eq!(drawn.len(), 3);
        assert!((drawn[0] - 2.0 * drawn[1]).abs() < 0.2);
        assert!((drawn[1] - 2.0 * drawn[2]).abs() < 0.2);
    }

    #[test]
    fn stacked_segments_add_up_to_the_longest_bar() {
        let svg = chart(
            vec![("A", vec![1, 3]), ("B", vec![2, 0])],
            &["Đúng hạn", "Trễ hạn"],
        )
        .to_svg();
        let drawn = widths(&svg);
        // A: 1 and 3 (the full width 370), B: 2 only.
        assert_eq!(drawn.len(), 3);
        assert!((drawn[0] + drawn[1] - 370.0).abs() < 0.2);
        assert!((drawn[2] - 185.0).abs() < 0.2);
        assert!(svg.contains("Trễ hạn"), "the legend names each series");
    }

    #[test]
    fn labels_and_titles_are_escaped() {
        let mut c = chart(vec![("<script>&\"x\"", vec![1])], &["Số"]);
        c.title = "A & B <b>".into();
        let svg = c.to_svg();
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;&amp;&quot;x&quot;"));
        assert!(svg.contains("<title id=\"by-body-title\">A &amp; B &lt;b&gt;</title>"));
        assert!(svg.contains(r#"aria-labelledby="by-body-title""#));
        assert!(svg.contains(r#"role="img""#));
    }

    #[test]
    fn a_chart_without_data_says_so_and_draws_no_bars() {
        let empty = chart(vec![], &["Số"]).to_svg();
        assert!(empty.contains("Chưa có số liệu"));
        assert!(widths(&empty).is_empty());
        let zeros = chart(vec![("A", vec![0, 0])], &["x", "y"]).to_svg();
        assert!(zeros.contains("Chưa có số liệu"));
        assert!(widths(&zeros).is_empty());
    }

    #[test]
    fn long_labels_are_shortened_with_an_ellipsis() {
        assert_eq!(shorten("Ban Tổ chức", 34), "Ban Tổ chức");
        let long = "Đảng ủy Khối các cơ quan tỉnh Nghệ An rất dài";
        let cut = shorten(long, 10);
        assert_eq!(cut.chars().count(), 10);
        assert!(cut.ends_with('…'));
    }
}
