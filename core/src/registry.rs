//! The merchant registry as the county's bureau keeps it: a list of enterprises (the statistics
//! bureau's 限上企业, and those that qualify during the campaign), read from CSV, each row checked
//! and its problem said in words before anything is written.
//!
//! A merchant is known by its 统一社会信用代码 (unified social credit code, GB 32100-2015): 18
//! characters, the last a check character over the first 17.

use std::fmt;

/// The characters a credit code is written in (no I, O, S, V or Z), each worth its position.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// The weight of each of the first 17 characters: 3^i mod 31.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// A unified social credit code that has passed its check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CreditCode(String);

/// Why a credit code is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeProblem {
    Length(usize),
    Character(char),
    CheckCharacter { expected: char, found: char },
}

impl fmt::Display for CodeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeProblem::Length(n) => write!(f, "统一社会信用代码有 18 位，这里有 {n} 位"),
            CodeProblem::Character(c) => write!(f, "统一社会信用代码里不会有「{c}」"),
            CodeProblem::CheckCharacter { expected, found } => write!(
                f,
                "统一社会信用代码的校验位应为「{expected}」，这里是「{found}」：请核对是否抄错"
            ),
        }
    }
}

impl CreditCode {
    /// Reads a code as people write it: spaces around it and lower-case letters are forgiven.
    pub fn parse(text: &str) -> Result<CreditCode, CodeProblem> {
        let code: String = text.trim().to_uppercase();
        let n = code.chars().count();
        if n != 18 {
            return Err(CodeProblem::Length(n));
        }
        let mut sum = 0u32;
        let mut last = '0';
        for (i, c) in code.chars().enumerate() {
            let value = u8::try_from(c)
                .ok()
                .and_then(|b| ALPHABET.iter().position(|&a| a == b))
                .ok_or(CodeProblem::Character(c))?;
            match WEIGHTS.get(i) {
                Some(w) => sum += value as u32 * w,
                None => last = c,
            }
        }
        let expected = char::from(ALPHABET[((31 - sum % 31) % 31) as usize]);
        if last != expected {
            return Err(CodeProblem::CheckCharacter {
                expected,
                found: last,
            });
        }
        Ok(CreditCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One merchant as the list gives it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub credit_code: CreditCode,
    /// A category id of the campaigns (`retail`), whichever way the list named it.
    pub category: String,
    pub county: String,
    pub address: String,
    pub contact: String,
}

/// One line of the list: what it lists, or what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line's number in the file, counting the header as 1.
    pub number: usize,
    pub outcome: Result<Listed, String>,
}

/// The most lines one list may have.
pub const MAX_LINES: usize = 20_000;
/// The most characters one field may have.
pub const MAX_FIELD: usize = 200;

/// The columns, by the names a bureau's spreadsheet gives them.
const COLUMNS: [(&str, &[&str]); 6] = [
    (
        "name",
        &["name", "名称", "商户名称", "企业名称", "单位名称", "商户"],
    ),
    (
        "credit_code",
        &["credit_code", "统一社会信用代码", "信用代码", "社会信用代码"],
    ),
    ("category", &["category", "类别", "行业", "行业类别", "商户类别"]),
    ("county", &["county", "县", "区县", "所属县区", "县区"]),
    ("address", &["address", "地址", "经营地址"]),
    ("contact", &["contact", "联系人", "联系电话", "联系方式"]),
];

/// Reads the list. `categories` are the campaigns' (id, Chinese name) pairs: a row may name its
/// category either way. The header line names the columns (in Chinese or English, in any
/// order); name, credit code and category are required. A code that two rows share is refused
/// on the second.
pub fn read(text: &str, categories: &[(String, String)]) -> Result<Vec<Line>, String> {
    let text = text.trim_start_matches('\u{feff}');
    read_rows(split_csv(text)?, categories)
}

/// Reads the list from its rows of cells, as [`read`] does from CSV (a spreadsheet's first sheet,
/// read by the server).
pub fn read_rows(
    mut records: Vec<Vec<String>>,
    categories: &[(String, String)],
) -> Result<Vec<Line>, String> {
    if records.is_empty() {
        return Err("the file is empty: its first line names the columns".into());
    }
    if records.len() > MAX_LINES + 1 {
        return Err(format!("a list has at most {MAX_LINES} merchants"));
    }
    let header = records.remove(0);
    let column = |key: &str| -> Option<usize> {
        let names = COLUMNS.iter().find(|(k, _)| *k == key).map(|(_, n)| *n)?;
        header.iter().position(|h| names.contains(&h.trim()))
    };
    let (Some(name), Some(code), Some(category)) =
        (column("name"), column("credit_code"), column("category"))
    else {
        return Err("the first line must name the columns 名称, 统一社会信用代码 and 类别 (and may name 县, 地址, 联系人)".into());
    };
    let (county, address, contact) = (column("county"), column("address"), column("contact"));
    let mut seen = std::collections::HashMap::new();
    let mut lines = Vec::new();
    for (i, record) in records.iter().enumerate() {
        let number = i + 2;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .map(|f| f.trim().to_owned())
                .unwrap_or_default()
        };
        let fields = Fields {
            name: get(Some(name)),
            credit_code: get(Some(code)),
            category: get(Some(category)),
            county: get(county),
            address: get(address),
            contact: get(contact),
        };
        let outcome =
            check(fields, categories).and_then(|m| match seen.insert(m.credit_code.clone(), number) {
                Some(first) => Err(format!("与第 {first} 行的统一社会信用代码相同")),
                None => Ok(m),
            });
        lines.push(Line { number, outcome });
    }
    Ok(lines)
}

/// A merchant's fields as someone typed them (a line of the list, or the console's form).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub name: String,
    pub credit_code: String,
    pub category: String,
    pub county: String,
    pub address: String,
    pub contact: String,
}

/// Checks one merchant's fields: a name, a credit code that passes its check, a category the
/// campaigns know (by id or by Chinese name), no field over [`MAX_FIELD`] characters.
pub fn check(f: Fields, categories: &[(String, String)]) -> Result<Listed, String> {
    let trimmed = |s: String| s.trim().to_owned();
    let f = Fields {
        name: trimmed(f.name),
        credit_code: trimmed(f.credit_code),
        category: trimmed(f.category),
        county: trimmed(f.county),
        address: trimmed(f.address),
        contact: trimmed(f.contact),
    };
    let all = [
        &f.name,
        &f.credit_code,
        &f.category,
        &f.county,
        &f.address,
        &f.contact,
    ];
    if all.iter().any(|v| v.chars().count() > MAX_FIELD) {
        return Err(format!("有一项超过 {MAX_FIELD} 个字"));
    }
    if f.name.is_empty() {
        return Err("没有商户名称".to_owned());
    }
    let credit_code = CreditCode::parse(&f.credit_code).map_err(|p| p.to_string())?;
    let category = categories
        .iter()
        .find(|(id, zh)| *id == f.category || *zh == f.category)
        .map(|(id, _)| id.clone())
        .ok_or_else(|| {
            let known: Vec<&str> = categories.iter().map(|(_, zh)| zh.as_str()).collect();
            format!("没有「{}」这一类别：可用 {}", f.category, known.join("、"))
        })?;
    Ok(Listed {
        name: f.name,
        credit_code,
        category,
        county: f.county,
        address: f.address,
        contact: f.contact,
    })
}

/// RFC 4180 CSV: fields split at commas, quoted fields may hold commas, quotes ("") and line
/// breaks. Excel's files are this.
fn split_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c)
            }
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                line += 1;
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(format!("line {line}: a quoted field is never closed"));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first 17 characters with the check character GB 32100 gives them.
    fn with_check(first17: &str) -> String {
        let sum: u32 = first17
            .bytes()
            .zip(WEIGHTS)
            .map(|(b, w)| ALPHABET.iter().position(|&a| a == b).unwrap_or(0) as u32 * w)
            .sum();
        format!(
            "{first17}{}",
            char::from(ALPHABET[((31 - sum % 31) % 31) as usize])
        )
    }

    #[test]
    fn credit_codes_are_checked_by_their_last_character() {
        // A code as printed on a business licence.
        assert!(CreditCode::parse("91350100M000100Y43").is_ok());
        assert_eq!(
            CreditCode::parse(" 91350100m000100y43 ").map(|c| c.0),
            Ok("91350100M000100Y43".into())
        );
        assert_eq!(
            CreditCode::parse("91350100M000100Y44"),
            Err(CodeProblem::CheckCharacter {
                expected: '3',
                found: '4'
            })
        );
        // One character mistyped, anywhere, is caught.
        let good = with_check("91140521MA0K2XY01");
        assert!(CreditCode::parse(&good).is_ok(), "{good}");
        for i in 0..17 {
            let mut wrong: Vec<char> = good.chars().collect();
            wrong[i] = if wrong[i] == '1' { '2' } else { '1' };
            let wrong: String = wrong.into_iter().collect();
            assert!(CreditCode::parse(&wrong).is_err(), "{wrong}");
        }
        assert_eq!(CreditCode::parse("9135010"), Err(CodeProblem::Length(7)));
        assert_eq!(
            CreditCode::parse("91350100M00010OY43"),
            Err(CodeProblem::Character('O'))
        );
    }

    fn categories() -> Vec<(String, String)> {
        vec![("retail".into(), "零售".into()), ("dining".into(), "餐饮".into())]
    }

    #[test]
    fn a_list_reads_whatever_the_columns_are_called_and_says_what_is_wrong_with_each_line() {
        let a = with_check("91140521MA0K2XY01");
        let b = with_check("92140521MA0K2XY02");
        let text = format!(
            "\u{feff}名称,统一社会信用代码,类别,县,地址,联系人\r\n\
             沁水百货大楼,{a},零售,沁水县,\"龙港镇, 新建路 1 号\",王经理\r\n\
             沁河人家饭店,{b},dining,沁水县,,\r\n\
             ,{b},零售,沁水县,,\r\n\
             重复的店,{a},零售,沁水县,,\r\n\
             错码的店,91140521MA0K2XY019,零售,沁水县,,\r\n\
             不明的店,{},五金,沁水县,,\r\n\
             ,,,,,\r\n",
            with_check("93140521MA0K2XY03")
        );
        let lines = read(&text, &categories()).unwrap();
        type Seen<'a> = (usize, Result<(&'a str, &'a str), &'a str>);
        let outcome: Vec<Seen> = lines
            .iter()
            .map(|l| {
                (
                    l.number,
                    l.outcome
                        .as_ref()
                        .map(|m| (m.name.as_str(), m.category.as_str()))
                        .map_err(String::as_str),
                )
            })
            .collect();
        assert_eq!(outcome[0], (2, Ok(("沁水百货大楼", "retail"))));
        assert_eq!(outcome[1], (3, Ok(("沁河人家饭店", "dining"))));
        assert_eq!(outcome[2], (4, Err("没有商户名称")));
        assert_eq!(outcome[3], (5, Err("与第 2 行的统一社会信用代码相同")));
        assert!(outcome[4].1.unwrap_err().contains("校验位"));
        assert!(outcome[5].1.unwrap_err().contains("没有「五金」这一类别"));
        assert_eq!(lines.len(), 6, "the empty line is no merchant");
        let first = lines[0].outcome.as_ref().unwrap();
        assert_eq!(first.address, "龙港镇, 新建路 1 号");
        assert_eq!(first.contact, "王经理");
        assert!(read("商户,地址\n", &categories())
            .unwrap_err()
            .contains("统一社会信用代码"));
        assert!(read("名称,统一社会信用代码,类别\n\"x,1,2\n", &categories()).is_err());
    }
}
