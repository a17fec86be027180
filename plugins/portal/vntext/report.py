"""Precision and recall of the encoding detector on the labelled corpus.

    python -m portal.vntext.report [--corpus tests/vntext/corpus/blocks.jsonl]

A block counts as found when the detector names its label *and* the corrected text equals
the expected text exactly. A false conversion is any change that does not give the expected
text: the target is none at all (precision 100%) and a recall of at least 98% on blocks of
five words or more. Legacy sentences pasted into Unicode lines are judged word by word.
"""

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from portal.errors import PortalError
from portal.vntext.detect import AMBIGUOUS, ENCODINGS, detect_block

DEFAULT_CORPUS = (
    Path(__file__).resolve().parents[3] / "tests" / "vntext" / "corpus" / "blocks.jsonl"
)
LONG_BLOCK_WORDS = 5


@dataclass
class Tally:
    labelled: int = 0
    predicted: int = 0
    correct: int = 0  # predicted == label and fixed == expected

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0


@dataclass
class Evaluation:
    tallies: dict[str, Tally] = field(default_factory=lambda: {e: Tally() for e in ENCODINGS})
    blocks: int = 0
    false_conversions: list[dict] = field(default_factory=list)
    misses: list[dict] = field(default_factory=list)

    @property
    def correct(self) -> int:
        return sum(t.correct for t in self.tallies.values())

    @property
    def accuracy(self) -> float:
        return self.correct / self.blocks if self.blocks else 1.0


def load_blocks(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise PortalError(f"Không đọc được bộ ngữ liệu (corpus) {path}: {error.strerror}") from None
    return [json.loads(line) for line in lines if line.strip()]


def evaluate(blocks: list[dict]) -> Evaluation:
    evaluation = Evaluation()
    for row in blocks:
        result = detect_block(row["text"])
        label, predicted = row["label"], result.encoding
        evaluation.blocks += 1
        evaluation.tallies[label].labelled += 1
        evaluation.tallies[predicted].predicted += 1
        right = predicted == label and result.fixed == row["expected"]
        evaluation.tallies[label].correct += right
        if result.fixed != row["text"] and result.fixed != row["expected"]:
            evaluation.false_conversions.append(
                {**row, "predicted": predicted, "got": result.fixed}
            )
        elif not right:
            evaluation.misses.append({**row, "predicted": predicted, "got": result.fixed})
    return evaluation


def _table(title: str, evaluation: Evaluation) -> list[str]:
    lines = [
        title,
        f"  {'encoding':<16}{'blocks':>8}{'detected':>10}{'precision':>11}{'recall':>9}",
    ]
    for encoding, tally in evaluation.tallies.items():
        if not tally.labelled and not tally.predicted:
            continue
        if encoding == AMBIGUOUS:  # reported, not converted: no precision to speak of
            lines.append(f"  {encoding:<16}{'':>8}{tally.predicted:>10}   (left alone, reported)")
            continue
        lines.append(
            f"  {encoding:<16}{tally.labelled:>8}{tally.predicted:>10}"
            f"{tally.precision:>10.1%}{tally.recall:>9.1%}"
        )
    lines.append(
        f"  {'overall':<16}{evaluation.blocks:>8}{'':>10}{'':>11}{evaluation.accuracy:>9.1%}"
        f"   false conversions: {len(evaluation.false_conversions)}"
    )
    return lines


PASTED = "vi-inline"
_GROUPS = {
    "vi": "Vietnamese, one encoding per block",
    "vi-mixed": "Vietnamese notes with English terms or loanwords",
}


def _groups(blocks: list[dict]) -> list[str]:
    """Every kind of text on its own: found / blocks, and false conversions."""
    lines = [
        "By kind of text (legacy forms found / legacy blocks; correct text left alone / total)",
    ]
    langs = sorted({b["lang"] for b in blocks}, key=lambda lang: (lang not in _GROUPS, lang))
    for lang in langs:
        rows = [b for b in blocks if b["lang"] == lang]
        evaluation = evaluate(rows)
        legacy = [b for b in rows if b["label"] not in ("unicode-ok", "nfd")]
        found = sum(
            t.correct for e, t in evaluation.tallies.items() if e not in ("unicode-ok", "nfd")
        )
        ok = evaluation.tallies["unicode-ok"]
        name = _GROUPS.get(lang, f"{lang}: correct text in another language")
        lines.append(
            f"  {name:<52} legacy {found:>3}/{len(legacy):<3} correct {ok.correct:>3}/"
            f"{ok.labelled:<3} false conversions: {len(evaluation.false_conversions)}"
        )
    return lines


@dataclass
class WordTally:
    """Pasted blocks judged word by word: a block that is half Unicode is half right."""

    blocks: int = 0
    exact: int = 0  # blocks repaired entirely
    legacy_words: int = 0  # words that differ between the text and the expected text
    repaired: int = 0
    left: int = 0  # left as they were (reported as possibly legacy, or not)
    wrong: int = 0  # changed into anything but the expected word: the precision failure
    wrong_rows: list[str] = field(default_factory=list)


def evaluate_words(blocks: list[dict]) -> WordTally:
    tally = WordTally()
    for row in blocks:
        fixed = detect_block(row["text"]).fixed
        tally.blocks += 1
        tally.exact += fixed == row["expected"]
        columns = [row["text"].split(" "), fixed.split(" "), row["expected"].split(" ")]
        if len({len(column) for column in columns}) != 1:  # words moved: count it as wrong
            tally.wrong += 1
            tally.wrong_rows.append(row["id"])
            continue
        for original, got, expected in zip(*columns, strict=True):
            tally.legacy_words += original != expected
            if got == expected:
                tally.repaired += original != expected
            elif got == original:
                tally.left += 1
            else:
                tally.wrong += 1
                tally.wrong_rows.append(row["id"])
    return tally


def _pasted_table(tally: WordTally) -> list[str]:
    share = tally.repaired / tally.legacy_words if tally.legacy_words else 1.0
    return [
        "Legacy sentences pasted inside Unicode lines (word by word)",
        f"  blocks {tally.blocks}, repaired entirely {tally.exact}; legacy words "
        f"{tally.legacy_words}: repaired {tally.repaired} ({share:.1%}), left as they were "
        f"{tally.left}, changed wrongly {tally.wrong}",
    ]


def render(blocks: list[dict], show_misses: bool = False) -> tuple[str, bool]:
    """The report text, and whether the targets are met.

    Blocks in one encoding are judged whole. Legacy sentences pasted into a Unicode line
    (`lang: vi-inline`) are judged word by word in their own table: an edge word valid both
    ways is left and reported, never guessed, so such a block may be partly repaired.
    """
    pasted = [b for b in blocks if b["lang"] == PASTED]
    blocks = [b for b in blocks if b["lang"] != PASTED]
    long_blocks = [b for b in blocks if b["words"] >= LONG_BLOCK_WORDS]
    everything, long_only = evaluate(blocks), evaluate(long_blocks)
    words = evaluate_words(pasted)
    legacy_recall = [
        t.recall for e, t in long_only.tallies.items() if e != AMBIGUOUS and t.labelled
    ]
    met = (
        not everything.false_conversions
        and not words.wrong
        and min(legacy_recall, default=1.0) >= 0.98
    )
    lines = _table(f"Blocks of {LONG_BLOCK_WORDS} words or more", long_only)
    lines += [""] + _table("All blocks (short fragments may stay ambiguous)", everything)
    lines += [""] + _groups(blocks)
    if pasted:
        lines += [""] + _pasted_table(words)
    lines += ["", "Targets (precision 100%, recall >= 98% per encoding on long blocks, "
              "no pasted word changed wrongly): " + ("met" if met else "NOT MET")]  # fmt: skip
    if show_misses:
        for row in everything.false_conversions + everything.misses:
            lines.append(f"  {row['id']} [{row['label']} → {row['predicted']}] {row['got'][:80]!r}")
        lines += [f"  {row_id} [pasted: a word changed wrongly]" for row_id in words.wrong_rows]
    return "\n".join(lines), met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--misses", action="store_true", help="list every block not found")
    args = parser.parse_args(argv)
    try:
        text, met = render(load_blocks(args.corpus), show_misses=args.misses)
    except PortalError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 2
    print(text)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
