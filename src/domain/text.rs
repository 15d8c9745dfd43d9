//! Text as people type it: Unicode normalised to NFC, and folded for search so that
//! "can bo" finds "cán bộ".

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Trims, turns Windows line ends into `\n` and normalises to NFC, so the same
/// Vietnamese word typed on two keyboards is stored as the same bytes.
pub fn normalize(input: &str) -> String {
    input.replace("\r\n", "\n").trim().nfc().collect()
}

/// Lower-case, without diacritics, and with `đ` as `d`: the form both stored text and
/// search terms take before they are compared.
pub fn fold_for_search(input: &str) -> String {
    input
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// The number of characters (not bytes) in a string, as people count length.
pub fn char_len(input: &str) -> usize {
    input.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_vietnamese_diacritics_and_case() {
        assert_eq!(fold_for_search("Tổ chức CÁN BỘ"), "to chuc can bo");
        assert_eq!(fold_for_search("Đảng ủy Khối"), "dang uy khoi");
        assert_eq!(
            fold_for_search("Quốc phòng, an ninh"),
            "quoc phong, an ninh"
        );
    }

    #[test]
    fn normalising_makes_decomposed_and_composed_input_identical() {
        let decomposed = "ca\u{0301}n bo\u{0323}\u{0302}";
        assert_eq!(normalize(decomposed), "cán bộ");
        assert_eq!(normalize("  dòng 1\r\ndòng 2 \n"), "dòng 1\ndòng 2");
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(char_len("Nghệ An"), 7);
    }
}
