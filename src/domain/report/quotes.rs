//! Reading the figures a report quotes beside the keywords it knows.
//!
//! A report is prose: `“三公”经费总额 2.87 万元，……同比上年减少了 3200 元`. The reader takes a
//! figure only where the keyword and the figure leave no doubt: the figure carries a unit
//! (元, 万元, %, 人, 分), stands in the keyword's own clause a few characters after it, or in a
//! following clause of the same sentence that states a change (比上年增加 …, 减少了 …) or a
//! budget (年初预算 …). A clause with an amount of its own and no keyword ends the keyword's
//! reach, so `其中：上级补助收入 65 万元` is never read as the 决算收入总计.

use rust_decimal::Decimal;

/// What a quoted figure is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyword {
    /// 预算执行率.
    ExecutionRate,
    /// “三公”经费.
    ThreePublic,
    /// 公务用车购置和维护经费.
    PublicCars,
    /// 公车购置.
    CarPurchase,
    /// 公车运行维护.
    CarUpkeep,
    /// 公务接待.
    Reception,
    /// 因公出国（境）费.
    TravelAbroad,
    /// 基本支出.
    BasicSpending,
    /// 项目支出.
    ProjectSpending,
    /// 人员经费.
    StaffCosts,
    /// 公用经费.
    OfficeCosts,
    /// 编制.
    Authorized,
    /// 在职.
    Staff,
    /// 决算收入总计.
    IncomeTotal,
    /// 决算支出总计.
    SpendingTotal,
    /// 总分 / 自评得分.
    Total,
}

/// The words that name each keyword in prose, with quotes and spaces removed; longer words
/// are tried first.
const WORDS: [(&str, Keyword); 26] = [
    ("公务用车购置和维护经费", Keyword::PublicCars),
    ("公务用车购置及运行维护费", Keyword::PublicCars),
    ("公务用车购置及运行费", Keyword::PublicCars),
    ("公务用车运行维护费", Keyword::CarUpkeep),
    ("因公出国（境）费", Keyword::TravelAbroad),
    ("因公出国(境)费", Keyword::TravelAbroad),
    ("公务用车运行费", Keyword::CarUpkeep),
    ("公务用车购置费", Keyword::CarPurchase),
    ("决算收入总计", Keyword::IncomeTotal),
    ("决算支出总计", Keyword::SpendingTotal),
    ("公车运行维护", Keyword::CarUpkeep),
    ("预算执行率", Keyword::ExecutionRate),
    ("公务接待费", Keyword::Reception),
    ("因公出国费", Keyword::TravelAbroad),
    ("自评得分", Keyword::Total),
    ("三公经费", Keyword::ThreePublic),
    ("公务接待", Keyword::Reception),
    ("公车购置", Keyword::CarPurchase),
    ("出国经费", Keyword::TravelAbroad),
    ("基本支出", Keyword::BasicSpending),
    ("项目支出", Keyword::ProjectSpending),
    ("人员经费", Keyword::StaffCosts),
    ("公用经费", Keyword::OfficeCosts),
    ("总分", Keyword::Total),
    ("编制", Keyword::Authorized),
    ("在职", Keyword::Staff),
];

/// The unit a figure is quoted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotedUnit {
    /// 元.
    Yuan,
    /// 万元.
    TenThousandYuan,
    /// %.
    Percent,
    /// 人.
    Person,
    /// 分 (points).
    Point,
}

impl QuotedUnit {
    /// The unit as printed.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Yuan => "元",
            Self::TenThousandYuan => "万元",
            Self::Percent => "%",
            Self::Person => "人",
            Self::Point => "分",
        }
    }

    fn is_money(self) -> bool {
        matches!(self, Self::Yuan | Self::TenThousandYuan)
    }
}

impl Keyword {
    /// The keyword as a reviewer reads it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::ExecutionRate => "预算执行率",
            Self::ThreePublic => "三公经费",
            Self::PublicCars => "公务用车购置和维护经费",
            Self::CarPurchase => "公车购置",
            Self::CarUpkeep => "公车运行维护",
            Self::Reception => "公务接待",
            Self::TravelAbroad => "出国经费",
            Self::BasicSpending => "基本支出",
            Self::ProjectSpending => "项目支出",
            Self::StaffCosts => "人员经费",
            Self::OfficeCosts => "公用经费",
            Self::Authorized => "编制",
            Self::Staff => "在职",
            Self::IncomeTotal => "决算收入总计",
            Self::SpendingTotal => "决算支出总计",
            Self::Total => "总分",
        }
    }

    /// Whether a level figure in `unit` can be this keyword's.
    fn takes_level(self, unit: QuotedUnit) -> bool {
        match self {
            Self::ExecutionRate => unit == QuotedUnit::Percent,
            Self::Authorized | Self::Staff => unit == QuotedUnit::Person,
            Self::Total => unit == QuotedUnit::Point,
            _ => unit.is_money(),
        }
    }

    /// Whether the keyword is an amount, whose changes the reader takes.
    fn is_amount(self) -> bool {
        !matches!(
            self,
            Self::ExecutionRate | Self::Authorized | Self::Staff | Self::Total
        )
    }
}

/// Which figure of the form a level quote states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// This year's 决算数 (or the single figure the keyword has).
    Actual,
    /// The 预算数.
    Budget,
    /// Last year's 决算数.
    LastYear,
}

/// What a change is measured against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    /// 比预算 / 比年初预算数.
    Budget,
    /// 比上年 / 同比.
    LastYear,
}

/// What a quote says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Statement {
    /// A figure (`三公经费总额 2.87 万元`).
    Level(Column),
    /// A change (`同比上年减少了 3200 元`); the value is negative for a fall.
    Change(Base),
}

/// One figure read from the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    /// What it is about.
    pub keyword: Keyword,
    /// What it says.
    pub statement: Statement,
    /// The value, negative for a fall.
    pub value: Decimal,
    /// Its unit.
    pub unit: QuotedUnit,
    /// The words as printed (quotes and spaces removed): `同比上年减少了3200元`.
    pub text: String,
    /// The whole sentence as printed.
    pub sentence: String,
}

/// A stated grade (`自查自评结果为优秀`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GradeQuote {
    /// The grade word.
    pub grade: String,
    /// The whole sentence as printed.
    pub sentence: String,
}

const GRADES: [&str; 8] = ["优秀", "良好", "合格", "中等", "较差", "优", "良", "差"];
const RISE: [&str; 4] = ["增加", "增长", "上升", "提高"];
const FALL: [&str; 5] = ["减少", "下降", "降低", "压减", "节约"];

/// The sentences of a text: split at line breaks and at 。；！？, numbering at the start of a
/// line (`1.`, `（2）`) left out.
#[must_use]
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut current = String::new();
        for c in line.chars() {
            current.push(c);
            if matches!(c, '。' | '；' | ';' | '！' | '？' | '!' | '?') {
                out.push(std::mem::take(&mut current));
            }
        }
        out.push(current);
    }
    out.into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A sentence with spaces and quote marks removed, numbering at its start dropped.
fn normalize(sentence: &str) -> Vec<char> {
    let chars: Vec<char> = sentence
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '“' | '”' | '"' | '‘' | '’' | '\'' | '「' | '」')
        })
        .collect();
    let text: String = chars.iter().collect();
    let trimmed = strip_leading_number(&text);
    trimmed.chars().collect()
}

fn strip_leading_number(text: &str) -> &str {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits <= 2 {
        let rest = &text[digits..];
        for mark in ['.', '、', '．'] {
            if let Some(after) = rest.strip_prefix(mark) {
                return after;
            }
        }
    }
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = text.strip_prefix(open) {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 {
                if let Some(after) = rest[digits..].strip_prefix(close) {
                    return after;
                }
            }
        }
    }
    text
}

/// A keyword or a figure in a clause.
enum Token {
    Keyword {
        keyword: Keyword,
        start: usize,
        end: usize,
    },
    Figure {
        value: Decimal,
        unit: QuotedUnit,
        start: usize,
        end: usize,
    },
}

fn tokens(clause: &[char]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    'outer: while i < clause.len() {
        for (word, keyword) in WORDS {
            let word: Vec<char> = word.chars().collect();
            if clause[i..].starts_with(&word) {
                out.push(Token::Keyword {
                    keyword,
                    start: i,
                    end: i + word.len(),
                });
                i += word.len();
                continue 'outer;
            }
        }
        if clause[i].is_ascii_digit() {
            let start = i;
            while i < clause.len() && clause[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < clause.len() && clause[i] == '.' && clause[i + 1].is_ascii_digit() {
                i += 1;
                while i < clause.len() && clause[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let digits: String = clause[start..i].iter().collect();
            let rest: String = clause[i..].iter().take(2).collect();
            let unit = if rest.starts_with("万元") {
                Some((QuotedUnit::TenThousandYuan, 2))
            } else if rest.starts_with('元') {
                Some((QuotedUnit::Yuan, 1))
            } else if rest.starts_with(['%', '％']) {
                Some((QuotedUnit::Percent, 1))
            } else if rest.starts_with('人') && !rest.starts_with("人次") {
                Some((QuotedUnit::Person, 1))
            } else if rest.starts_with('分') {
                Some((QuotedUnit::Point, 1))
            } else {
                None
            };
            if let (Some((unit, len)), Ok(value)) = (unit, Decimal::from_str_exact(&digits)) {
                out.push(Token::Figure {
                    value,
                    unit,
                    start,
                    end: i + len,
                });
                i += len;
            }
            continue;
        }
        i += 1;
    }
    out
}

fn contains(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// The figures a sentence quotes beside keywords.
#[must_use]
pub fn quotes(sentence: &str) -> Vec<Quote> {
    let chars = normalize(sentence);
    let mut out = Vec::new();
    let mut context: Option<Keyword> = None;
    let mut base: Option<Base> = None;
    for clause in chars.split(|c| matches!(c, '，' | ',' | '：' | ':')) {
        let tokens = tokens(clause);
        let mut anchor = 0;
        let mut own_keyword = false;
        let mut broken = false;
        for token in &tokens {
            match *token {
                Token::Keyword { keyword, end, .. } => {
                    if context != Some(keyword) {
                        base = None;
                    }
                    context = Some(keyword);
                    anchor = end;
                    own_keyword = true;
                }
                Token::Figure {
                    value,
                    unit,
                    start,
                    end,
                } => {
                    let before: String = clause[anchor..start].iter().collect();
                    let Some(keyword) = context else {
                        anchor = end;
                        continue;
                    };
                    let statement = read_statement(
                        keyword,
                        clause,
                        &tokens,
                        &before,
                        unit,
                        own_keyword,
                        &mut base,
                    );
                    match statement {
                        Some((statement, sign)) => out.push(Quote {
                            keyword,
                            statement,
                            value: if sign { value } else { -value },
                            unit,
                            text: clause[anchor.min(start)..end].iter().collect(),
                            sentence: sentence.trim().to_owned(),
                        }),
                        None if unit.is_money() && !own_keyword && !before.contains('占') => {
                            broken = true;
                        }
                        None => {}
                    }
                    anchor = end;
                    // One figure per keyword in its own clause: the next one is not its.
                    own_keyword = false;
                }
            }
        }
        if broken {
            context = None;
            base = None;
        }
    }
    out
}

/// What a figure after `before` (the words since the keyword or the clause start) states,
/// and whether it is positive.
fn read_statement(
    keyword: Keyword,
    clause: &[char],
    tokens: &[Token],
    before: &str,
    unit: QuotedUnit,
    own_keyword: bool,
    base: &mut Option<Base>,
) -> Option<(Statement, bool)> {
    if before.chars().count() > 12 || before.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let rise = contains(before, &RISE);
    let fall = contains(before, &FALL);
    if rise || fall {
        if !keyword.is_amount() || rise == fall {
            return None;
        }
        if contains(before, &["预算"]) {
            *base = Some(Base::Budget);
        } else if contains(before, &["上年", "同比", "去年"]) {
            *base = Some(Base::LastYear);
        }
        let base = (*base)?;
        if !(unit.is_money() || unit == QuotedUnit::Percent) {
            return None;
        }
        return Some((Statement::Change(base), rise));
    }
    if before.contains('占') || !keyword.takes_level(unit) || before.chars().count() > 8 {
        return None;
    }
    let budget = contains(before, &["预算"]);
    if !own_keyword {
        // Outside the keyword's clause only a budget named at the clause's start is its.
        let leading: String = clause.iter().take(4).collect();
        let first_token_is_figure = matches!(tokens.first(), Some(Token::Figure { .. }));
        if !(first_token_is_figure
            && (leading.starts_with("年初预算") || leading.starts_with("预算")))
        {
            return None;
        }
        return Some((Statement::Level(Column::Budget), true));
    }
    let keyword_start = tokens.iter().find_map(|t| match t {
        Token::Keyword { start, .. } => Some(*start),
        Token::Figure { .. } => None,
    });
    let last_year = keyword_start.is_some_and(|start| {
        let lead: String = clause[start.saturating_sub(3)..start].iter().collect();
        lead.contains("上年") || lead.contains("去年")
    });
    let column = if budget {
        Column::Budget
    } else if last_year {
        Column::LastYear
    } else {
        Column::Actual
    };
    Some((Statement::Level(column), true))
}

/// The grade a sentence states as the evaluation's result (`自评结果为优秀`).
#[must_use]
pub fn grade_quote(sentence: &str) -> Option<GradeQuote> {
    let text: String = normalize(sentence).into_iter().collect();
    let at = ["评价结果", "自评结果", "评价等级", "评定等级", "自评等级"]
        .iter()
        .filter_map(|w| text.find(w).map(|i| i + w.len()))
        .min()?;
    let rest = &text[at..];
    let rest = rest
        .strip_prefix("为")
        .or_else(|| rest.strip_prefix("是"))
        .or_else(|| rest.strip_prefix("："))
        .or_else(|| rest.strip_prefix(':'))?;
    let grade = GRADES.iter().find(|g| rest.starts_with(*g))?;
    // `优秀级` or `优秀。` are fine; `良好的` is not a grade statement but praise.
    let after = &rest[grade.len()..];
    if !(after.is_empty() || after.starts_with(['。', '，', '；', '（', '(', '级', '等'])) {
        return None;
    }
    Some(GradeQuote {
        grade: (*grade).to_owned(),
        sentence: sentence.trim().to_owned(),
    })
}
