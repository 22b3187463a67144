"""Privacy-safe counts: numbers per day, gemeente, route and category; never the question or an address."""

from __future__ import annotations

from sqlalchemy import inspect, text

from webapp.production.counts import counter, total_questions, totals

SECRET_QUESTIONS = [
    "Mijn buurvrouw Jannie de Vries slaat haar kinderen xq7zt",
    "ik heb 4000 euro schulden bij de bank vb9kw",
    "waar is een taalcafe in Veghel pl3mn",
    "mijn rijbewijs verlengen rr8ty",
]


def all_database_text(engine) -> str:
    """Every value in every table, as text."""
    parts = []
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                parts.extend(str(v) for v in row)
    return "\n".join(parts)


def test_counts_are_kept_without_the_question(make_app, route_as):
    route_as(SECRET_QUESTIONS[3], "onbekend")
    app = make_app(COUNTS_FLUSH_SECONDS=3600)
    client = app.test_client()
    for q in SECRET_QUESTIONS:
        assert client.get("/api/v1/ask", query_string={"q": q, "gemeente": "meierijstad"}).status_code == 200
    assert client.get("/vraag", query_string={"q": SECRET_QUESTIONS[0], "gemeente": "oss"}).status_code == 200
    environ = {"REMOTE_ADDR": "203.0.113.77"}
    client.get("/api/v1/ask", query_string={"q": SECRET_QUESTIONS[1]}, environ_base=environ)
    with app.app_context():
        counter().flush()
        engine = app.extensions["dichtbij.content"].engine
        assert total_questions(engine) == 6
        rows = totals(engine)
        assert {r.gemeente for r in rows} == {"meierijstad", "oss", ""}
        assert sum(r.onbekend for r in rows) >= 1  # the rijbewijs question
        dump = all_database_text(engine)
    for q in SECRET_QUESTIONS:
        for word in q.split():
            if len(word) >= 5 and word.isalpha() is False:  # the unique markers like xq7zt
                assert word not in dump
        assert q not in dump
    for marker in ("xq7zt", "vb9kw", "pl3mn", "rr8ty", "Jannie", "203.0.113.77"):
        assert marker not in dump


def test_counts_add_up_across_flushes_and_workers(make_app):
    app = make_app(COUNTS_FLUSH_SECONDS=3600)
    other = make_app(COUNTS_FLUSH_SECONDS=3600)  # a second worker on the same database
    for a in (app, other, app):
        a.test_client().get("/api/v1/ask", query_string={"q": "ik zoek een buurthuis", "gemeente": "oss"})
        with a.app_context():
            counter().flush()
    with app.app_context():
        rows = [r for r in totals(app.extensions["dichtbij.content"].engine) if r.gemeente == "oss"]
    assert sum(r.questions for r in rows) == 3
    assert len(rows) == 1  # one row per (day, gemeente, route, category), incremented


def test_bad_questions_are_not_counted(make_app):
    app = make_app(COUNTS_FLUSH_SECONDS=3600)
    app.test_client().get("/api/v1/ask", query_string={"q": ""})
    with app.app_context():
        counter().flush()
        assert total_questions(app.extensions["dichtbij.content"].engine) == 0


def test_flask_counts_prints_the_numbers(make_app):
    app = make_app(COUNTS_FLUSH_SECONDS=0)
    app.test_client().get("/api/v1/ask", query_string={"q": "ik zoek een buurthuis", "gemeente": "oss"})
    with app.app_context():
        counter().flush()
    result = app.test_cli_runner().invoke(args=["counts"])
    assert result.exit_code == 0, result.output
    assert "oss" in result.output
    assert "totaal: 1 vragen" in result.output
    assert "buurthuis" not in result.output
