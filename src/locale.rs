//! The locale of one user, from the language Plone negotiated for the request ("de", "pt-br",
//! "zh_TW", "en-GB"…): the editor's interface language (`editorConfig.lang`), its region
//! (`editorConfig.region`, which sets number, date and currency formats and the measurement
//! units), and what a new blank document is written with (language tag and paper size).

/// Language → region, for a language given without one.
const DEFAULT_REGIONS: [(&str, &str); 41] = [
    ("ar", "SA"),
    ("bg", "BG"),
    ("ca", "ES"),
    ("cs", "CZ"),
    ("da", "DK"),
    ("de", "DE"),
    ("el", "GR"),
    ("en", "US"),
    ("es", "ES"),
    ("et", "EE"),
    ("eu", "ES"),
    ("fi", "FI"),
    ("fr", "FR"),
    ("gl", "ES"),
    ("he", "IL"),
    ("hr", "HR"),
    ("hu", "HU"),
    ("id", "ID"),
    ("it", "IT"),
    ("ja", "JP"),
    ("ko", "KR"),
    ("lt", "LT"),
    ("lv", "LV"),
    ("nb", "NO"),
    ("nl", "NL"),
    ("no", "NO"),
    ("pl", "PL"),
    ("pt", "BR"),
    ("ro", "RO"),
    ("ru", "RU"),
    ("sk", "SK"),
    ("sl", "SI"),
    ("sq", "AL"),
    ("sr", "RS"),
    ("sv", "SE"),
    ("th", "TH"),
    ("tr", "TR"),
    ("uk", "UA"),
    ("vi", "VN"),
    ("zh", "CN"),
    ("fa", "IR"),
];

/// Regions whose paper is US Letter; everywhere else uses A4.
pub const LETTER_REGIONS: [&str; 8] = ["US", "CA", "MX", "PH", "CL", "CO", "VE", "PR"];

/// Regions that write Chinese in traditional characters (ONLYOFFICE's `zh-TW` interface).
const TRADITIONAL_CHINESE: [&str; 3] = ["TW", "HK", "MO"];

/// Paper size of a new document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    pub fn as_str(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "Letter",
        }
    }
}

/// A user's locale: a lowercase language and an uppercase region ("" when neither given nor
/// known for the language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locale {
    pub language: String,
    pub region: String,
    traditional: bool,
}

impl Locale {
    /// The locale of a language code as Plone or a browser spells it (`de`, `pt-br`, `pt_BR`,
    /// `zh-Hant-TW`, `en-US`); anything unusable (empty, not a language tag) is `en-US`.
    pub fn parse(code: &str) -> Locale {
        let fallback = Locale {
            language: "en".into(),
            region: "US".into(),
            traditional: false,
        };
        let code = code.trim();
        let mut parts = code.split(['-', '_']);
        let language = parts.next().unwrap_or_default();
        let rest: Vec<&str> = parts.collect();
        let well_formed = code.len() <= 64
            && (2..=3).contains(&language.len())
            && language.bytes().all(|b| b.is_ascii_alphabetic())
            && rest.iter().all(|p| {
                (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        if !well_formed {
            return fallback;
        }
        let language = language.to_ascii_lowercase();
        let script = rest
            .iter()
            .find(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(|p| p.to_ascii_lowercase());
        let given = rest
            .iter()
            .find(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(|p| p.to_ascii_uppercase());
        let traditional = language == "zh"
            && (script.as_deref() == Some("hant")
                || given
                    .as_deref()
                    .is_some_and(|r| TRADITIONAL_CHINESE.contains(&r)));
        let region = match given {
            Some(region) => region,
            None if traditional => "TW".into(),
            None => DEFAULT_REGIONS
                .iter()
                .find(|(l, _)| *l == language)
                .map(|(_, r)| (*r).to_string())
                .unwrap_or_default(),
        };
        Locale {
            language,
            region,
            traditional,
        }
    }

    /// `editorConfig.lang`: Docs' two-letter codes, except the two interfaces it names with
    /// four letters: `pt-PT` (plain `pt` is Brazilian) and `zh-TW` (plain `zh` is simplified).
    pub fn editor_lang(&self) -> String {
        match (self.language.as_str(), self.region.as_str()) {
            ("pt", "PT") => "pt-PT".into(),
            ("zh", _) if self.traditional => "zh-TW".into(),
            (language, _) => language.into(),
        }
    }

    /// `editorConfig.region` and a blank document's language: the four-letter tag (`de-DE`,
    /// `pt-BR`, `zh-CN`), or the bare language when no region is known for it.
    pub fn tag(&self) -> String {
        if self.region.is_empty() {
            self.language.clone()
        } else {
            format!("{}-{}", self.language, self.region)
        }
    }

    /// `editorConfig.region`, only when the locale has a region.
    pub fn editor_region(&self) -> Option<String> {
        (!self.region.is_empty()).then(|| self.tag())
    }

    /// Letter in the regions that use it (US, Canada, Mexico, the Philippines…), A4 elsewhere.
    pub fn paper(&self) -> Paper {
        if LETTER_REGIONS.contains(&self.region.as_str()) {
            Paper::Letter
        } else {
            Paper::A4
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor(code: &str) -> (String, Option<String>) {
        let locale = Locale::parse(code);
        (locale.editor_lang(), locale.editor_region())
    }

    #[test]
    fn plone_languages_map_to_the_editor() {
        let cases = [
            ("en", "en", "en-US"),
            ("de", "de", "de-DE"),
            ("de-at", "de", "de-AT"),
            ("fr", "fr", "fr-FR"),
            ("fr-ca", "fr", "fr-CA"),
            ("cs", "cs", "cs-CZ"),
            ("es", "es", "es-ES"),
            ("es-mx", "es", "es-MX"),
            ("it", "it", "it-IT"),
            ("ja", "ja", "ja-JP"),
            ("nl", "nl", "nl-NL"),
            ("pl", "pl", "pl-PL"),
            ("pt-br", "pt", "pt-BR"),
            ("pt_BR", "pt", "pt-BR"),
            ("pt", "pt", "pt-BR"),
            ("pt-pt", "pt-PT", "pt-PT"),
            ("ru", "ru", "ru-RU"),
            ("uk", "uk", "uk-UA"),
            ("zh-cn", "zh", "zh-CN"),
            ("zh_CN", "zh", "zh-CN"),
            ("zh-tw", "zh-TW", "zh-TW"),
            ("zh-Hant", "zh-TW", "zh-TW"),
            ("zh-Hans-CN", "zh", "zh-CN"),
            ("en-gb", "en", "en-GB"),
        ];
        for (code, lang, region) in cases {
            assert_eq!(
                editor(code),
                (lang.to_string(), Some(region.to_string())),
                "{code}"
            );
        }
    }

    #[test]
    fn unusable_codes_fall_back_to_us_english() {
        for code in ["", " ", "x", "x<y", "english", "de-DE-<", "12", "de--de"] {
            assert_eq!(Locale::parse(code).tag(), "en-US", "{code:?}");
        }
    }

    #[test]
    fn an_unknown_language_keeps_no_region() {
        let locale = Locale::parse("eo");
        assert_eq!(
            (locale.editor_lang(), locale.editor_region(), locale.tag()),
            ("eo".to_string(), None, "eo".to_string())
        );
    }

    #[test]
    fn letter_where_it_is_the_norm() {
        for code in ["en", "en-us", "en-CA", "fr-ca", "es-mx", "en-ph", "es-co"] {
            assert_eq!(Locale::parse(code).paper(), Paper::Letter, "{code}");
        }
        for code in [
            "de", "en-gb", "fr", "es", "pt-br", "ja", "zh-cn", "en-au", "eo",
        ] {
            assert_eq!(Locale::parse(code).paper(), Paper::A4, "{code}");
        }
    }
}
