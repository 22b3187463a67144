"""Route a resident's message: spoed | wijkteam | onbekend | voorziening, with a graded safety net.

A learned router (search.triage.router, trained on the corpus in search/data/triage/) gives calibrated
probabilities. Three safety levels follow from the spoed probability:
- "spoed": the emergency lines first and large, nothing above them;
- "zorg": the question is answered as usual, with a compact block of the fitting lines above the results;
- None.
The short rule list (search.triage.rules) puts a floor under it: a rule match is at least "zorg", and the
emergency page when there is no question vector (no model: the router reads letters only) or no router.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from search.question import Meaning
from search.triage.corpus import KINDS, ROUTES
from search.triage.router import Prediction, Router
from search.triage.rules import crisis_kinds, is_gibberish

log = logging.getLogger(__name__)

__all__ = ["KINDS", "LINES_FOR", "ROUTES", "SAFETY_LEVELS", "Triage", "TriageResult", "is_gibberish"]

SAFETY_LEVELS = ("spoed", "zorg")
# Crisis kind -> emergency line keys (webapp.emergency holds their names, numbers and texts), most
# fitting first. 112 is added to every spoed answer.
LINES_FOR: dict[str, tuple[str, ...]] = {
    "suicide": ("113", "112"),
    "selfharm": ("113", "112"),
    "overdose": ("112", "113"),
    "medical": ("112",),
    "violence": ("112", "veilig-thuis"),
    "child_abuse": ("veilig-thuis", "112"),
    "elder_abuse": ("veilig-thuis", "112"),
}
# A second crisis kind joins the lines when the router gives it at least this probability.
SECOND_KIND = 0.25


@dataclass(frozen=True)
class TriageResult:
    route: str
    reason: str
    safety: str | None = None  # "spoed", "zorg" or None
    emergency: tuple[str, ...] = ()  # line keys for spoed and zorg, most fitting first
    kinds: tuple[str, ...] = ()  # crisis kinds, most likely first (spoed and zorg)
    p_spoed: float | None = None  # calibrated probability that this is a crisis (None: rules only)
    routes: dict[str, float] = field(default_factory=dict)  # calibrated route probabilities
    signals: tuple[str, ...] = ()


def lines_for_kinds(kinds: tuple[str, ...], spoed: bool) -> tuple[str, ...]:
    keys: list[str] = []
    for kind in kinds:
        keys.extend(k for k in LINES_FOR.get(kind, ()) if k not in keys)
    if spoed and "112" not in keys:
        keys.append("112")
    return tuple(keys)


class Triage:
    """classify(meaning) -> TriageResult: a message by what it means (search.question.Meaning: its text
    without place names, folded, and its question vector; Meaning.of(text, vector) for a plain text).

    `model_id`: the embedder whose question vectors are passed in (None: no model, letters only).
    `router`: the trained router (search.triage.router.load_router), or None: the rule list alone.
    """

    def __init__(self, model_id: str | None = None, router: Router | None = None) -> None:
        self.router = router
        self.use_vectors = router is not None and router.fits(model_id)
        if router is not None and model_id and not self.use_vectors:
            log.warning("the triage router was trained on %s vectors, not %s: it reads letters only",
                        router.family, model_id)  # fmt: skip

    def classify(self, meaning: Meaning) -> TriageResult:
        """Route a message; its vector counts when the router was trained on this embedder's vectors."""
        rule_kinds = crisis_kinds(meaning.folded)
        if self.router is None:
            return self._rules_only(meaning, rule_kinds)
        prediction = self.router.predict(meaning.folded, meaning.vector if self.use_vectors else None)
        return self._decide(meaning, prediction, rule_kinds)

    def _decide(self, meaning: Meaning, prediction: Prediction, rule_kinds: tuple[str, ...]) -> TriageResult:
        assert self.router is not None
        p = prediction.spoed
        zorg = self.router.threshold(prediction.head, "zorg")
        spoed = self.router.threshold(prediction.head, "spoed")
        # Without the question vector the letters alone are a weaker judge: a rule match is then the page.
        rule_level = ("spoed" if prediction.head == "letters" else "zorg") if rule_kinds else None
        safety = "spoed" if p >= spoed else "zorg" if p >= zorg else None
        if rule_level and (safety is None or rule_level == "spoed"):
            safety = rule_level
        others = {r: v for r, v in prediction.routes.items() if r != "spoed"}
        route = "spoed" if safety == "spoed" else max(others, key=lambda r: others[r])
        signals = tuple(f"rule:{k}" for k in rule_kinds)
        if route != "spoed" and safety is None and is_gibberish(meaning.folded):
            route, signals = "onbekend", (*signals, "gibberish")
        kinds: tuple[str, ...] = ()
        if safety is not None:
            ranked = sorted(prediction.kinds, key=lambda k: -prediction.kinds[k])
            kinds = tuple(dict.fromkeys((*rule_kinds, ranked[0], *(
                k for k in ranked[1:] if prediction.kinds[k] >= SECOND_KIND
            ))))  # fmt: skip
        reason = f"router ({prediction.head}): p(spoed) {p:.2f}, {route} {prediction.routes[route]:.2f}"
        return TriageResult(
            route=route,
            reason=reason,
            safety=safety,
            emergency=lines_for_kinds(kinds, safety == "spoed"),
            kinds=kinds,
            p_spoed=p,
            routes=prediction.routes,
            signals=signals,
        )

    @staticmethod
    def _rules_only(meaning: Meaning, rule_kinds: tuple[str, ...]) -> TriageResult:
        if rule_kinds:
            return TriageResult(
                "spoed", "crisis rule", "spoed", lines_for_kinds(rule_kinds, True), rule_kinds,
                signals=tuple(f"rule:{k}" for k in rule_kinds),
            )  # fmt: skip
        if is_gibberish(meaning.folded):
            return TriageResult("onbekend", "no recognisable words", signals=("gibberish",))
        return TriageResult("voorziening", "default without a router")
