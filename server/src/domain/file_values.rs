//! File values parsed at the edge: a name safe to store and show, a content type from the
//! allow-list, and a size within the limit.

use super::{input::InvalidInput, text};

/// Default upload limit (`FILES_MAX_BYTES` overrides it).
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// Types a user can attach. Anything else (HTML, SVG, scripts, executables) is refused:
/// served back from our origin it could run as ours.
pub const ALLOWED_TYPES: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "text/plain",
    "text/csv",
    "text/markdown",
    "application/zip",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
];

/// A file name as the user will see it: no path, no control characters, no characters that
/// are unsafe on common file systems, at most 200 characters, never empty or dot-only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName(String);

impl FileName {
    pub fn sanitize(raw: &str) -> Self {
        let visible = text::visible(raw);
        let base = visible.rsplit(['/', '\\']).next().unwrap_or_default();
        let cleaned: String = base
            .chars()
            .map(|c| {
                if c.is_control() || "<>:\"|?*".contains(c) {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        // Dots and spaces stripped together (".. .." must not leave ".."), and the end trimmed
        // after cutting to length, so sanitizing a sanitized name changes nothing.
        let trimmed = cleaned.trim_start_matches(|c: char| c == '.' || c.is_whitespace());
        let cut: String = trimmed.chars().take(200).collect();
        let mut name = cut.trim_end().to_owned();
        if !text::shows_something(&name) {
            name = "file".into();
        }
        Self(name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A declared content type on the allow-list (parameters such as `; charset=utf-8` dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType(&'static str);

impl ContentType {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let essence = raw
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_lowercase();
        ALLOWED_TYPES
            .iter()
            .find(|allowed| **allowed == essence)
            .map(|allowed| Self(allowed))
            .ok_or_else(|| {
                InvalidInput(format!(
                    concat!(
                        "Files of type '{}' cannot be attached; ",
                        "allowed are PDF, images, text, CSV, ZIP and Office documents."
                    ),
                    essence.chars().take(80).collect::<String>()
                ))
            })
    }

    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

/// Checks a declared size before any byte is stored.
pub fn check_size(declared: u64, max: u64) -> Result<u64, InvalidInput> {
    if declared == 0 {
        return Err(InvalidInput("The file is empty.".into()));
    }
    if declared > max {
        return Err(InvalidInput(format!(
            "The file is {:.1} MiB; the limit is {:.1} MiB.",
            declared as f64 / 1_048_576.0,
            max as f64 / 1_048_576.0
        )));
    }
    Ok(declared)
}

/// How a download names itself (ours and S3's alike):
/// `attachment; filename="..."; filename*=UTF-8''...`, an ASCII fallback for old clients and
/// the exact name, percent-encoded, for the rest.
pub fn content_disposition(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in file_name.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_paths_controls_and_unsafe_characters() {
        assert_eq!(FileName::sanitize("../../etc/passwd").as_str(), "passwd");
        assert_eq!(
            FileName::sanitize("C:\\Users\\me\\x-rays.pdf").as_str(),
            "x-rays.pdf"
        );
        assert_eq!(
            FileName::sanitize("a<b>:c\"d|e?f*g\u{0007}.txt").as_str(),
            "a_b__c_d_e_f_g_.txt"
        );
        assert_eq!(FileName::sanitize("...").as_str(), "file");
        assert_eq!(FileName::sanitize(".hidden").as_str(), "hidden");
        // Dots and spaces in turn leave no leading dot (found by the property test).
        assert_eq!(FileName::sanitize(".. ..").as_str(), "file");
        assert_eq!(FileName::sanitize(" . .x").as_str(), "x");
        assert_eq!(
            FileName::sanitize(&"é".repeat(300))
                .as_str()
                .chars()
                .count(),
            200
        );
        assert_eq!(
            FileName::sanitize("<img src=x onerror=alert(1)>.png").as_str(),
            "_img src=x onerror=alert(1)_.png"
        );
    }

    #[test]
    fn names_lose_invisible_and_direction_changing_characters() {
        assert_eq!(
            FileName::sanitize("invoice\u{202E}fdp.exe").as_str(),
            "invoicefdp.exe"
        );
        assert_eq!(FileName::sanitize("\u{200B}\u{FEFF}").as_str(), "file");
        assert_eq!(FileName::sanitize("a\u{2028}b.pdf").as_str(), "a_b.pdf");
    }

    #[test]
    fn only_allow_listed_types_pass() {
        assert_eq!(
            ContentType::parse("Application/PDF").unwrap().as_str(),
            "application/pdf"
        );
        assert_eq!(
            ContentType::parse("text/plain; charset=utf-8")
                .unwrap()
                .as_str(),
            "text/plain"
        );
        for refused in [
            "text/html",
            "image/svg+xml",
            "application/javascript",
            "application/x-msdownload",
            "",
        ] {
            assert!(ContentType::parse(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn sizes_are_checked_against_the_limit() {
        assert!(check_size(0, DEFAULT_MAX_BYTES).is_err());
        assert_eq!(
            check_size(DEFAULT_MAX_BYTES, DEFAULT_MAX_BYTES).unwrap(),
            DEFAULT_MAX_BYTES
        );
        let err = check_size(DEFAULT_MAX_BYTES + 1, DEFAULT_MAX_BYTES).unwrap_err();
        assert!(err.0.contains("limit is 10.0 MiB"), "{err}");
    }

    #[test]
    fn attachment_names_are_quoted_safely() {
        assert_eq!(
            content_disposition("x-ray \"1\".pdf"),
            "attachment; filename=\"x-ray _1_.pdf\"; filename*=UTF-8''x-ray%20%221%22.pdf"
        );
        assert_eq!(
            content_disposition("Zähne.png"),
            "attachment; filename=\"Z_hne.png\"; filename*=UTF-8''Z%C3%A4hne.png"
        );
    }
}
