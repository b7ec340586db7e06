"""Evaluation: metric values on hand-made rankings, and `vankien eval --json` end to end
on a tiny Vietnamese benchmark."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bot.cli import main
from index.evaluation import (
    Scored,
    hit_at,
    mrr_at,
    ndcg_at,
    percentile,
    query_metrics,
    read_qrels,
    read_queries,
    recall_at,
    split_heading,
    summarize,
)

RANKED = ["d3", "d1", "d7", "d2"]


@pytest.mark.parametrize(
    ("relevant", "k", "recall", "hit"),
    [
        ({"d1"}, 1, 0.0, 0.0),
        ({"d1"}, 2, 1.0, 1.0),
        ({"d1", "d2"}, 2, 0.5, 1.0),
        ({"d1", "d2"}, 4, 1.0, 1.0),
        ({"d9"}, 4, 0.0, 0.0),
        (set(), 4, 0.0, 0.0),
    ],
)
def test_recall_and_hit(relevant: set[str], k: int, recall: float, hit: float) -> None:
    assert recall_at(RANKED, relevant, k) == recall
    assert hit_at(RANKED, relevant, k) == hit


@pytest.mark.parametrize(
    ("relevant", "k", "mrr"),
    [({"d3"}, 10, 1.0), ({"d1"}, 10, 0.5), ({"d7", "d2"}, 10, 1 / 3), ({"d2"}, 3, 0.0), ({"d9"}, 10, 0.0)],
)
def test_mrr(relevant: set[str], k: int, mrr: float) -> None:
    assert mrr_at(RANKED, relevant, k) == pytest.approx(mrr)


def test_ndcg_single_relevant_at_rank_two() -> None:
    assert ndcg_at(RANKED, {"d1": 1}, 10) == pytest.approx(1 / math.log2(3))


def test_ndcg_graded() -> None:
    # gains 2^2-1=3 at rank 2 and 2^1-1=1 at rank 4; ideal: 3 at rank 1, 1 at rank 2
    dcg = 3 / math.log2(3) + 1 / math.log2(5)
    ideal = 3 + 1 / math.log2(3)
    assert ndcg_at(RANKED, {"d1": 2, "d2": 1}, 10) == pytest.approx(dcg / ideal)
    assert ndcg_at(["d1", "d2"], {"d1": 2, "d2": 1}, 10) == pytest.approx(1.0)


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 99), percentile(values, 100)) == (50.0, 99.0, 100.0)
    assert percentile([], 50) == 0.0


def test_query_metrics_and_summary() -> None:
    m = query_metrics(RANKED, {"d1": 1})
    assert m == {"P@1": 0.0, "R@1": 0.0, "R@5": 1.0, "R@10": 1.0, "MRR@10": 0.5,
                 "nDCG@10": pytest.approx(1 / math.log2(3))}
    both = summarize([Scored("a", m, 2.0), Scored("b", query_metrics(["d1"], {"d1": 1}), 4.0)])
    assert (both["n_queries"], both["R@1"], both["MRR@10"], both["p50_ms"]) == (2, 0.5, 0.75, 2.0)


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("Phạm vi điều chỉnh\n\nBộ luật này quy định địa vị pháp lý.", "Phạm vi điều chỉnh"),
        ("Điều  2. \tMột số thuật ngữ\nKLTN: Khóa luận tốt nghiệp", "Điều 2. Một số thuật ngữ"),
        ("Một đoạn văn duy nhất không có tiêu đề.", ""),
        ("x" * 200 + "\nphần còn lại", ""),
    ],
)
def test_short_first_line_is_the_heading(text: str, heading: str) -> None:
    assert split_heading(text)[0] == heading


PASSAGES = {
    "p1": "Tuổi vào Đảng\nNgười vào Đảng phải từ đủ mười tám tuổi đến sáu mươi tuổi.",
    "p2": "Thời hạn dự bị\nĐảng viên dự bị có thời hạn dự bị là mười hai tháng kể từ ngày kết nạp.",
    "p3": "Sinh hoạt chi bộ\nChi bộ sinh hoạt thường kỳ mỗi tháng một lần.",
    "p4": "Học bổng\nSinh viên có kết quả học tập xuất sắc được xét cấp học bổng khuyến khích.",
    "p5": "Khóa luận tốt nghiệp\nSinh viên đủ điều kiện được đăng ký làm khóa luận tốt nghiệp.",
}
QUERIES = [
    ("q1", "Người vào Đảng phải đủ bao nhiêu tuổi?", "a", "p1"),
    ("q2", "Thời hạn dự bị của đảng viên là bao lâu?", "a", "p2"),
    ("q3", "Chi bộ sinh hoạt mấy lần mỗi tháng?", "a", "p3"),
    ("q4", "Sinh viên nào được xét cấp học bổng?", "b", "p4"),
    ("q5", "Ai được đăng ký làm khóa luận tốt nghiệp?", "b", "p5"),
]


@pytest.fixture
def benchmark(tmp_path: Path) -> tuple[Path, Path, Path]:
    corpus, queries, qrels = tmp_path / "corpus.jsonl", tmp_path / "queries.jsonl", tmp_path / "qrels.tsv"
    corpus.write_text("".join(json.dumps({"id": k, "text": v}, ensure_ascii=False) + "\n"
                              for k, v in PASSAGES.items()), encoding="utf-8")
    queries.write_text("".join(json.dumps({"id": q, "text": t, "split": s}, ensure_ascii=False) + "\n"
                               for q, t, s, _ in QUERIES), encoding="utf-8")
    qrels.write_text("".join(f"{q}\t{d}\t1\n" for q, _, _, d in QUERIES), encoding="utf-8")
    return corpus, queries, qrels


def test_readers(benchmark: tuple[Path, Path, Path]) -> None:
    _, queries, qrels = benchmark
    assert [q.qid for q in read_queries(queries, "b")] == ["q4", "q5"]
    assert read_qrels(qrels)["q2"] == {"p2": 1}


@pytest.mark.parametrize("engine", ["tantivy", "rank-bm25"])
def test_eval_json_end_to_end(benchmark: tuple[Path, Path, Path], engine: str,
                              capsys: pytest.CaptureFixture[str]) -> None:
    corpus, queries, qrels = benchmark
    code = main(["eval", "--corpus", str(corpus), "--queries", str(queries), "--qrels", str(qrels),
                 "--engine", engine, "--json"])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0 and len(out) == 1
    result = json.loads(out[0])
    assert set(result) == {"n_queries", "P@1", "R@1", "R@5", "R@10", "MRR@10", "nDCG@10", "p50_ms", "p99_ms"}
    assert result["n_queries"] == 5
    assert result["R@1"] == result["MRR@10"] == result["R@10"] == 1.0


def test_eval_split_keeps_only_its_queries(benchmark: tuple[Path, Path, Path],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    corpus, queries, qrels = benchmark
    args = ["eval", "--corpus", str(corpus), "--queries", str(queries), "--qrels", str(qrels), "--json"]
    assert main([*args, "--split", "b"]) == 0
    assert json.loads(capsys.readouterr().out)["n_queries"] == 2
    assert main([*args, "--split", "nope"]) == 2
    assert "No queries with qrels in split 'nope'" in capsys.readouterr().err
