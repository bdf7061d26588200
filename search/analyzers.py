"""The analyzers of the feedback index.

Vietnamese is written with diacritics, and typed without them as often as with. A text field
is therefore indexed twice: with `vietnamese_folding`, which keeps each word as written and
adds its folded form at the same position ("đất" → "đất", "dat"), so "dat dai" and "đất đai"
both match; and, in its `.exact` sub-field, with `vietnamese_exact`, lower case only, which
queries boost so the spelling typed ranks first. Lucene's ASCII folding maps đ/Đ to d, so no
character mapping is needed. Text reaches the index in NFC (search.text.normalize): the
folding filter knows precomposed letters, not combining marks.

Provision paths ("chuong-2/chuong-2-muc-1/dieu-5") are split by `provision_tree` into every
ancestor path, so a filter on a chapter's path matches the whole subtree.
"""

from elasticsearch_dsl import analyzer, token_filter, tokenizer

vietnamese_fold = token_filter("vietnamese_fold", "asciifolding", preserve_original=True)

vietnamese_folding = analyzer(
    "vietnamese_folding",
    tokenizer="standard",
    filter=["lowercase", vietnamese_fold],
)

vietnamese_exact = analyzer("vietnamese_exact", tokenizer="standard", filter=["lowercase"])

provision_tree = analyzer(
    "provision_tree",
    tokenizer=tokenizer("provision_path", "path_hierarchy", delimiter="/"),
)
