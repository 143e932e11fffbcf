"""A short workflow through the client openapi-python-client generates from openapi/openapi.json.

Run by scripts/check-clients against a running service:

    python workflow.py BASE_URL ADMIN_TOKEN FORM.json FISCAL_YEAR UNIT_CODE

with the generated package `jixiao_client` on PYTHONPATH. Prints one line per step and
exits non-zero at the first step that does not go as the contract says.
"""

import json
import sys
from http import HTTPStatus

from jixiao_client import AuthenticatedClient, Client
from jixiao_client.api.access import create_token
from jixiao_client.api.evaluations import (
    create_evaluation,
    export_evaluation_form,
    export_evaluations_csv,
    list_evaluations,
    read_evaluation,
    read_evaluation_history,
)
from jixiao_client.api.review import approve_evaluation, submit_evaluation
from jixiao_client.models import (
    ActorRole,
    EvaluationDocument,
    IssuedToken,
    Page,
    Role,
    Status,
    StoredEvaluation,
    TokenRequest,
)
from jixiao_client.types import File


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"python: FAILED: {what}")
    print(f"python: ok: {what}")


def issue(admin: AuthenticatedClient, request: TokenRequest) -> str:
    reply = create_token.sync_detailed(client=admin, body=request)
    check(reply.status_code == HTTPStatus.CREATED, f"issue a {request.role.value} token")
    assert isinstance(reply.parsed, IssuedToken)
    return reply.parsed.secret


def main() -> None:
    base_url, admin_token, form_path, year, code = sys.argv[1:6]
    admin = AuthenticatedClient(base_url=base_url, token=admin_token)
    anyone = Client(base_url=base_url)

    unit_token = issue(
        admin, TokenRequest(role=Role.ROLE_UNIT, units=[code], label="python client")
    )
    reviewer_token = issue(admin, TokenRequest(role=Role.ROLE_REVIEWER))
    unit = AuthenticatedClient(base_url=base_url, token=unit_token)
    reviewer = AuthenticatedClient(base_url=base_url, token=reviewer_token)

    with open(form_path, encoding="utf-8") as file:
        form = json.load(file)
    form["fiscal_year"] = int(year)
    form["unit"]["code"] = code
    created = create_evaluation.sync_detailed(
        client=unit, body=EvaluationDocument.from_dict(form)
    )
    check(created.status_code == HTTPStatus.CREATED, "create a form with the unit token")
    stored = created.parsed
    assert isinstance(stored, StoredEvaluation)
    check(stored.version == 1 and stored.status == Status.STATUS_DRAFT, "it is a draft, v1")
    check(created.headers.get("etag") == '"1"', "its ETag is its version")
    check(isinstance(stored.funds.weight, str), "a returned figure is a string")
    check(stored.updated_at.tzinfo is not None, "timestamps parse as aware datetimes")

    submitted = submit_evaluation.sync(stored.id, client=unit, if_match='"1"')
    check(
        isinstance(submitted, StoredEvaluation) and submitted.status == Status.STATUS_SUBMITTED,
        "submit without a body",
    )
    approved = approve_evaluation.sync(stored.id, client=reviewer, if_match='"2"')
    check(
        isinstance(approved, StoredEvaluation) and approved.status == Status.STATUS_APPROVED,
        "approve without a body",
    )

    read = read_evaluation.sync(stored.id, client=anyone)
    check(
        isinstance(read, StoredEvaluation) and read.version == 3,
        "read the approved form without a token",
    )
    history = read_evaluation_history.sync(stored.id, client=reviewer)
    check(
        isinstance(history, list)
        and [entry.actor.role for entry in history]
        == [ActorRole.ACTOR_ROLE_UNIT, ActorRole.ACTOR_ROLE_UNIT, ActorRole.ACTOR_ROLE_REVIEWER],
        "the history names the actors' roles",
    )

    workbook = export_evaluation_form.sync(stored.id, client=anyone)
    check(
        isinstance(workbook, File) and workbook.payload.read(2) == b"PK",
        "download form.xlsx as bytes",
    )
    csv = export_evaluations_csv.sync(client=anyone, fiscal_year=[int(year)])
    check(isinstance(csv, str) and csv.count("\n") == 2, "download the list as CSV")

    seen, cursor, pages = [], None, 0
    while True:
        page = list_evaluations.sync(client=anyone, limit=1, **({"cursor": cursor} if cursor else {}))
        assert isinstance(page, Page), page
        seen += [item.id for item in page.items]
        pages += 1
        cursor = page.next_cursor
        if not cursor:
            break
    check(
        stored.id in seen and len(set(seen)) == len(seen) and pages >= 3,
        f"page through the list ({pages} pages, {len(seen)} forms)",
    )


if __name__ == "__main__":
    main()
