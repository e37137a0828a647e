//! Newtype identifiers, so a coupon number can never be passed where a merchant's is expected.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! numeric_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_owned())
            }
        }
    };
}

numeric_id!(
    /// A coupon, claimed or allocated. At most ten digits, so it fits the code a resident shows.
    CouponId
);
numeric_id!(
    /// A resident: one real-name person (one ID number), whatever the account or device.
    ResidentId
);
numeric_id!(
    /// A merchant (a shop, a fuel station, a dealer).
    MerchantId
);
numeric_id!(
    /// One redemption of a coupon at a merchant's till.
    RedemptionId
);

text_id!(
    /// A campaign, by its short name: `qinshui-2022-r2`.
    CampaignId
);
text_id!(
    /// A coupon kind within a campaign: `retail`, `fuel`, `love`.
    KindId
);
text_id!(
    /// A merchant category: `retail`, `fuel`, `appliance`, `dining`, `car-dealer`.
    CategoryId
);

/// A mainland mobile number as people write it (spaces and dashes allowed), as its 11 digits;
/// `None` if it is not one.
pub fn mobile_number(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    (digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some(digits)
}

/// A mobile number as shown to others: `138****0001`.
pub fn masked_mobile(digits: &str) -> String {
    match (digits.get(..3), digits.get(7..)) {
        (Some(head), Some(tail)) => format!("{head}****{tail}"),
        _ => "****".to_owned(),
    }
}

/// A bank card number as lists show it: its first four and last four digits, `6222 **** **** 1234`.
pub fn masked_card(digits: &str) -> String {
    let n = digits.len();
    match (digits.get(..4), digits.get(n.saturating_sub(4)..)) {
        (Some(head), Some(tail)) if n >= 8 => format!("{head} **** **** {tail}"),
        _ => "****".to_owned(),
    }
}

#[cfg(test)]
mod mobile_tests {
    use super::*;

    #[test]
    fn card_numbers_show_only_their_ends() {
        assert_eq!(masked_card("6222021234567890123"), "6222 **** **** 0123");
        assert_eq!(masked_card("622202123456"), "6222 **** **** 3456");
        assert_eq!(masked_card("1234567"), "****");
        assert_eq!(masked_mobile("13800000001"), "138****0001");
    }

    #[test]
    fn mobile_numbers_as_people_write_them() {
        assert_eq!(mobile_number("138 0000-0001").as_deref(), Some("13800000001"));
        assert_eq!(mobile_number("23800000001"), None);
        assert_eq!(mobile_number("1380000000"), None);
        assert_eq!(mobile_number("1380000000x"), None);
        assert_eq!(masked_mobile("13800000001"), "138****0001");
    }
}
