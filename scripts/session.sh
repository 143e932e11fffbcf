#!/usr/bin/env bash
# The README's session with curl, against a fresh database: ADMIN=<token> bash scripts/session.sh
set -euo pipefail
: "${ADMIN:?ADMIN 为空：请填入首次启动时打印的管理员令牌 (ADMIN is empty: set it to the admin token printed on the first start)}"
API=${API:-localhost:8080/api/v1}
FORM=${FORM:-data/examples/hengyang-2020-department.json}
json=(-H 'content-type: application/json')

# Issues a token as the admin and prints its secret; stops the session, saying why, if none came.
issue() {
  local answer
  answer=$(curl -s "$API/tokens" -H "authorization: Bearer $ADMIN" "${json[@]}" -d "$1")
  jq -er '.secret // empty' <<<"$answer" || { echo "未签发令牌 (no token issued): $answer" >&2; exit 1; }
}

# Anyone reads published forms; the examples are published (决算公开) forms.
curl -s $API/evaluations | jq -c '.items[] | {id, unit: .unit.name, status, total, grade: .grade.label}'

# The admin issues a unit token for budget code 430421001 and a reviewer token.
UNIT=$(issue '{"role": "unit", "units": ["430421001"], "label": "衡阳县工伤保险服务中心"}')
REVIEWER=$(issue '{"role": "reviewer", "label": "衡阳县财政局绩效股"}')
curl -s $API/me -H "authorization: Bearer $UNIT" | jq -c .

# The unit stores its 2021 form (its unit.code must be one the token covers) and submits it.
jq '.fiscal_year = 2021 | .unit.code = "430421001"' $FORM |
  curl -s $API/evaluations -H "authorization: Bearer $UNIT" "${json[@]}" --data-binary @- |
  jq -c '{id, version, status}'
# Another unit's token cannot even learn that this draft exists: 404, as for any unknown id.
OTHER=$(issue '{"role": "unit", "units": ["430421002"]}')
curl -s -o /dev/null -w '%{http_code}\n' $API/evaluations/3 -H "authorization: Bearer $OTHER"
curl -s -X POST $API/evaluations/3/submit -H "authorization: Bearer $UNIT" -H 'if-match: "1"' |
  jq -c '{version, status}'

# The reviewer returns it with reasons; the unit fixes the two scores and submits again.
curl -s -X POST $API/evaluations/3/return -H "authorization: Bearer $REVIEWER" -H 'if-match: "2"' \
  "${json[@]}" -d '{"comment": "执行率得分与满意度得分不符合评分规则"}' | jq -c '{version, status}'
jq '.fiscal_year = 2021 | .unit.code = "430421001" | .funds.declared_score = "9.4"
    | .indicators[2].children[0].children[1].declared_score = "4.75"' $FORM |
  curl -s -X PUT $API/evaluations/3 -H "authorization: Bearer $UNIT" -H 'if-match: "3"' \
    "${json[@]}" --data-binary @- | jq -c '{version, status}'
curl -s -X POST $API/evaluations/3/submit -H "authorization: Bearer $UNIT" -H 'if-match: "4"' \
  "${json[@]}" -d '{"comment": "已按规则更正"}' | jq -c '{version, status}'

# The reviewer re-scores one leaf (复核) and approves.
curl -s -X PUT $API/evaluations/3/review -H "authorization: Bearer $REVIEWER" -H 'if-match: "5"' \
  "${json[@]}" -d '{"leaves": [{"path": "/indicators/1/children/1/children/0", "score": "12",
  "reason": "可持续影响缺少量化依据"}], "comment": "复核"}' | jq -c '.result.review | {total, grade}'
curl -s -X POST $API/evaluations/3/approve -H "authorization: Bearer $REVIEWER" -H 'if-match: "6"' |
  jq -c '{version, status}'

# Anyone now reads the published form, its grid and its grade (the review grade, and says so).
curl -s $API/evaluations/3 | jq -c '{status, total: .result.total, review: .result.review.total}'
curl -s $API/evaluations/3/form | jq -c '.title'
curl -s "$API/evaluations?unit=430421001" | jq -c '.items[] | {grade: .grade.label, grade_source}'

# Who did what, when, and why: token ids and roles, never secrets.
curl -s $API/evaluations/3/history -H "authorization: Bearer $REVIEWER" |
  jq -c '.[] | {version, action, actor, comment}'

# Refusals: a unit cannot reopen (403); without a token nothing can be written (401); a write
# that does not name the version it changes is refused (428), lest it overwrite another's change.
curl -s -o /dev/null -w '%{http_code}\n' -X POST $API/evaluations/3/reopen -H "authorization: Bearer $UNIT" \
  -H 'if-match: "7"'
curl -s -o /dev/null -w '%{http_code}\n' -X DELETE $API/evaluations/3 -H 'if-match: "7"'
curl -s -o /dev/null -w '%{http_code}\n' -X POST $API/evaluations/3/reopen -H "authorization: Bearer $REVIEWER"
