"""The virtual users: readers, translators and editors, each a thread of scenarios."""

from __future__ import annotations

import random
import re
import secrets
import threading
import traceback
from urllib.parse import urlencode, urlsplit

from bench.load.client import Client, Run, Stop, Submission, parse_page
from bench.load.setup import Plan

# -- the virtual users -----------------------------------------------------------------------


class ScriptError(Exception):
    """The server answered something this script cannot go on from (reported)."""


class VirtualUser:
    """One thread: picks a scenario by weight, again and again, until the run is over."""

    def __init__(self, number: int, run: Run, plan: Plan, weights: dict[str, float], seed: int):
        self.number = number
        self.run = run
        self.plan = plan
        self.rng = random.Random(seed * 1000 + number)
        self.names = list(weights)
        self.weights = [weights[n] for n in self.names]
        self.scenario = ["setup"]
        self.anon = Client(run, self.scenario)
        self.editor = Client(run, self.scenario)
        self.translator = Client(run, self.scenario)
        self.editor_name = plan.editors[number % len(plan.editors)]
        self.translator_name = plan.translators[number % len(plan.translators)]
        self.api_next: str | None = None
        self.submitted = 0

    def sign_in(self) -> None:
        self.scenario[0] = "sign-in"
        self._api_login(self.translator, self.translator_name)
        self._api_login(self.editor, self.editor_name)
        self._admin_login()

    def loop(self, ready: threading.Barrier) -> None:
        try:
            try:
                self.sign_in()
            except Exception as error:  # noqa: BLE001 - reported; the scenarios retry
                self._client_error("sign-in", error)
            try:
                ready.wait()
            except threading.BrokenBarrierError:
                return
            while not self.run.stop.is_set():
                name = self.rng.choices(self.names, self.weights)[0]
                self.scenario[0] = name
                try:
                    getattr(self, name)()
                except Stop:
                    break
                except Exception as error:  # noqa: BLE001 - reported, the run goes on
                    self._client_error(name, error)
        except Stop:
            pass
        finally:
            for c in (self.anon, self.editor, self.translator):
                c.close()

    def _client_error(self, name: str, error: Exception) -> None:
        with self.run.lock:
            self.run.client_errors.append(
                f"{name}: {type(error).__name__}: {error}\n" + traceback.format_exc(limit=-2)
            )

    def outcome(self, what: str, result: str) -> None:
        with self.run.lock:
            self.run.outcomes[(what, result)] += 1

    # -- anonymous readers --

    def reader(self) -> None:
        p, rng = self.plan, self.rng
        lang = rng.choice(["en", "en", "en", "fr"])
        article = rng.choice(p.readable)
        pages = [
            (f"/{lang}/", "/<lang>/"),
            (f"/{lang}/?page={rng.randint(2, 5)}", "/<lang>/?page=<n>"),
            (f"/{rng.choice(article.languages)}/articles/{article.slug}/",
             "/<lang>/articles/<slug>/"),
            (f"/{lang}/topics/{rng.choice(p.topics)}/", "/<lang>/topics/<slug>/"),
            (f"/{lang}/analysts/", "/<lang>/analysts/"),
            (f"/{lang}/analysts/{rng.choice(p.analysts)}/", "/<lang>/analysts/<slug>/"),
            (f"/{lang}/proposals/", "/<lang>/proposals/"),
            (f"/{lang}/proposals/{rng.choice(p.proposals)}/", "/<lang>/proposals/<slug>/"),
            (f"/{lang}/proposals/compare/?slugs={','.join(rng.sample(p.proposals, 2))}",
             "/<lang>/proposals/compare/?slugs=<a>,<b>"),
            (f"/{lang}/search/?{urlencode({'q': rng.choice(p.search_words)})}",
             "/<lang>/search/?q=<text>"),
            (f"/{lang}/feed/", "/<lang>/feed/"),
            ("/sitemap.xml", "/sitemap.xml"),
            ("/robots.txt", "/robots.txt"),
        ]  # fmt: skip
        path, template = rng.choices(pages, [8, 2, 14, 4, 2, 4, 2, 3, 3, 4, 2, 1, 1])[0]
        self.anon.request("GET", path, template)

    def api(self) -> None:
        p, rng = self.plan, self.rng
        article = rng.choice(p.readable)
        if self.api_next and rng.random() < 0.3:
            path, self.api_next = self.api_next, None
            template = "/api/v1/articles/?cursor=<c>"
            response = self.anon.request("GET", path, template)
        else:
            choices = [
                ("/api/v1/articles/", "/api/v1/articles/"),
                (f"/api/v1/articles/?topic={rng.choice(p.topics)}", "/api/v1/articles/?topic="),
                ("/api/v1/articles/?language=fr", "/api/v1/articles/?language=fr"),
                (f"/api/v1/articles/{article.slug}/", "/api/v1/articles/<slug>/"),
                (f"/api/v1/articles/{article.slug}/ninjs/", "/api/v1/articles/<slug>/ninjs/"),
                ("/api/v1/analysts/", "/api/v1/analysts/"),
                (f"/api/v1/analysts/{rng.choice(p.analysts)}/", "/api/v1/analysts/<slug>/"),
                ("/api/v1/proposals/", "/api/v1/proposals/"),
                (f"/api/v1/proposals/{rng.choice(p.proposals)}/", "/api/v1/proposals/<slug>/"),
                (f"/api/v1/proposals/compare/?slugs={','.join(rng.sample(p.proposals, 3))}",
                 "/api/v1/proposals/compare/?slugs="),
            ]  # fmt: skip
            path, template = rng.choices(choices, [4, 2, 2, 6, 3, 1, 2, 1, 2, 2])[0]
            response = self.anon.request("GET", path, template)
        if response.status == 200 and template == "/api/v1/articles/":
            next_url = response.json().get("next")
            if next_url:
                parts = urlsplit(next_url)
                self.api_next = parts.path + "?" + parts.query

    # -- translators --

    def _api_login(self, client: Client, username: str) -> bool:
        """An API token for the account (DRF keeps one per user: asked for once)."""
        if client.token:
            return True
        with self.run.token_locks[username]:
            if username not in self.run.tokens:
                response = client.request(
                    "POST",
                    "/api/v1/auth/token/",
                    "/api/v1/auth/token/",
                    json_body={"username": username, "password": self.plan.password},
                    token=True,
                )
                if response.status != 200:
                    return False
                self.run.tokens[username] = response.json()["token"]
            client.token = self.run.tokens[username]
        return True

    def translate(self) -> None:
        p, rng = self.plan, self.rng
        if not self._api_login(self.translator, self.translator_name):
            return
        article = rng.choice(p.hot) if rng.random() < 0.6 else rng.choice(p.translatable)
        language = rng.choice(article.targets)
        if rng.random() < 0.2:
            self.translator.request(
                "GET",
                f"/api/v1/translations/?article={article.slug}&language={language}",
                "/api/v1/translations/?article=&language=",
                token=True,
            )
        self.submitted += 1
        token = f"{self.number:02d}{self.submitted:05d}{secrets.token_hex(3)}"
        body = {
            "article": article.slug,
            "language": language,
            "title": f"[lt:{token}] Traduction {self.submitted} par {self.translator_name}",
            "standfirst": "Chapeau traduit pendant le test de charge.",
            "sections": [
                {
                    "heading": "" if lead else f"Intertitre {n}",
                    "paragraphs": [f"Paragraphe {n}.1 ({token}).", f"Paragraphe {n}.2."],
                }
                for n, lead in enumerate(article.leads, 1)
            ],
        }
        response = self.translator.request(
            "POST", "/api/v1/translations/", "/api/v1/translations/", json_body=body, token=True
        )
        submission = Submission(token, article.slug, language, response.status)
        if response.status == 201:
            data = response.json()
            submission.id, submission.version = data["id"], data["version"]
        with self.run.lock:
            self.run.submissions.append(submission)

    # -- editors --

    def _admin_login(self) -> bool:
        if "sessionid" in self.editor.cookies:
            return True
        self.editor.request("GET", "/admin/login/?next=/admin/", "/admin/login/")
        response = self.editor.request(
            "POST",
            "/admin/login/?next=/admin/",
            "/admin/login/",
            form={
                "csrfmiddlewaretoken": self.editor.cookies.get("csrftoken", ""),
                "username": self.editor_name,
                "password": self.plan.password,
                "next": "/admin/",
            },
        )
        return response.status == 302 and "sessionid" in self.editor.cookies

    def review(self) -> None:
        rng = self.rng
        if rng.random() < 0.7:
            if not self._api_login(self.editor, self.editor_name):
                return
            listing = self.editor.request(
                "GET",
                "/api/v1/translations/?status=in_review",
                "/api/v1/translations/?status=in_review",
                token=True,
            )
            if listing.status != 200 or not listing.json()["results"]:
                return
            version = rng.choice(listing.json()["results"])
            action = rng.choices(["approve", "request-changes", "reject"], [70, 20, 10])[0]
            response = self.editor.request(
                "POST",
                f"/api/v1/translations/{version['id']}/{action}/",
                f"/api/v1/translations/<id>/{action}/",
                json_body={"note": f"Load test: {action}."},
                token=True,
            )
            self.outcome(f"API {action}", str(response.status))
            return
        # The admin's side-by-side review page.
        if not self._admin_login():
            return
        queue = self.editor.request("GET", "/admin/review/", "/admin/review/")
        ids = sorted(
            set(re.findall(r"/admin/articles/translationversion/(\d+)/review/", queue.text))
        )
        if not ids:
            return
        pk = rng.choice(ids)
        path = f"/admin/articles/translationversion/{pk}/review/"
        self.editor.request("GET", path, "/admin/articles/translationversion/<id>/review/")
        action = rng.choices(["approve", "request_changes", "reject"], [70, 20, 10])[0]
        response = self.editor.request(
            "POST",
            path,
            "/admin/articles/translationversion/<id>/review/",
            form={
                "csrfmiddlewaretoken": self.editor.cookies.get("csrftoken", ""),
                "action": action,
                "note": f"Load test: {action}.",
            },
        )
        self.outcome(f"admin review {action}", str(response.status))

    def edit(self) -> None:
        p, rng = self.plan, self.rng
        if not self._admin_login():
            return
        if rng.random() < 0.75:
            article = rng.choice(p.editable)
            model, pk, field_name = "article", article.pk, "standfirst"
        else:
            model, pk, field_name = "attribution", rng.choice(p.attributions), "statement"
        path = f"/admin/articles/{model}/{pk}/change/"
        template = f"/admin/articles/{model}/<id>/change/"
        page = self.editor.request("GET", path, template)
        if page.status != 200:
            return
        forms = [f for f in parse_page(page.text).forms if f["id"] == f"{model}_form"]
        if not forms:
            raise ScriptError(f"no #{model}_form on {path}")
        fields = forms[0]["fields"]
        stamp = f"[edit {self.number}.{rng.randint(0, 99999)}]"
        edited = []
        for name, value in fields:
            if name == field_name:
                value = re.sub(r"\s*\[edit [\d.]+\]$", "", value) + " " + stamp
            edited.append((name, value))
        edited.append(("_save", "Save"))
        response = self.editor.request("POST", path, template, form=edited)
        if response.status == 302:
            self.outcome(f"admin edit {model}", "saved")
        elif response.status == 200 and "was saved again" in response.text:
            self.outcome(f"admin edit {model}", "refused: stale copy")
        elif response.status == 200:
            errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
            message = " | ".join(" ".join(re.sub(r"<[^>]+>", " ", e).split()) for e in errors)
            self.outcome(f"admin edit {model}", "refused: form errors")
            with self.run.lock:
                self.run.refusals[(f"admin edit {model}", message[:300] or "(no message)")] += 1

    WORKFLOW_PREFERENCE = {
        # What an editor clicks, in order of preference, by kind of article.
        "draft": ["approve", "publish", "submit"],
        "churn": ["publish", "approve", "submit", "reopen", "unpublish"],
    }

    def workflow(self) -> None:
        p, rng = self.plan, self.rng
        if not self._admin_login():
            return
        # Often one of the hot drafts: publishing an article publishes the translation
        # versions approved meanwhile, while translators go on submitting to it.
        article = rng.choice(p.hot_drafts if rng.random() < 0.4 else p.workflow)
        path = f"/admin/articles/article/{article.pk}/change/"
        page = self.editor.request("GET", path, "/admin/articles/article/<id>/change/")
        if page.status != 200:
            return
        offered = {
            m.group(1): m.group(0)
            for m in re.finditer(
                rf"/admin/articles/article/{article.pk}/transition/(\w+)/", page.text
            )
        }
        kind = "churn" if article.pk in p.churn else "draft"
        actions = [a for a in self.WORKFLOW_PREFERENCE[kind] if a in offered]
        if not actions:
            self.outcome("admin workflow", "nothing to do")
            return
        action = actions[0] if rng.random() < 0.8 else rng.choice(actions)
        url = offered[action]
        template = f"/admin/articles/article/<id>/transition/{action}/"
        self.editor.request("GET", url, template)
        response = self.editor.request(
            "POST",
            url,
            template,
            form={
                "csrfmiddlewaretoken": self.editor.cookies.get("csrftoken", ""),
                "note": f"Load test: {action}.",
            },
        )
        if response.status == 302:
            self.outcome(f"admin workflow {action}", "done")
        elif response.status == 200:
            self.outcome(f"admin workflow {action}", "refused")
            message = re.search(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
            text = " ".join(re.sub(r"<[^>]+>", " ", message.group(1)).split()) if message else ""
            with self.run.lock:
                self.run.refusals[(f"admin workflow {action}", text[:300] or "(no message)")] += 1
