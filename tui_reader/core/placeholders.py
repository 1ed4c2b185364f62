"""The producer's failure placeholders (FORMATS.md §3): when the LLM call
fails, the enhanced file still holds the paper, with stock text in every
AI field.  That text is not a summary in any language: it is recognised
here, at parse time, so the paper is shown as "summary failed" with its
abstract, and the placeholders never reach language counts, the index,
exports or similarity.

Known texts, as the producer and its forks write them (case and trailing
punctuation ignored):

- upstream ``ai/enhance.py``: ``Summary generation failed``, ``Motivation
  analysis unavailable``, ``Method extraction failed``, ``Result analysis
  unavailable``, ``Conclusion extraction failed``;
- older versions (``task`` before ``tldr``): ``Task description failed``;
- a Vietnamese fork (``tldr_vn`` ...): ``Tóm tắt thất bại``, ``Phân tích
  động lực không khả dụng``, ``Trích xuất phương pháp thất bại``, ...;
- forks that translate the defaults along with the prompt: Chinese
  (``摘要生成失败``, ``动机分析不可用``, ``方法提取失败``, ...), Japanese
  (``要約の生成に失敗しました``, ``動機の分析は利用できません``, ...),
  Korean, French, German, Spanish, Portuguese, Russian.

Beyond the exact list, a short field (a placeholder is one phrase, not a
paragraph) made only of "summary/motivation/method/result/conclusion" plus
"failed/unavailable" in one of those languages counts too, so a fork's
wording we have not seen is still caught; a real summary sentence that
mentions failure ("the method fails on ...") is far longer and has other
words, and is kept.
"""

from __future__ import annotations

import re

_EXACT = {
    # English (upstream, and older producer versions)
    "summary generation failed", "motivation analysis unavailable", "method extraction failed",
    "result analysis unavailable", "conclusion extraction failed", "task description failed",
    "tldr generation failed", "summary unavailable", "analysis unavailable", "generation failed",
    # Vietnamese fork
    "tóm tắt thất bại", "phân tích động lực không khả dụng", "trích xuất phương pháp thất bại",
    "phân tích kết quả không khả dụng", "trích xuất kết luận thất bại",
    # Chinese
    "摘要生成失败", "总结生成失败", "生成摘要失败", "动机分析不可用", "方法提取失败", "结果分析不可用",
    "结论提取失败", "摘要生成失敗", "動機分析不可用", "方法提取失敗", "結果分析不可用", "結論提取失敗",
    # Japanese
    "要約の生成に失敗しました", "要約生成に失敗しました", "要約の生成に失敗", "動機の分析は利用できません",
    "手法の抽出に失敗しました", "結果の分析は利用できません", "結論の抽出に失敗しました",
    # Korean
    "요약 생성 실패", "요약 생성에 실패했습니다", "동기 분석을 사용할 수 없음", "방법 추출 실패",
    "결과 분석을 사용할 수 없음", "결론 추출 실패",
    # French, German, Spanish, Portuguese, Russian
    "échec de la génération du résumé", "la génération du résumé a échoué",
    "zusammenfassung fehlgeschlagen", "zusammenfassung konnte nicht erstellt werden",
    "error al generar el resumen", "falló la generación del resumen",
    "falha na geração do resumo", "не удалось создать резюме", "ошибка генерации резюме",
}

# Words a placeholder is made of, per language: what was meant to be there,
# and that it failed.  A field that holds nothing else (and is short) is a
# placeholder.
_SUBJECT = (
    r"summary|summarization|tl;?dr|task|motivation|method|methods|result|results|conclusion|analysis|"
    r"extraction|description|generation|ai|llm|"
    r"摘要|总结|總結|概要|动机|動機|方法|结果|結果|结论|結論|分析|提取|生成|要約|手法|抽出|の|は|に|を|"
    r"요약|동기|방법|결과|결론|분석|추출|생성|을|를|에|"
    r"tóm|tắt|phân|tích|động|lực|trích|xuất|phương|pháp|kết|quả|luận|"
    r"résumé|résumés|génération|de|la|du|zusammenfassung|der|die|des|resumen|generación|del|el|al|resumo|"
    r"geração|do|на|резюме|создать|генерации|анализ"
)
_FAILED = (
    r"failed|fail|unavailable|not available|error|"
    r"失败|失敗|不可用|无法|無法|出错|出錯|错误|错误|利用できません|できませんでした|失敗しました|"
    r"실패|실패했습니다|사용할 수 없음|thất bại|không khả dụng|"
    r"échec|échoué|indisponible|fehlgeschlagen|nicht verfügbar|konnte nicht erstellt werden|"
    r"error|falló|no disponible|falha|indisponível|не удалось|ошибка|недоступен"
)
_WORDS = re.compile(rf"(?:{_FAILED}|{_SUBJECT}|[\s\-_:：,，.。!！()（）])+", re.IGNORECASE)
_FAILED_RE = re.compile(_FAILED, re.IGNORECASE)
_MAX_LENGTH = 48  # characters: a placeholder is one short phrase


def _norm(text: str) -> str:
    return " ".join(text.split()).strip(" .。!！").lower()


def is_placeholder(text: str) -> bool:
    """Whether one AI field holds a failure placeholder."""
    value = _norm(text)
    if not value:
        return False
    if value in _EXACT:
        return True
    if len(value) > _MAX_LENGTH or not _FAILED_RE.search(value):
        return False
    return _WORDS.fullmatch(value) is not None


def scrub(values: list[str]) -> tuple[list[str], bool]:
    """The AI fields with placeholders blanked, and whether every field
    that held anything was a placeholder (the summary failed).  A fork
    that fills only the fields the LLM missed keeps the real ones."""
    kept = ["" if v and is_placeholder(v) else v for v in values]
    failed = any(values) and not any(kept)
    return kept, failed
