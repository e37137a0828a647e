//! What a staff account's name and password must be (等保 2.0: unique identity, password
//! complexity). A password has at least 8 characters, from at least 3 of the classes lower
//! case, upper case, digits and other; not the account's own name, and not one of the passwords
//! people choose most.

use std::fmt;

/// The fewest characters a password has.
pub const MIN_CHARS: usize = 8;
/// The most characters a password may have (argon2 takes any length; this bounds the work).
pub const MAX_CHARS: usize = 200;
/// The fewest character classes a password draws from.
pub const MIN_CLASSES: usize = 3;

/// Why a password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    TooShort,
    TooLong,
    TooFewClasses,
    ContainsName,
    Common,
}

impl fmt::Display for Weakness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Weakness::TooShort => "a password has at least 8 characters",
            Weakness::TooLong => "a password has at most 200 characters",
            Weakness::TooFewClasses => {
                "a password mixes at least 3 of: lower case, upper case, digits, other characters"
            }
            Weakness::ContainsName => "a password may not contain the account's name",
            Weakness::Common => "this password is one of the most common ones: choose another",
        })
    }
}

/// The most characters an account's name has.
pub const MAX_NAME_CHARS: usize = 64;

/// An account's name, trimmed: 1 to 64 characters, none of them spaces or control characters.
pub fn username(name: &str) -> Result<&str, &'static str> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err("an account name has 1 to 64 characters, with no spaces");
    }
    Ok(name)
}

/// Checks `password` for the account `username`.
pub fn check(password: &str, username: &str) -> Result<(), Weakness> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(Weakness::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(Weakness::TooLong);
    }
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|&&c| c).count() < MIN_CLASSES {
        return Err(Weakness::TooFewClasses);
    }
    let lower = password.to_lowercase();
    let name = username.trim().to_lowercase();
    if name.chars().count() >= 3 && lower.contains(&name) {
        return Err(Weakness::ContainsName);
    }
    // Common passwords dressed up to pass the class rule ("Password1!", "Qwerty123!") are still
    // common: compare with the letters and digits alone, lower-cased.
    let bare: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    if COMMON.iter().any(|c| bare == *c || lower == *c) {
        return Err(Weakness::Common);
    }
    Ok(())
}

/// The passwords most often chosen (leaked-password lists, and the Chinese favourites), in the
/// form `check` compares: lower case, letters and digits only.
const COMMON: &[&str] = &[
    "password",
    "password1",
    "password12",
    "password123",
    "password1234",
    "passw0rd",
    "p4ssw0rd",
    "qwerty123",
    "qwertyuiop",
    "qwerty1234",
    "qwe123456",
    "qweasdzxc",
    "1qaz2wsx",
    "1qaz2wsx3edc",
    "zaq12wsx",
    "abc12345",
    "abcd1234",
    "abc123456",
    "a1234567",
    "a12345678",
    "aa123456",
    "aa12345678",
    "admin123",
    "admin1234",
    "admin12345",
    "administrator",
    "welcome1",
    "welcome123",
    "iloveyou1",
    "letmein1",
    "changeme",
    "changeme1",
    "monkey123",
    "dragon123",
    "sunshine1",
    "princess1",
    "football1",
    "baseball1",
    "superman1",
    "trustno1",
    "master123",
    "shadow123",
    "woaini1314",
    "woaini520",
    "5201314a",
    "a5201314",
    "aini1314",
    "wangyang1",
    "zhangwei1",
    "liuyang1",
    "huang123",
    "zhang123",
    "wang1234",
    "li123456",
    "china123",
    "beijing1",
    "shanghai1",
    "test1234",
    "test12345",
    "demo1234",
    "user1234",
    "root1234",
    "guest123",
    "summer2024",
    "summer2025",
    "summer2026",
    "winter2025",
    "winter2026",
    "spring2026",
    "autumn2026",
    "qinshui2022",
    "jishan2023",
    "quan1234",
    "coupon123",
    "xiaofeiquan",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strong_passwords_pass_and_weak_ones_say_why() {
        assert_eq!(check("Tiao-Jian-7", "li.ming"), Ok(()));
        assert_eq!(check("县局Chun2026", "op"), Ok(()));
        assert_eq!(check("Ab1!", "x"), Err(Weakness::TooShort));
        assert_eq!(check("alllowercase1", "x"), Err(Weakness::TooFewClasses));
        assert_eq!(check("ALLUPPER-CASE", "x"), Err(Weakness::TooFewClasses));
        assert_eq!(check("Wangfang-2026", "wangfang"), Err(Weakness::ContainsName));
        assert_eq!(check("Password1!", "x"), Err(Weakness::Common));
        assert_eq!(check("Qwerty123!", "x"), Err(Weakness::Common));
        assert_eq!(check("Demo1234", "x"), Err(Weakness::Common));
        assert_eq!(check(&"Aa1!".repeat(60), "x"), Err(Weakness::TooLong));
    }

    #[test]
    fn account_names_are_short_and_have_no_spaces() {
        assert_eq!(username(" shou.yin "), Ok("shou.yin"));
        assert_eq!(username("沁水百货-收银1"), Ok("沁水百货-收银1"));
        assert!(username("").is_err());
        assert!(username("two words").is_err());
        assert!(username(&"x".repeat(65)).is_err());
    }

    #[test]
    fn the_common_list_is_in_the_form_check_compares() {
        for c in COMMON {
            assert!(
                c.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit()),
                "{c}"
            );
        }
    }
}
