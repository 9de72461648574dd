//! The upstream's user validations (Devise validatable + secure password).

use crate::validation::{Violations, STRING_MAX};

pub const PASSWORD_MIN: usize = 6;
pub const PASSWORD_MAX: usize = 128;

/// Lower-cased, trimmed e-mail: the identity key of a user.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// `/\A[^@\s]+@[^@\s]+\z/`, required, at most 255 characters.
pub fn validate_email(v: &mut Violations, email: Option<&str>) {
    let Some(email) = email.map(str::trim).filter(|e| !e.is_empty()) else {
        v.add("email", "Email can't be blank");
        return;
    };
    let well_formed = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if !well_formed {
        v.add("email", "Email is invalid");
    }
    v.max_len("email", "Email", Some(email), STRING_MAX);
}

/// Name (required) and display name (optional), both at most 255 characters.
pub fn validate_profile(v: &mut Violations, name: Option<&str>, display_name: Option<&str>, creating: bool) {
    if creating || name.is_some() {
        v.require_present("name", "Name", name);
    }
    v.max_len("name", "Name", name, STRING_MAX);
    v.max_len("display_name", "Display name", display_name, STRING_MAX);
}

/// Password complexity: 6..128 characters with an upper-case and a
/// lower-case letter, a digit and a special character.
pub fn password_violations(password: &str) -> Violations {
    let mut v = Violations::new();
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        v.add("password", format!("Password is too short (minimum is {PASSWORD_MIN} characters)"));
    }
    if len > PASSWORD_MAX {
        v.add("password", format!("Password is too long (maximum is {PASSWORD_MAX} characters)"));
    }
    type CharClass = fn(&char) -> bool;
    let checks: [(CharClass, &str); 4] = [
        (char::is_ascii_uppercase, "1 uppercase character"),
        (char::is_ascii_lowercase, "1 lowercase character"),
        (char::is_ascii_digit, "1 digit"),
        (|c: &char| !c.is_ascii_alphanumeric() && !c.is_whitespace(), "1 special character"),
    ];
    for (present, what) in checks {
        if !password.chars().any(|c| present(&c)) {
            v.add("password", format!("Password must contain at least {what}"));
        }
    }
    v
}
