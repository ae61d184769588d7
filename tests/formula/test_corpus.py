"""Every formula and text template of the shared flow corpus compiles (one formula is invalid on purpose)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from flowforce.formula import FormulaSyntaxError, compile_formula, parse_template

CORPUS = Path(__file__).parents[2].parent / "shared" / "flow-corpus"
NS = "{http://soap.sforce.com/2006/04/metadata}"
# steinwinde__flowex/BreakOutOfLoopInLoop: prose saved as a formula expression.
INVALID = {
    "This case is not going well: {!Loop_2.SuppliedName} ({!Loop_2.Id} of Contact: {!Loop_1.Name}, "
    "all this belonging to Account: {!$Record.Name}"
}


class NullEnvironment:
    """Every reference is null, as in a flow whose variables were never assigned."""

    def resolve(self, reference: str) -> Any:
        return None

    def now(self) -> dt.datetime:
        return dt.datetime(2024, 1, 31, 9, 15, tzinfo=dt.UTC)

    def today(self) -> dt.date:
        return self.now().date()


def _corpus_items(element: str, child: str) -> list[tuple[str, str, str | None]]:
    if not CORPUS.is_dir():
        return []
    items = []
    for path in sorted(CORPUS.rglob("*.flow-meta.xml")):
        for node in etree.parse(str(path)).iter(NS + element):
            text = node.findtext(NS + child)  # lxml already XML-unescapes
            data_type = node.findtext(NS + "dataType")
            if text is not None:
                items.append((f"{path.parent.name}/{path.name}", text, data_type))
    return items


FORMULAS = _corpus_items("formulas", "expression")
TEMPLATES = _corpus_items("textTemplates", "text")


def _require_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"flow corpus not found at {CORPUS}")


def test_corpus_has_formulas():
    _require_corpus()
    assert len(FORMULAS) >= 50
    assert any(expression in INVALID for _, expression, _ in FORMULAS)


@pytest.mark.parametrize(("source", "expression", "data_type"), FORMULAS, ids=[f[0] for f in FORMULAS])
def test_corpus_formula_compiles(source, expression, data_type):
    _require_corpus()
    if expression in INVALID:
        with pytest.raises(FormulaSyntaxError, match="line 1, column 6"):
            compile_formula(expression, result_type=data_type)
    else:
        formula = compile_formula(expression, result_type=data_type)
        assert formula.expression == expression
        # With every reference null the formula must still evaluate (null propagation), never crash.
        formula.evaluate(NullEnvironment())


@pytest.mark.parametrize(("source", "text", "_type"), TEMPLATES, ids=[t[0] for t in TEMPLATES])
def test_corpus_template_parses(source, text, _type):
    _require_corpus()
    template = parse_template(text)
    assert all(reference in text for reference in template.references)
