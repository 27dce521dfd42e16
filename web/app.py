"""`onrecord web`: a read-only site over the store, and the same data as JSON under /api/.

`create_app(store, settings)` is a plain library call returning an ASGI app (FastAPI); the
CLI serves it with uvicorn. Pages are Jinja2 templates with autoescaping on; every scraped
string is also shown with its control and bidi characters made visible (alerts.escape), and
only http(s) URLs ever become links (alerts.message.safe_link).

Safe by default: only GET and HEAD exist; every response carries a strict
Content-Security-Policy (no inline script or style), nosniff and no-referrer; with a token
(ONRECORD_WEB_TOKEN) every request must carry it as a Bearer header or as the cookie that
`?token=` sets once.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.middleware.base import BaseHTTPMiddleware

from alerts.escape import visible
from alerts.message import safe_link
from compare.diff import diff_texts, diff_titles, with_title
from compare.model import Diff
from compare.render import html_columns, html_inline
from compare.vocab import Significance
from store import Store
from web.queries import (
    EVENT_KINDS,
    PAGE,
    ActivityFilter,
    ClaimRow,
    DocRef,
    NotFound,
    Queries,
    QuoteRow,
    statement_paragraph,
)

HERE = Path(__file__).resolve().parent
COOKIE = "onrecord_token"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
READ_METHODS = ("GET", "HEAD")
WAYBACK = "https://web.archive.org/web/*/"


@dataclass(frozen=True)
class WebSettings:
    """What the site needs beyond the store: its access token, if any (never shown)."""

    token: str | None = field(default=None, repr=False)
    # Mark the token cookie Secure although requests arrive over http: the site is served
    # over https by a reverse proxy (its public address, ONRECORD_WEB_URL, is https).
    secure_cookie: bool = False

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> WebSettings:
        env = dict(os.environ if env is None else env)
        return cls(token=env.get("ONRECORD_WEB_TOKEN") or None,
                   secure_cookie=(env.get("ONRECORD_WEB_URL") or "").startswith("https://"))


# -- templates ----------------------------------------------------------------------------------

def _shown(value: Any) -> Any:
    """Every printed string: controls and bidi overrides shown as escapes (autoescape then
    escapes the markup characters). Markup built by compare.render is already escaped."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible(value)
    return value


def _href(url: str | None) -> str | None:
    return safe_link(url)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else ""


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      finalize=_shown, trim_blocks=True, lstrip_blocks=True)
    env.filters["href"] = _href
    env.filters["when"] = _when
    env.globals["EVENT_KINDS"] = EVENT_KINDS
    env.globals["LEVELS"] = [s.value for s in Significance if s is not Significance.NONE]
    env.globals["doc_path"] = doc_path
    env.globals["wayback"] = lambda url: _href(WAYBACK + url) if _href(url) else None
    return env


def doc_path(doc: DocRef) -> str:
    """The page of a document: a statement's, or an article's (coverage)."""
    return f"/statement/{doc.id}" if doc.kind == "statement" else f"/article/{doc.id}"


# -- JSON ---------------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _json(data: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(_plain(data), status_code=status)


# -- security -----------------------------------------------------------------------------------

class Guard(BaseHTTPMiddleware):
    """Read-only methods, the access token when one is set, and the security headers."""

    def __init__(self, app: Any, token: str | None, secure_cookie: bool = False) -> None:
        super().__init__(app)
        self.token = token
        self.secure_cookie = secure_cookie

    async def dispatch(self, request: Request,
                       call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await self._checked(request, call_next)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    async def _checked(self, request: Request,
                       call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if request.method not in READ_METHODS:
            return Response("read-only: only GET and HEAD\n", status_code=405,
                            headers={"Allow": "GET, HEAD"}, media_type="text/plain")
        if self.token:
            given = request.query_params.get("token")
            if given is not None:
                if not hmac.compare_digest(given.encode(), self.token.encode()):
                    return _unauthorized()
                # Set once from the link, then the URL without it (not kept in history).
                rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                # One leading slash: "//host/x" would send the browser to another site.
                target = "/" + request.url.path.lstrip("/") + (f"?{urlencode(rest)}" if rest else "")
                response: Response = RedirectResponse(target, status_code=303)
                response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict",
                                    secure=self.secure_cookie or request.url.scheme == "https")
                return response
            if not self._authorized(request):
                return _unauthorized()
        return await call_next(request)

    def _authorized(self, request: Request) -> bool:
        assert self.token is not None
        expected = self.token.encode()
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer ") and hmac.compare_digest(
                header[7:].strip().encode(), expected):
            return True
        cookie = request.cookies.get(COOKIE)
        return cookie is not None and hmac.compare_digest(cookie.encode(), expected)


def _unauthorized() -> Response:
    return Response("an access token is required (Bearer header, or ?token= once)\n",
                    status_code=401, media_type="text/plain",
                    headers={"WWW-Authenticate": "Bearer"})


# -- the app ------------------------------------------------------------------------------------

def create_app(store: Store, settings: WebSettings | None = None) -> FastAPI:
    """The site over `store` (which the caller opens and closes)."""
    settings = settings or WebSettings()
    queries = Queries(store)
    env = _environment()
    app = FastAPI(title="onrecord", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(Guard, token=settings.token, secure_cookie=settings.secure_cookie)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def page(name: str, status: int = 200, **context: Any) -> Response:
        html = env.get_template(name).render(**context)
        return Response(html, status_code=status, media_type="text/html; charset=utf-8")

    def not_found(request: Request, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return _json({"error": message}, 404)
        return page("error.html", 404, title="Not found", message=message)

    def bad_request(request: Request, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return _json({"error": message}, 400)
        return page("error.html", 400, title="Bad request", message=message)

    def route(path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return app.api_route(path, methods=list(READ_METHODS), include_in_schema=False)

    @app.exception_handler(NotFound)
    async def _missing(request: Request, exc: NotFound) -> Response:
        return not_found(request, str(exc))

    @app.exception_handler(404)
    async def _no_route(request: Request, exc: Exception) -> Response:
        return not_found(request, "no such page")

    @app.exception_handler(RequestValidationError)
    async def _bad_id(request: Request, exc: RequestValidationError) -> Response:
        # /statement/abc: no page has that address.
        return not_found(request, "no such page")

    # -- activity ---------------------------------------------------------------------------

    def activity_data(request: Request) -> dict[str, Any]:
        q = request.query_params
        filters = ActivityFilter(issuer=q.get("issuer") or None, source=q.get("source") or None,
                                 kind=q.get("kind") or None,
                                 significance=q.get("significance") or None)
        result = queries.activity(filters, q.get("after") or None, _limit(q.get("limit")))
        return {"filters": filters, "events": result.items, "next": result.next_cursor}

    @route("/")
    def activity(request: Request) -> Response:
        try:
            data = activity_data(request)
        except ValueError as exc:
            return bad_request(request, str(exc))
        nxt = None
        if data["next"]:
            keep = {k: v for k, v in request.query_params.items() if k != "after" and v}
            nxt = "/?" + urlencode({**keep, "after": data["next"]})
        return page("activity.html", title="Activity", issuers=queries.issuers(),
                    next_link=nxt, **data)

    @route("/api/activity")
    def api_activity(request: Request) -> Response:
        try:
            data = activity_data(request)
        except ValueError as exc:
            return bad_request(request, str(exc))
        return _json({"events": [_event_json(e) for e in data["events"]], "next": data["next"]})

    # -- statement ----------------------------------------------------------------------------

    def statement_data(document_id: int) -> dict[str, Any]:
        doc = queries.document(document_id, "statement")
        versions = queries.timeline(document_id)
        quotes = queries.quotes_of_statement(document_id)
        return {"document": doc, "versions": versions, "quotes": quotes,
                "claims": queries.claims_of_statement(document_id),
                "coverage": queries.coverage_map(doc),
                "first_seen": versions[0].first_seen if versions else None,
                "last_seen": versions[-1].last_seen if versions else None}

    @route("/statement/{document_id}")
    def statement(document_id: int) -> Response:
        data = statement_data(document_id)
        return page("statement.html", title=data["document"].title or data["document"].url,
                    **data)

    @route("/api/statement/{document_id}")
    def api_statement(document_id: int) -> Response:
        data = statement_data(document_id)
        return _json({**data, "quotes": [_quote_json(q) for q in data["quotes"]],
                      "claims": [_claim_json(c) for c in data["claims"]],
                      "coverage": [{**_plain(line), "covered": line.covered,
                                    "articles": [{"url": u, "title": t, "how": h}
                                                 for u, t, h in line.articles]}
                                   for line in data["coverage"]]})

    # -- version ------------------------------------------------------------------------------

    def version_data(version_id: int) -> dict[str, Any]:
        doc, version = queries.version(version_id)
        capture = queries.first_capture(version_id)
        body = queries.body_info(capture.body_hash if capture else None)
        before, after = queries.neighbours(doc.id, version.seq)
        return {"document": doc, "version": version, "capture": capture, "body": body,
                "captures": queries.captures(version_id), "previous_id": before,
                "next_id": after}

    @route("/version/{version_id}")
    def version_page(version_id: int) -> Response:
        data = version_data(version_id)
        return page("version.html", title=f"{data['document'].title} — version "
                    f"{data['version'].seq}", **data)

    @route("/api/version/{version_id}")
    def api_version(version_id: int) -> Response:
        data = version_data(version_id)
        v = data["version"]
        return _json({**data, "version": {
            "id": v.id, "seq": v.seq, "title": v.title, "text": v.display_text,
            "text_hash": v.text_hash, "first_seen": v.first_seen, "last_seen": v.last_seen,
            "published": v.published, "revert_of": v.revert_of},
            "raw": f"/version/{version_id}/raw" if data["body"] else None,
            "wayback": WAYBACK + data["document"].url})

    @route("/version/{version_id}/raw")
    def raw_body(version_id: int) -> Response:
        queries.version(version_id)
        capture = queries.first_capture(version_id)
        found = queries.body(capture.body_hash) if capture and capture.body_hash else None
        if found is None:
            raise NotFound(f"no raw body kept for version {version_id}")
        data, _content_type = found
        # Served as an attachment of inert bytes: a scraped page never runs on this origin.
        return Response(data, media_type="application/octet-stream", headers={
            "Content-Disposition": f'attachment; filename="version-{version_id}.body"',
            "Content-Security-Policy": "default-src 'none'; sandbox"})

    # -- compare ------------------------------------------------------------------------------

    def compare_data(a: int, b: int) -> dict[str, Any]:
        doc_a, old = queries.version(a)
        doc_b, new = queries.version(b)
        diff = with_title(diff_texts(old.canonical_text, new.canonical_text),
                          diff_titles(old.title, new.title))
        return {"old_doc": doc_a, "new_doc": doc_b, "old": old, "new": new, "diff": diff}

    @route("/compare/{a}/{b}")
    def compare(request: Request, a: int, b: int) -> Response:
        data = compare_data(a, b)
        diff: Diff = data["diff"]
        view = "inline" if request.query_params.get("view") == "inline" else "side"
        old_text, new_text = data["old"].canonical_text, data["new"].canonical_text
        if view == "inline":
            inline, left, right = Markup(html_inline(diff, old_text, new_text)), None, None
        else:
            cols = html_columns(diff, old_text, new_text, anchors=True)
            inline, left, right = None, Markup(cols[0]), Markup(cols[1])
        versions = queries.timeline(data["new_doc"].id)
        return page("compare.html", title=f"Compare versions {data['old'].seq} and "
                    f"{data['new'].seq}", view=view, inline=inline, left=left, right=right,
                    changes=list(enumerate(diff.changes, 1)), versions=versions, **data)

    @route("/compare")
    def compare_pick(request: Request) -> Response:
        """The statement page's form: two version ids -> their compare page."""
        a, b = request.query_params.get("a", ""), request.query_params.get("b", "")
        if not (a.isdigit() and b.isdigit()):
            return bad_request(request, "give two version ids: /compare?a=ID&b=ID")
        return RedirectResponse(f"/compare/{int(a)}/{int(b)}", status_code=303)

    @route("/api/compare/{a}/{b}")
    def api_compare(a: int, b: int) -> Response:
        data = compare_data(a, b)
        diff = data["diff"]
        return _json({"old": {"id": data["old"].id, "seq": data["old"].seq,
                              "document": data["old_doc"]},
                      "new": {"id": data["new"].id, "seq": data["new"].seq,
                              "document": data["new_doc"]},
                      "significance": diff.significance, "summary": diff.summary(),
                      # Spans: offsets into the two versions' canonical texts (the titles'
                      # for a change whose part is "title").
                      "changes": [{**c.to_json(), "part": c.part, "old_start": c.old_start,
                                   "old_end": c.old_end, "new_start": c.new_start,
                                   "new_end": c.new_end} for c in diff.changes]})

    # -- article ------------------------------------------------------------------------------

    def article_data(document_id: int, version: str | None) -> dict[str, Any]:
        doc = queries.document(document_id, "coverage")
        vid = int(version) if version and version.isdigit() else queries.latest_version_id(doc.id)
        if vid is None:
            raise NotFound(f"article {document_id} has no version")
        vdoc, v = queries.version(vid)
        if vdoc.id != doc.id:
            raise NotFound(f"version {vid} is not of article {document_id}")
        quotes = queries.quotes_of_article(vid)
        return {"document": doc, "version": v, "quotes": quotes,
                "claims": queries.claims_of_article(vid), "versions": queries.timeline(doc.id)}

    @route("/article/{document_id}")
    def article(request: Request, document_id: int) -> Response:
        data = article_data(document_id, request.query_params.get("version"))
        text = Markup(_spans_marked(data["version"].display_text, data["quotes"],
                                    data["claims"]))
        cache: dict[int, Any] = {}

        def statement_version(vid: int) -> Any:
            # Many quotes of an article match one statement version: read it once.
            if vid not in cache:
                cache[vid] = queries.version(vid)[1]
            return cache[vid]

        passages = [_passage(q, statement_version) for q in data["quotes"]]
        claimed = [_passage(c, statement_version) for c in data["claims"]]
        return page("article.html", title=data["document"].title or data["document"].url,
                    marked=text, items=list(zip(data["quotes"], passages, strict=True)),
                    claim_items=list(zip(data["claims"], claimed, strict=True)), **data)

    @route("/api/article/{document_id}")
    def api_article(request: Request, document_id: int) -> Response:
        data = article_data(document_id, request.query_params.get("version"))
        v = data["version"]
        return _json({"document": data["document"],
                      "version": {"id": v.id, "seq": v.seq, "text": v.display_text},
                      "quotes": [_quote_json(q) for q in data["quotes"]],
                      "claims": [_claim_json(c) for c in data["claims"]]})

    # -- search -------------------------------------------------------------------------------

    @route("/search")
    def search(request: Request) -> Response:
        q = request.query_params.get("q", "")
        try:
            result = queries.search(q, request.query_params.get("after") or None,
                                    _limit(request.query_params.get("limit")))
        except ValueError as exc:
            return bad_request(request, str(exc))
        nxt = "/search?" + urlencode({"q": q, "after": result.next_cursor}) \
            if result.next_cursor else None
        return page("search.html", title="Search", q=q, hits=result.items, next_link=nxt)

    @route("/api/search")
    def api_search(request: Request) -> Response:
        try:
            result = queries.search(request.query_params.get("q", ""),
                                    request.query_params.get("after") or None,
                                    _limit(request.query_params.get("limit")))
        except ValueError as exc:
            return bad_request(request, str(exc))
        return _json({"hits": result.items, "next": result.next_cursor})

    # -- links from alerts --------------------------------------------------------------------

    @route("/change")
    def change(request: Request) -> Response:
        """Where an alert's link leads (alerts.message.report_link: ?url=&version=, and
        &article= for a quote): an edit's compare page, a quote's article page, else the
        document's page."""
        q = request.query_params
        article_url = q.get("article")
        if article_url:
            art = queries.document_by_url(article_url)
            if art is None:
                raise NotFound("no such article")
            return RedirectResponse(doc_path(art), status_code=303)
        doc = queries.document_by_url(q.get("url", ""))
        if doc is None:
            raise NotFound("no such document")
        seq = q.get("version", "")
        if seq.isdigit():
            new = queries.version_by_seq(doc.id, int(seq))
            old = queries.version_by_seq(doc.id, int(seq) - 1) if int(seq) > 1 else None
            if new is not None and old is not None:
                return RedirectResponse(f"/compare/{old}/{new}", status_code=303)
            if new is not None:
                return RedirectResponse(f"/version/{new}", status_code=303)
        return RedirectResponse(doc_path(doc), status_code=303)

    return app


def _limit(raw: str | None) -> int:
    if not raw:
        return PAGE
    if not raw.isdigit():
        raise ValueError("limit must be a number")
    return int(raw)


def _event_json(e: Any) -> dict[str, Any]:
    link = (f"/compare/{e.old_version_id}/{e.version_id}" if e.kind == "edit"
            else doc_path(e.document))
    return {**_plain(e), "link": link}


def _judged_json(r: QuoteRow | ClaimRow) -> dict[str, Any]:
    """What a stored quote verdict and a stored claim verdict share in the API."""
    return {"id": r.id, "article": r.article, "article_version_id": r.article_version_id,
            "statement": r.statement, "statement_version_id": r.statement_version_id,
            "statement_version": r.statement_seq, "start": r.start, "end": r.end,
            "verdict": r.verdict, "severity": r.severity, "matched": r.matched,
            "reasons": r.reasons, "speaker": r.speaker,
            "earlier": [{"verdict": v, "statement_version": seq} for v, seq in r.earlier]}


def _quote_json(q: QuoteRow) -> dict[str, Any]:
    return {**_judged_json(q), "quote": q.quote, "role": q.role}


def _claim_json(c: ClaimRow) -> dict[str, Any]:
    return {**_judged_json(c), "text": c.text, "kind": c.kind}


def _spans_marked(text: str, quotes: list[QuoteRow], claims: list[ClaimRow]) -> str:
    """The article's text escaped, each checked quote and reported claim wrapped in a link
    coloured by its verdict to its entry beside the text ("q-{id}", "c-{id}"). A
    claim that overlaps a quote already marked is listed but not marked in the text. The
    text's anchors are "t-{id}" (quote) and "tc-{id}" (claim)."""
    from alerts.escape import html_text

    # (start, end, rank, id, class, list anchor, text anchor)
    spans = [(q.start, q.end, 0, q.id, f"quote verdict-{q.verdict}", f"q-{q.id}", f"t-{q.id}")
             for q in quotes]
    spans += [(c.start, c.end, 1, c.id, f"claim claim-{c.verdict}", f"c-{c.id}", f"tc-{c.id}")
              for c in claims]
    out, pos = [], 0
    for start, end, _rank, _id, cls, entry, anchor in sorted(spans):
        if start < pos or end > len(text) or end <= start:
            continue
        out.append(html_text(text[pos:start]))
        out.append(f'<a class="{html_text(cls)}" href="#{entry}" id="{anchor}">'
                   f"{html_text(text[start:end])}</a>")
        pos = end
    out.append(html_text(text[pos:]))
    return "".join(out)


@dataclass(frozen=True)
class Passage:
    """The statement text a quote matched, inside its paragraph when found there
    (`paragraph`: its number on the version page, whose anchor is "p{n}"; 0 if not found)."""

    before: str
    matched: str
    after: str
    paragraph: int = 0


def _passage(q: QuoteRow | ClaimRow, versions: Callable[[int], Any]) -> Passage | None:
    if not q.matched:
        return None
    if q.statement_version_id is None:
        return Passage("", q.matched, "")
    found = statement_paragraph(versions(q.statement_version_id).paragraphs, q.matched)
    if found is None:
        return Passage("", q.matched, "")
    n, para, start, end = found
    return Passage(para[:start], para[start:end], para[end:], n)
