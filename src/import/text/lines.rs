//! Lines into cells, and the spacing a copy out of a PDF leaves in Chinese text.

/// One line of the text split into cells; `no` counts from 1, as an editor shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Line {
    pub no: u32,
    pub cells: Vec<String>,
}

impl Line {
    /// Whether the line holds no text at all.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }

    /// The cells joined with single spaces and squeezed: the line as one caption.
    pub fn text(&self) -> String {
        squeeze(&self.cells.join(" "))
    }

    /// The number of cells holding text.
    pub fn filled(&self) -> usize {
        self.cells.iter().filter(|c| !c.trim().is_empty()).count()
    }

    /// Whether the line is a caption line (`填报单位：…`, `填表人：… 联系电话：…`) rather than a
    /// table row: its first text opens with a caption.
    pub fn is_caption(&self) -> bool {
        let first = self
            .cells
            .iter()
            .map(|c| compact(c))
            .find(|c| !c.is_empty())
            .unwrap_or_default();
        super::captions::KEYS
            .iter()
            .any(|k| first.starts_with(&compact(k)))
            && !super::captions::captions(&self.text()).is_empty()
    }

    /// The number of cells up to the last one holding text.
    pub fn used(&self) -> usize {
        self.cells
            .iter()
            .rposition(|c| !c.trim().is_empty())
            .map_or(0, |i| i + 1)
    }
}

/// Splits `text` into lines of cells: at tabs when the text holds any tab, else at runs of two
/// or more spaces, each pair of spaces standing for one column boundary (the way a tab is
/// usually replaced). A cell is kept as written; squeezing happens where it is read.
pub(super) fn split(text: &str) -> Vec<Line> {
    let tabs = text.contains('\t');
    text.lines()
        .zip(1u32..)
        .map(|(line, no)| Line {
            no,
            cells: if tabs {
                line.split('\t').map(str::to_owned).collect()
            } else {
                split_spaces(line)
            },
        })
        .collect()
}

fn split_spaces(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut spaces = 0usize;
    for c in line.chars() {
        if c == ' ' || c == '\u{3000}' {
            spaces += 1;
            continue;
        }
        if spaces >= 2 {
            cells.push(std::mem::take(&mut cell));
            for _ in 1..spaces / 2 {
                cells.push(String::new());
            }
        } else if spaces == 1 {
            cell.push(' ');
        }
        spaces = 0;
        cell.push(c);
    }
    cells.push(cell);
    // Separators at the end of a line stand for empty cells too.
    if spaces >= 2 && cells.iter().any(|c| !c.is_empty()) {
        cells.extend(std::iter::repeat_n(String::new(), spaces / 2));
    }
    cells
}

/// Whether `c` belongs to Chinese text: a Han character, CJK or full-width punctuation, or
/// Chinese quotation marks.
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{3000}'..='\u{303F}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{2018}'..='\u{201D}'
        | '\u{2026}'
        | '\u{00B7}')
}

/// Rejoins text that a PDF copy broke with spaces: whitespace between two Chinese characters
/// is dropped (`开通工伤保险 人社通账号的企业 数` → `开通工伤保险人社通账号的企业数`),
/// whitespace beside a digit or a Latin letter is kept as one space (`目标 1：`, `250 家`).
pub(super) fn squeeze(text: &str) -> String {
    rejoin(text, "")
}

/// Like `squeeze`, for a free-text cell whose printed lines are the writer's own: whitespace
/// between two Chinese characters becomes a line break.
pub(super) fn paragraphs(text: &str) -> String {
    rejoin(text, "\n")
}

fn rejoin(text: &str, between_cjk: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    let mut last: Option<char> = None;
    for c in text.chars() {
        if c.is_whitespace() {
            gap = last.is_some();
            continue;
        }
        if gap {
            if last.is_some_and(is_cjk) && is_cjk(c) {
                out.push_str(between_cjk);
            } else {
                out.push(' ');
            }
            gap = false;
        }
        out.push(c);
        last = Some(c);
    }
    out
}

/// The text without any whitespace: for labels matched against known captions.
pub(super) fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_inside_chinese_words_are_dropped_and_beside_digits_kept() {
        assert_eq!(
            squeeze("开通工伤保险 人社通账号的企业 数"),
            "开通工伤保险人社通账号的企业数"
        );
        assert_eq!(squeeze("可持 续影 响 指 标"), "可持续影响指标");
        assert_eq!(
            squeeze(" 目标 1：引导企业 250 家 "),
            "目标 1：引导企业 250 家"
        );
        assert_eq!(squeeze("产出 指标 (50分)"), "产出指标 (50分)");
        assert_eq!(
            squeeze("是落实老工伤待 遇，保障社会 稳定。"),
            "是落实老工伤待遇，保障社会稳定。"
        );
        assert_eq!(
            paragraphs("提高。 预算执行率， 进行"),
            "提高。\n预算执行率，\n进行"
        );
    }

    #[test]
    fn lines_split_at_tabs_or_at_runs_of_spaces() {
        let lines = split("a\t\tb\nc");
        assert_eq!(lines[0].cells, ["a", "", "b"]);
        assert_eq!(lines[1].no, 2);
        let lines = split("部门 资金  年初预算数      144.22\n    x");
        assert_eq!(
            lines[0].cells,
            ["部门 资金", "年初预算数", "", "", "144.22"]
        );
        assert_eq!(lines[1].cells, ["", "", "x"]);
    }
}
