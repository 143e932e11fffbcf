// A short workflow through the Go client openapi-generator makes from openapi/openapi.json.
// scripts/check-clients builds it against the generated package and runs it:
//
//	workflow BASE_URL ADMIN_TOKEN FORM.json FISCAL_YEAR UNIT_CODE
//
// It prints one line per step and exits non-zero at the first step that goes wrong.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	jixiao "github.com/GIT_USER_ID/GIT_REPO_ID"
)

func check(ok bool, what string) {
	if !ok {
		fmt.Printf("go: FAILED: %s\n", what)
		os.Exit(1)
	}
	fmt.Printf("go: ok: %s\n", what)
}

func succeeded(response *http.Response, err error, status int) bool {
	return err == nil && response != nil && response.StatusCode == status
}

func as(token string) context.Context {
	return context.WithValue(context.Background(), jixiao.ContextAccessToken, token)
}

func main() {
	base, admin, formPath, year, code := os.Args[1], os.Args[2], os.Args[3], os.Args[4], os.Args[5]
	config := jixiao.NewConfiguration()
	config.Servers = jixiao.ServerConfigurations{{URL: base}}
	api := jixiao.NewAPIClient(config)
	anyone := context.Background()

	unitRequest := jixiao.NewTokenRequest(jixiao.ROLE_UNIT)
	unitRequest.SetUnits([]string{code})
	unitToken, response, err := api.AccessAPI.CreateToken(as(admin)).TokenRequest(*unitRequest).Execute()
	check(succeeded(response, err, 201), "issue a unit token")
	reviewerToken, response, err := api.AccessAPI.CreateToken(as(admin)).
		TokenRequest(*jixiao.NewTokenRequest(jixiao.ROLE_REVIEWER)).Execute()
	check(succeeded(response, err, 201), "issue a reviewer token")
	unit, reviewer := as(unitToken.Secret), as(reviewerToken.Secret)

	text, err := os.ReadFile(formPath)
	check(err == nil, "read the example form")
	var form map[string]interface{}
	check(json.Unmarshal(text, &form) == nil, "parse the example form")
	form["fiscal_year"], _ = strconv.Atoi(year)
	form["unit"].(map[string]interface{})["code"] = code
	text, _ = json.Marshal(form)
	var document jixiao.EvaluationDocument
	check(json.Unmarshal(text, &document) == nil, "read it as an EvaluationDocument")

	stored, response, err := api.EvaluationsAPI.CreateEvaluation(unit).EvaluationDocument(document).Execute()
	check(succeeded(response, err, 201), "create a form with the unit token")
	check(stored.Version == 1 && stored.Status == jixiao.STATUS_DRAFT, "it is a draft, v1")
	check(response.Header.Get("ETag") == `"1"`, "its ETag is its version")
	// A weight may be absent (a form printed without 分值); the example prints its own.
	check(stored.Funds.Weight.Get() != nil && *stored.Funds.Weight.Get() != "", "a returned figure is a string")

	submitted, response, err := api.ReviewAPI.SubmitEvaluation(unit, stored.Id).IfMatch(`"1"`).Execute()
	check(succeeded(response, err, 200) && submitted.Status == jixiao.STATUS_SUBMITTED, "submit without a body")
	approved, response, err := api.ReviewAPI.ApproveEvaluation(reviewer, stored.Id).IfMatch(`"2"`).Execute()
	check(succeeded(response, err, 200) && approved.Status == jixiao.STATUS_APPROVED, "approve without a body")

	read, response, err := api.EvaluationsAPI.ReadEvaluation(anyone, stored.Id).Execute()
	check(succeeded(response, err, 200) && read.Version == 3, "read the approved form without a token")
	history, response, err := api.EvaluationsAPI.ReadEvaluationHistory(reviewer, stored.Id).Execute()
	roles := []string{}
	for _, entry := range history {
		roles = append(roles, string(entry.Actor.Role))
	}
	check(succeeded(response, err, 200) && strings.Join(roles, ",") == "unit,unit,reviewer",
		"the history names the actors' roles")

	workbook, response, err := api.EvaluationsAPI.ExportEvaluationForm(anyone, stored.Id).Execute()
	check(succeeded(response, err, 200) && workbook != nil, "download form.xlsx")
	head := make([]byte, 2)
	_, err = io.ReadFull(workbook, head)
	check(err == nil && string(head) == "PK", "form.xlsx is a zip")
	fiscalYear, _ := strconv.Atoi(year)
	csv, response, err := api.EvaluationsAPI.ExportEvaluationsCsv(anyone).FiscalYear([]int32{int32(fiscalYear)}).Execute()
	check(succeeded(response, err, 200) && strings.Count(csv, "\n") == 2, "download the list as CSV")

	seen := map[int64]bool{}
	pages, cursor := 0, ""
	for {
		request := api.EvaluationsAPI.ListEvaluations(anyone).Limit(1)
		if cursor != "" {
			request = request.Cursor(cursor)
		}
		page, response, err := request.Execute()
		check(succeeded(response, err, 200), fmt.Sprintf("list page %d", pages+1))
		for _, item := range page.Items {
			seen[item.Id] = true
		}
		pages++
		cursor = page.GetNextCursor()
		if cursor == "" {
			break
		}
	}
	check(seen[stored.Id] && pages >= 3, fmt.Sprintf("page through the list (%d pages, %d forms)", pages, len(seen)))
}
