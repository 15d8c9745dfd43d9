//! The words the reader sees: one form of address in Vietnamese, and the user
//! guide naming pages and buttons as the interface does.

use std::path::Path;

fn read_all(folder: &str, files: &mut Vec<(String, String)>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut folders = vec![root];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let text = std::fs::read_to_string(&path).expect("a text file");
                files.push((path.display().to_string(), text));
            }
        }
    }
}

/// The values (`key = "value"`) of the locale files of `lang`.
fn texts(lang: &str) -> Vec<String> {
    let mut files = Vec::new();
    read_all(&format!("locales/{lang}"), &mut files);
    files
        .iter()
        .flat_map(|(_, text)| text.lines())
        .filter_map(|line| line.split_once(" = \""))
        .map(|(_, value)| value.trim_end_matches('"').to_owned())
        .collect()
}

#[test]
fn the_vietnamese_texts_address_the_reader_as_dong_chi_never_as_ban() {
    let mut files = Vec::new();
    read_all("locales/vi", &mut files);
    read_all("templates", &mut files);
    let mut found = Vec::new();
    for (path, text) in &files {
        for line in text.lines() {
            let words = line
                .split(|c: char| !c.is_alphanumeric())
                .map(str::to_lowercase);
            if words.into_iter().any(|w| w == "bạn") {
                found.push(format!("{path}: {}", line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "\"bạn\" in:\n{}", found.join("\n"));
    assert!(
        texts("vi").iter().any(|t| t.contains("đồng chí")),
        "the texts address the reader as \"đồng chí\""
    );
}

#[test]
fn the_user_guide_names_pages_and_buttons_as_the_interface_does() {
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/user-guide.md"))
            .expect("the user guide");
    let (vi, en) = (texts("vi"), texts("en"));
    let mut checked = 0;
    let mut wrong = Vec::new();
    // Names are quoted in bold as "**Vietnamese / English**".
    for quoted in guide.split("**").skip(1).step_by(2) {
        let Some((name_vi, name_en)) = quoted.split_once(" / ") else {
            continue;
        };
        checked += 1;
        if !vi.iter().any(|t| t == name_vi) {
            wrong.push(format!(
                "\"{name_vi}\" is no Vietnamese text of the interface"
            ));
        }
        if !en.iter().any(|t| t == name_en) {
            wrong.push(format!("\"{name_en}\" is no English text of the interface"));
        }
    }
    assert!(checked >= 10, "only {checked} names found in the guide");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
