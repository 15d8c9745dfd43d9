//! A `User-Agent` header shortened to what a person recognises: the browser and
//! the system it runs on, such as "Chrome" on "Windows".

/// The browser and system named by a user agent (`None` when not recognised).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrowserName {
    /// Such as "Chrome", "Firefox", "Safari".
    pub browser: Option<&'static str>,
    /// Such as "Windows", "Android", "iPhone".
    pub system: Option<&'static str>,
}

/// Reads the browser and system from a user agent. Order matters: Edge and Opera
/// also say "Chrome", Chrome also says "Safari", Android also says "Linux".
pub fn describe(user_agent: &str) -> BrowserName {
    const BROWSERS: [(&str, &str); 8] = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("CocCoc", "Cốc Cốc"),
        ("SamsungBrowser", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("CriOS/", "Chrome"),
        ("Safari/", "Safari"),
    ];
    const SYSTEMS: [(&str, &str); 7] = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ];
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(marker, _)| user_agent.contains(marker))
            .map(|(_, name)| *name)
    };
    BrowserName {
        browser: find(&BROWSERS),
        system: find(&SYSTEMS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(agent: &str) -> (Option<&str>, Option<&str>) {
        let named = describe(agent);
        (named.browser, named.system)
    }

    #[test]
    fn common_browsers_are_named_with_their_system() {
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
                      (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
        assert_eq!(names(chrome), (Some("Chrome"), Some("Windows")));
        let edge = format!("{chrome} Edg/120.0.0.0");
        assert_eq!(names(&edge), (Some("Edge"), Some("Windows")));
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
        assert_eq!(names(firefox), (Some("Firefox"), Some("Linux")));
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) \
                      AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
        assert_eq!(names(iphone), (Some("Safari"), Some("iPhone")));
        let android = "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 \
                       (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
        assert_eq!(names(android), (Some("Chrome"), Some("Android")));
    }

    #[test]
    fn an_unknown_agent_names_nothing() {
        assert_eq!(names("curl/8.5.0"), (None, None));
        assert_eq!(names(""), (None, None));
    }
}
