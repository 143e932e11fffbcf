//! The Chinese text of every message, in the terms of the official forms and rules.

use super::{
    AmountColumn, BandUse, Blank, BreakdownScope, Cell, Conversion, Detail, Msg, QuantRule,
    RateProblem, ShareSplit, Term, TierReason, WeightPool, WeightScope, plain, two,
};
use rust_decimal::Decimal;

use crate::domain::access::{Operation, Role};
use crate::domain::document::{BreakdownGroup, Method};
use crate::domain::lifecycle::Transition;

const ROUNDED: &str = "（四舍五入保留两位小数）";

fn method(method: Method) -> &'static str {
    match method {
        Method::Positive => "正向指标",
        Method::Reverse => "反向指标",
        Method::Equal => "等于型指标",
        Method::Qualitative => "定性指标",
        Method::NotApplicable => "不适用指标",
    }
}

fn cell(cell: Cell) -> &'static str {
    match cell {
        Cell::Target => "年度指标值",
        Cell::Actual => "实际完成值",
    }
}

fn column(column: AmountColumn) -> &'static str {
    match column {
        AmountColumn::InitialBudget => "年初预算数",
        AmountColumn::AnnualBudget => "全年预算数",
        AmountColumn::Executed => "全年执行数",
    }
}

fn group(group: BreakdownGroup) -> &'static str {
    match group {
        BreakdownGroup::Income => "按收入性质分",
        BreakdownGroup::Expenditure => "按支出性质分",
        BreakdownGroup::Source => "其中",
    }
}

fn rate_problem(why: &RateProblem) -> String {
    match why {
        RateProblem::BudgetBlank => "全年预算数未填".to_owned(),
        RateProblem::ExecutedBlank => "全年执行数未填".to_owned(),
        RateProblem::BudgetZero => "全年预算数为 0".to_owned(),
        RateProblem::NoRate { budget, executed } => {
            format!("全年预算数 {budget}、全年执行数 {executed} 算不出执行率")
        }
    }
}

fn weight_scope(scope: &WeightScope) -> String {
    match scope {
        WeightScope::Execution => "预算执行率".to_owned(),
        WeightScope::Indicators => "绩效指标合计".to_owned(),
        WeightScope::Level1(label) => format!("“{label}”"),
    }
}

fn conversion(conversion: Option<&Conversion>) -> String {
    conversion.map_or_else(String::new, |c| {
        format!(
            "完成值 {}{} 折合 {}{}；",
            plain(c.from),
            c.from_unit,
            plain(c.to),
            c.to_unit
        )
    })
}

fn quant_rule(rule: &QuantRule) -> String {
    match rule {
        QuantRule::ReverseFull { actual } => {
            format!("反向指标：完成值 {} 不高于指标值，得满分", plain(*actual))
        }
        QuantRule::Reverse {
            weight,
            target,
            actual,
        } => format!(
            "反向指标：得分 = 分值 {} × min(指标值 {} ÷ 完成值 {}, 1)",
            plain(*weight),
            plain(*target),
            plain(*actual)
        ),
        QuantRule::EqualMet { actual } => {
            format!("等于型指标：完成值 {} 等于指标值，得满分", plain(*actual))
        }
        QuantRule::PositiveZeroTarget { target } => format!(
            "正向指标：指标值为 {}，完成值不低于指标值即得满分",
            plain(*target)
        ),
        QuantRule::Positive {
            weight,
            actual,
            target,
        } => format!(
            "正向指标：得分 = 分值 {} × min(完成值 {} ÷ 指标值 {}, 1)",
            plain(*weight),
            plain(*actual),
            plain(*target)
        ),
    }
}

fn tier_reason(reason: &TierReason) -> String {
    match reason {
        TierReason::RepeatsTarget => "完成值与指标值一致".to_owned(),
        TierReason::Says(phrase) => format!("完成值写有“{phrase}”"),
    }
}

fn band_use(declared: &BandUse) -> String {
    match declared {
        BandUse::Inside(d) => format!("自评得分 {} 在区间内，予以采用", plain(*d)),
        BandUse::Clamped(d) => format!("自评得分 {} 超出区间，取区间内最近值", plain(*d)),
        BandUse::Missing => "未填自评得分，取区间上限".to_owned(),
    }
}

fn unit(unit: Option<&String>) -> &str {
    unit.map_or("无单位", String::as_str)
}

/// The message in Chinese.
#[expect(
    clippy::too_many_lines,
    reason = "one arm per key: the catalogue reads as one table"
)]
pub(super) fn render(msg: &Msg) -> String {
    match msg {
        Msg::MissingDeviationReason {
            name,
            target,
            actual,
        } => {
            format!("“{name}”未完成年度指标值（{target} → {actual}），指标和表格均未说明偏差原因。")
        }
        Msg::OperatorUnreadable {
            name,
            operator,
            method: m,
        } => format!(
            "“{name}”的指标性质“{operator}”不是 ≥、>、≤、<、=、正向、反向、定性之一，改按年度指标值判定为{}。",
            method(*m)
        ),
        Msg::TargetBlank { name } => format!(
            "“{name}”未填年度指标值；如该指标不适用，请标为不适用（not_applicable），总分将按适用分值折算。"
        ),
        Msg::NotANumber {
            name,
            cell: c,
            text,
            method: m,
        } => format!(
            "“{name}”的{}“{text}”不是数值，无法按{}评分，改按定性指标分档评分。",
            cell(*c),
            method(*m)
        ),
        Msg::EqualTargetNotMet { name } => {
            format!("“{name}”的指标值为“=”，实际完成值与之不等，按正向指标评分。")
        }
        Msg::OverAchievement {
            name,
            percent,
            threshold,
        } => format!(
            "“{name}”完成年度指标值的 {} %（提示线 {} %），指标值可能设定偏低；不扣分。",
            two(*percent),
            plain(*threshold)
        ),
        Msg::ActualBlank { name, target } => {
            format!("“{name}”未填实际完成值（年度指标值“{target}”），按未完成计 0 分。")
        }
        Msg::UnitMismatch {
            name,
            target_unit,
            actual_unit,
        } => format!(
            "“{name}”的年度指标值单位为{}，实际完成值单位为{}；按填写的数字直接比较。",
            unit(target_unit.as_ref()),
            unit(actual_unit.as_ref())
        ),
        Msg::TierUnknown {
            name,
            actual,
            target,
        } => format!(
            "无法从“{name}”的实际完成值“{actual}”（年度指标值“{target}”）判断完成档次；保留自评得分，以分值为上限。"
        ),
        Msg::ScoreOutsideBand {
            name,
            declared,
            tier,
            band,
            clamped,
        } => format!(
            "“{name}”自评得分 {}，但实际完成值对应“{tier}”（区间 {band}）；规则得分取 {}。",
            plain(*declared),
            plain(*clamped)
        ),
        Msg::QualitativeScoreMissing { name, top } => {
            format!("“{name}”未填自评得分；取其档次区间上限 {}。", plain(*top))
        }
        Msg::LeafScoreMissing { name } => format!("“{name}”未填自评得分。"),
        Msg::LeafScoreExceedsWeight {
            name,
            declared,
            weight,
        } => format!(
            "“{name}”自评得分 {} 超过分值 {}。",
            plain(*declared),
            plain(*weight)
        ),
        Msg::LeafScoreDiffers {
            name,
            declared,
            score,
        } => format!(
            "“{name}”自评得分 {}，按规则应得 {}。",
            plain(*declared),
            two(*score)
        ),
        Msg::RateNotComputable { why } => format!(
            "无法计算预算执行率：{}；预算执行率得分计 0 分。",
            rate_problem(why)
        ),
        Msg::DeclaredRateDiffers { declared, computed } => format!(
            "填报的执行率 {declared} % 不等于全年执行数 ÷ 全年预算数 = {} %。",
            two(*computed)
        ),
        Msg::ExecutionScoreMissing => "预算执行率未填自评得分。".to_owned(),
        Msg::ExecutionScoreExceedsWeight { declared, weight } => format!(
            "预算执行率自评得分 {} 超过分值 {}。",
            plain(*declared),
            plain(*weight)
        ),
        Msg::ExecutionScoreDiffers { declared, score } => format!(
            "预算执行率自评得分 {} 与规则得分 {} 不符。",
            plain(*declared),
            two(*score)
        ),
        Msg::BreakdownDoesNotSum {
            scope,
            names,
            column: col,
            figures,
            sum,
            total,
            difference,
            rounding,
        } => {
            let rows = match scope {
                BreakdownScope::Group(g) => format!("{}各行", group(*g)),
                BreakdownScope::Under(parent) => format!("“{parent}”下各行"),
            };
            let figures: Vec<String> = figures.iter().map(ToString::to_string).collect();
            format!(
                "{rows}（{}）的{}合计 {} = {sum}，不等于 {total}（相差 {difference}{}）。",
                names.join(" + "),
                column(*col),
                figures.join(" + "),
                if *rounding {
                    "，在尾差范围内"
                } else {
                    ""
                }
            )
        }
        Msg::WeightsDoNotSum {
            name,
            declared,
            sum,
        } => format!(
            "“{name}”分值为 {}，其下指标分值合计为 {}。",
            plain(*declared),
            plain(*sum)
        ),
        Msg::TotalWeightNot100 {
            total,
            execution,
            indicators,
        } => format!(
            "分值合计为 {}（预算执行率 {} + 绩效指标 {}），不是 100；总分按 100 分折算。",
            plain(*total),
            plain(*execution),
            plain(*indicators)
        ),
        Msg::WeightDiffersFromRuleset {
            scope,
            got,
            ruleset,
            want,
        } => format!(
            "{}分值为 {}，评分规则 {ruleset} 规定为 {}。",
            weight_scope(scope),
            plain(*got),
            plain(*want)
        ),
        Msg::DeclaredTotalDiffers { total, sum } => format!(
            "自评总分 {} 不等于各项自评得分之和 {}。",
            plain(*total),
            plain(*sum)
        ),
        Msg::DeclaredGradeMissing { ruleset } => {
            format!("表格未填自评等级；评分规则 {ruleset} 要求填写。")
        }
        Msg::DeclaredGradeUnreadable { grade, labels } => {
            format!("自评等级“{grade}”不是{}之一。", labels.join("、"))
        }
        Msg::DeclaredGradeDiffers { grade, total, due } => format!(
            "自评等级“{grade}”与自评总分 {} 不符，该总分对应“{due}”。",
            plain(*total)
        ),
        Msg::RuleGradeDiffers { grade, rule } => {
            format!("自评等级“{grade}”与按规则评定的等级“{rule}”不符。")
        }
        Msg::LowExecutionWithoutReason { rate, threshold } => format!(
            "预算执行率为 {} %，低于 {} %，表格未填写偏差及原因分析。",
            two(*rate),
            plain(*threshold)
        ),
        Msg::ResultsExceedSpending {
            indicators,
            rate,
            margin,
        } => format!(
            "绩效指标得分率为 {} %，而预算执行率仅 {} %（相差超过 {} 个百分点）。",
            two(*indicators),
            two(*rate),
            plain(*margin)
        ),
        Msg::ExplainNotApplicable => "不适用：不计入总分，总分按适用分值折算".to_owned(),
        Msg::ExplainQuantitative {
            conversion: conv,
            rule,
            score,
        } => format!(
            "{}{} = {}{ROUNDED}",
            conversion(conv.as_ref()),
            quant_rule(rule),
            two(*score)
        ),
        Msg::ExplainActualBlank { method: m } => {
            format!("{}：未填实际完成值，得分 0", method(*m))
        }
        Msg::ExplainTierUnknown {
            actual,
            weight,
            score,
        } => format!(
            "定性指标：无法从完成值“{actual}”判断档次；采用自评得分，以分值 {} 为上限 = {}{ROUNDED}",
            plain(*weight),
            two(*score)
        ),
        Msg::ExplainQualitative {
            tier,
            reason,
            band,
            weight,
            min_percent,
            max_percent,
            declared,
            score,
        } => format!(
            "定性指标：{}，属“{tier}”档，得分区间 {band}（分值 {} 的 {} % 至 {} %）；{} = {}{ROUNDED}",
            tier_reason(reason),
            plain(*weight),
            plain(*min_percent),
            plain(*max_percent),
            band_use(declared),
            two(*score)
        ),
        Msg::ExplainExecution {
            weight,
            executed,
            budget,
            score,
            rate,
        } => format!(
            "预算执行率：得分 = 分值 {} × min(全年执行数 {executed} ÷ 全年预算数 {budget}, 1) = {}（执行率 {} %，四舍五入保留两位小数）",
            plain(*weight),
            two(*score),
            two(*rate)
        ),
        Msg::ExplainExecutionNotComputable { why } => {
            format!(
                "预算执行率：无法计算执行率（{}），得分 0",
                rate_problem(why)
            )
        }
        Msg::ExplainTotalNoWeight => "没有适用的分值：总分 0".to_owned(),
        Msg::ExplainTotalFull { total } => {
            format!("总分 = 各项规则得分之和 = {total}（适用分值合计 100，四舍五入保留两位小数）")
        }
        Msg::ExplainTotalRescaled { sum, weight, total } => format!(
            "总分 = 规则得分之和 ÷ 适用分值之和 × 100 = {} ÷ {} × 100 = {total}{ROUNDED}",
            two(*sum),
            plain(*weight)
        ),
        Msg::ExplainReviewTotal { sum, weight, total } => format!(
            "复核总分 = 复核得分之和（未复核的取规则得分）÷ 适用分值之和 × 100 = {} ÷ {} × 100 = {total}{ROUNDED}",
            two(*sum),
            plain(*weight)
        ),
        Msg::ControlRateDiffers {
            declared,
            actual,
            authorized,
            rate,
        } => format!(
            "基础数据表填报的控制率 {} 与计算结果不符：控制率 = 实际在职人数 ÷ 编制数 × 100 = {} ÷ {} × 100 = {rate}{ROUNDED}。",
            plain(*declared),
            plain(*actual),
            plain(*authorized)
        ),
        Msg::BasicDataDoesNotSum {
            parent,
            names,
            figures,
            sum,
            total,
            unit,
        } => format!(
            "{}之和 {} = {sum} {unit}，不等于{parent} {total} {unit}（空白按 0 计）。",
            names.join("、"),
            figures.join(" + "),
        ),
        Msg::BasicDataPartExceeds {
            child,
            value,
            parent,
            total,
            unit,
        } => format!("其中项{child} {value} {unit} 大于所属的{parent} {total} {unit}。"),
        Msg::BasicDataGrew {
            name,
            actual,
            last_year,
            amount,
            percent,
            unit,
        } => format!(
            "{name}比上年增加：决算数 {} {unit}，上年决算数 {} {unit}，增加 {} {unit}{}。",
            plain_or_blank(*actual),
            plain_or_blank(*last_year),
            plain(*amount),
            percent.map(|p| format!("，增长 {p}%")).unwrap_or_default()
        ),
        Msg::BasicDataOverBudget {
            name,
            actual,
            budget,
            amount,
            percent,
            unit,
        } => format!(
            "{name}决算数 {} {unit} 超出预算数 {} {unit}，超出 {} {unit}{}。",
            plain_or_blank(*actual),
            plain_or_blank(*budget),
            plain(*amount),
            percent.map(|p| format!("，超出 {p}%")).unwrap_or_default()
        ),
        Msg::ReportFigureDiffers {
            sentence,
            keyword,
            quoted,
            form,
            quoted_value,
            form_value,
            unit,
        } => match (quoted_value, form_value, unit) {
            (Some(q), Some(f), Some(unit)) => format!(
                "自评报告“{sentence}”所述{keyword} {quoted}（{q} {unit}）与表中数据不符：{form}，按报告的单位和小数位为 {f} {unit}。"
            ),
            _ => format!("自评报告“{sentence}”中{keyword}为“{quoted}”，与自评表的“{form}”不符。"),
        },
        Msg::LeafLeftOut { name, blank } => format!(
            "“{name}”{}，此项未计入得分，总分只含能计算的部分。",
            blank_zh(*blank)
        ),
        Msg::FundsWeightMissing => {
            "资金执行的分值未填，执行率未计入得分，总分只含能计算的部分。".to_owned()
        }
        Msg::WeightInferredExecution {
            ruleset,
            ruleset_id,
            weight,
        } => format!(
            "本表未填分值：预算执行率分值按评分规则「{ruleset}」（{ruleset_id}）推定为 {} 分。",
            plain(*weight)
        ),
        Msg::WeightShared {
            pool,
            weight,
            ruleset,
            ruleset_id,
            shares,
        } => {
            let what = match pool {
                WeightPool::All => format!("绩效指标合计 {} 分", plain(*weight)),
                WeightPool::Level1 { label } => format!("「{label}」{} 分", plain(*weight)),
                WeightPool::Level2 { level1, label } => {
                    format!("「{level1}」中「{label}」{} 分", plain(*weight))
                }
            };
            let split = ShareSplit::of(shares);
            let n = split.leaves;
            let rule = format!(
                "本表未填分值：{what}按评分规则「{ruleset}」（{ruleset_id}）由其 {n} 项三级指标平分"
            );
            match (split.even, split.base) {
                (Some(each), _) => format!("{rule}，每项 {} 分。", plain(each)),
                (None, Some(base)) => {
                    let mut text = format!(
                        "{rule}：{} ÷ {n} 截至 2 位小数为每项 {} 分",
                        plain(*weight),
                        plain(base)
                    );
                    if split.more > 0 {
                        text.push_str(&format!(
                            "，余下的 0.01 分依次加给前 {} 项（各 {} 分）",
                            split.more,
                            plain(base + Decimal::new(1, 2))
                        ));
                    }
                    if !split.tail.is_zero() {
                        text.push_str(&format!(
                            "，不足 0.01 分的 {} 分计入最后一项",
                            plain(split.tail)
                        ));
                    }
                    text.push_str(&format!("，合计恰为 {} 分。", plain(*weight)));
                    text
                }
                (None, None) => format!("{rule}。"),
            }
        }
        Msg::WeightLevel1Unknown {
            name,
            ruleset,
            ruleset_id,
        } => format!(
            "本表未填分值，一级指标「{name}」不在评分规则「{ruleset}」（{ruleset_id}）的一级指标分值中，无法推定其三级指标的分值，未计入得分。"
        ),
        Msg::WeightLevel2Unknown {
            name,
            level1,
            ruleset,
            ruleset_id,
        } => format!(
            "本表未填分值，二级指标「{name}」不在评分规则「{ruleset}」（{ruleset_id}）为「{level1}」列出的二级指标分值中，无法推定其分值，未计入得分。"
        ),
        Msg::ExplainLeftOut { blank } => {
            format!("{}：未计入总分，总分只含其余各项", blank_zh(*blank))
        }
        Msg::ExplainTotalPartial { total } => format!(
            "部分得分：未填分值或实际完成值的项目未计入（见检查结果）；{}",
            render(total)
        ),
        Msg::RulesetVersion { name, version } => format!("{name}（第 {version} 版）"),
    }
}

/// The term in Chinese.
pub(super) fn term(term: Term) -> &'static str {
    match term {
        Term::SeverityError => "错误",
        Term::SeverityWarning => "警告",
        Term::SeverityInfo => "提示",
        Term::KindDepartment => "部门整体支出",
        Term::KindProject => "项目支出",
        Term::StatusDraft => "草稿",
        Term::StatusSubmitted => "已提交",
        Term::StatusReturned => "已退回",
        Term::StatusApproved => "已审核",
        Term::GradeSourceRule => "规则",
        Term::GradeSourceReview => "复核",
        Term::ProblemUnauthenticated => "需要身份认证",
        Term::ProblemInvalidToken => "令牌无效",
        Term::ProblemForbidden => "无权操作",
        Term::ProblemNotFound => "未找到",
        Term::ProblemConflict => "状态冲突",
        Term::ProblemPreconditionFailed => "版本不符",
        Term::ProblemPreconditionRequired => "缺少 If-Match",
        Term::ProblemMalformedJson => "JSON 格式错误",
        Term::ProblemInvalidDocument => "表格内容不合规",
        Term::ProblemBadRequest => "请求有误",
        Term::ProblemPayloadTooLarge => "请求体过大",
        Term::ProblemRequestTimeout => "请求超时",
        Term::ProblemUnsupportedMediaType => "不支持的媒体类型",
        Term::ProblemUnsupportedEncoding => "不支持的内容编码",
        Term::ProblemUnreadableWorkbook => "无法读取的工作簿",
        Term::ProblemUnreadableText => "无法读取的文本",
        Term::ProblemMethodNotAllowed => "不允许的请求方法",
        Term::ProblemNotAcceptable => "无法提供所要求的格式",
        Term::ProblemUriTooLong => "网址过长",
        Term::ProblemHeaderFieldsTooLarge => "请求头过大",
        Term::ProblemInternal => "服务内部错误",
    }
}

/// The detail in Chinese.
pub(super) fn detail(detail: &Detail) -> String {
    match detail {
        Detail::RoleMayNot { .. }
        | Detail::ReviewerMayNotStore
        | Detail::UnitNotCovered { .. }
        | Detail::OnlyRoles { .. }
        | Detail::TokenMalformed
        | Detail::TokenUnknown
        | Detail::WrongState { .. }
        | Detail::Locked { .. }
        | Detail::NotUnderReview { .. }
        | Detail::Duplicate { .. }
        | Detail::NoSample { .. }
        | Detail::NoVersion { .. }
        | Detail::NoUnit { .. }
        | Detail::NoUnitOrForms { .. }
        | Detail::NoToken { .. }
        | Detail::NoRuleset { .. }
        | Detail::NoDeadline { .. }
        | Detail::NoTemplate { .. }
        | Detail::DocsUnavailable
        | Detail::QueryInvalid
        | Detail::QueryNotUtf8 { .. }
        | Detail::RulesetInForce { .. }
        | Detail::RulesetPublished { .. }
        | Detail::RulesetNoLongerLoaded { .. }
        | Detail::NothingToSample { .. }
        | Detail::UnitTaken { .. } => refusal(detail),
        Detail::NoEvaluation => "没有这个编号的自评表".to_owned(),
        Detail::NoResource { path } => format!("{path} 处没有资源"),
        Detail::TokenRequired => {
            "此操作需要令牌：请发送 Authorization: Bearer <令牌>".to_owned()
        }
        Detail::VersionChanged { current } => {
            format!("自评表在读取后已被修改：当前版本为 {current}")
        }
        Detail::IfMatchRequired => "请在 If-Match 中回传最近读取的 ETag，以免覆盖此后他人所做的修改；If-Match: * 表示接受覆盖当前版本".to_owned(),
        Detail::MalformedJson { cause } => format!("请求体不是有效的 JSON：{cause}"),
        Detail::PayloadTooLarge { limit } => format!("请求体超过 {limit} 字节的上限"),
        Detail::RequestTimeout { seconds } => {
            format!("请求体未在 {seconds} 秒内送达；请重新完整发送请求")
        }
        Detail::JsonRequired => "请求体须以 application/json 发送".to_owned(),
        Detail::MediaRequired { media } => format!("请求体须以 {media} 发送"),
        Detail::UnsupportedEncoding { coding } => format!(
            "请求体的内容编码“{coding}”无法读取；请直接发送，或用 gzip、deflate 压缩"
        ),
        Detail::UnreadableWorkbook { cause } => format!("无法读取工作簿：{cause}"),
        Detail::MethodNotAllowed { method, allow } => {
            format!("此处不允许 {method}；允许：{allow}")
        }
        Detail::Internal => "服务内部错误".to_owned(),
        Detail::InvalidDocument { summary } => format!("表格内容不合规：{summary}"),
    }
}

fn blank_zh(blank: Blank) -> &'static str {
    match blank {
        Blank::Weight => "分值未填",
        Blank::Actual => "实际完成值未填",
    }
}

fn plain_or_blank(value: Option<Decimal>) -> String {
    value.map(plain).unwrap_or_else(|| "（空白）".to_owned())
}

fn role_zh(role: Role) -> &'static str {
    match role {
        Role::Admin => "管理员",
        Role::Reviewer => "复核人员",
        Role::Unit => "预算单位",
    }
}

fn operation_zh(operation: Operation) -> &'static str {
    match operation {
        Operation::Read => "查看此表",
        Operation::ReadHistory => "查看此表的修改记录",
        Operation::Edit => "修改此表",
        Operation::Submit => "提交此表",
        Operation::Review => "复核、退回或审核自评表",
        Operation::Reopen => "重新打开自评表",
    }
}

fn transition_zh(transition: Transition) -> &'static str {
    match transition {
        Transition::Submit => "提交",
        Transition::Return => "退回",
        Transition::Approve => "审核通过",
        Transition::Reopen => "重新打开",
    }
}

/// The details of refusals, conflicts and missing resources other than a form.
#[expect(
    clippy::too_many_lines,
    reason = "one arm per detail: the catalogue reads as one table"
)]
fn refusal(detail: &Detail) -> String {
    match detail {
        Detail::QueryInvalid => "查询参数不合规（逐项见 errors）".to_owned(),
        Detail::QueryNotUtf8 { reason } => format!("查询字符串不是百分号编码的 UTF-8：{reason}"),
        Detail::RulesetInForce { id, version } => {
            format!("评分规则“{id}”第 {version} 版正在使用；请发布更高的版本")
        }
        Detail::RulesetPublished { id, version } => {
            format!("评分规则“{id}”第 {version} 版已经发布")
        }
        Detail::RulesetNoLongerLoaded { id, version } => format!(
            "该表按评分规则“{id}”第 {version} 版评分，该版本已不再使用；请退回，单位下次修改时将重新评分"
        ),
        Detail::NothingToSample {
            year,
            include_sampled,
        } => format!(
            "{year} 年度{}没有可抽取的已提交或已审核自评表",
            if *include_sampled {
                ""
            } else {
                "此前样本之外"
            }
        ),
        Detail::UnitTaken { name, code } => {
            format!("名称“{name}”或预算编码“{code}”已登记给其他单位")
        }
        Detail::NoSample { id } => format!("没有编号为 {id} 的抽查样本"),
        Detail::NoVersion { id, version } => format!("第 {id} 号自评表没有第 {version} 版"),
        Detail::NoUnit { code } => format!("没有登记预算编码为“{code}”的单位"),
        Detail::NoUnitOrForms { code } => {
            format!("没有登记预算编码为“{code}”的单位，也没有可查看的该单位自评表")
        }
        Detail::NoToken { id } => format!("没有编号为 {id} 的令牌"),
        Detail::NoRuleset { id } => format!("没有名为“{id}”的评分规则"),
        Detail::NoDeadline { year, kind } => {
            format!("没有设定 {year} 年度{}绩效自评表的报送期限", kind.label())
        }
        Detail::NoTemplate { name } => {
            format!("没有空白表“{name}”：有 department.xlsx 和 project.xlsx")
        }
        Detail::DocsUnavailable => "接口文档页面不可用".to_owned(),
        Detail::RoleMayNot { role, operation } => {
            format!("{}令牌不能{}", role_zh(*role), operation_zh(*operation))
        }
        Detail::ReviewerMayNotStore => "复核人员令牌不能新建或修改自评表".to_owned(),
        Detail::UnitNotCovered { units, code } => format!(
            "`unit.code` 须为本令牌所管单位之一（{}）；表中为{}",
            units.join("、"),
            code.as_ref()
                .map_or_else(|| "空".to_owned(), |c| format!("“{c}”"))
        ),
        Detail::OnlyRoles { roles, role } => format!(
            "只有{}令牌能做此操作；本令牌为{}令牌",
            roles
                .iter()
                .map(|r| role_zh(*r))
                .collect::<Vec<_>>()
                .join("或"),
            role_zh(*role)
        ),
        Detail::TokenMalformed => "Authorization 请求头应为 `Bearer <令牌>`".to_owned(),
        Detail::TokenUnknown => "令牌不存在或已吊销".to_owned(),
        Detail::WrongState {
            transition,
            current,
            allowed,
        } => format!(
            "{}（{}）的表不能{}；须为{}",
            current.label(),
            current.as_str(),
            transition_zh(*transition),
            allowed
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>()
                .join("或")
        ),
        Detail::Locked { status } => format!(
            "该表{}（{}），只有草稿和已退回的表可以修改",
            status.label(),
            status.as_str()
        ),
        Detail::NotUnderReview { status } => format!(
            "该表{}（{}）；复核得分只在表已提交、待审核时记录",
            status.label(),
            status.as_str()
        ),
        Detail::Duplicate {
            unit,
            code,
            kind,
            year,
            project,
        } => format!(
            "单位“{unit}”{}已有 {year} 年度的{}绩效自评表{}",
            code.as_ref()
                .map(|c| format!("（预算编码 {c}）"))
                .unwrap_or_default(),
            kind.label(),
            project
                .as_ref()
                .map(|p| format!("（项目“{p}”）"))
                .unwrap_or_default()
        ),
        _ => String::new(),
    }
}
