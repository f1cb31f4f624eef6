"""translate-toolkit's StandardChecker, limited to the tests that hold for French→English prose."""

from __future__ import annotations

from functools import cache

from workflow.qa.findings import Issue
from workflow.qa.rules import issue, qa_rules


@cache
def _toolkit_checker():
    from translate.filters.checks import CheckerConfig, StandardChecker
    from translate.lang import factory

    rules = qa_rules()
    settings = rules.toolkit_config
    config = CheckerConfig(
        targetlanguage=settings["target_language"],
        musttranslatewords=list(settings["must_translate"]),
    )
    # CheckerConfig assumes English sources; ours are French.
    config.sourcelang = factory.getlanguage(settings["source_language"])
    return StandardChecker(checkerconfig=config, limitfilters=list(rules.toolkit_tests))


def check_toolkit(source: str, target: str) -> list[Issue]:
    from translate.filters.checks import FilterFailure

    checker = _toolkit_checker()
    checker.results_cache = {}
    # Sentence-initial "L’OTAN" would otherwise read as the acronym "L’OTAN".
    source = qa_rules().elision.sub("", source)
    issues: list[Issue] = []
    reported: set[str] = set()
    for test, name in qa_rules().toolkit_tests.items():
        try:
            getattr(checker, test)(source, target)
        except FilterFailure as failure:
            if name not in reported:
                reported.add(name)
                issues.append(issue(name, f"{'; '.join(failure.messages)} (translate-toolkit {test})"))
    return issues
