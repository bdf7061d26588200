"""The analyzers of the feedback index.

Vietnamese is written with diacritics, and typed without them as often as with. A text field
is therefore indexed twice: with `vietnamese_folding`, which keeps each word as written and
adds its folded form at the same position ("đất" → "đất", "dat"), so "dat dai" and "đất đai"
both match; and, in its `.exact` sub-field, with `vietnamese_exact`, lower case only, which
queries boost so the spelling typed ranks first. Lucene's ASCII folding maps đ/Đ to d; the
look-alikes Ð/ð (Icelandic eth) are mapped to Đ/đ first, by a character filter, so the exact
spelling matches too (an index built before needs `search_reindex`). Text reaches the index
in NFC (search.text.normalize): the folding filter knows precomposed letters, not combining
marks.

Provision paths ("chuong-2/chuong-2-muc-1/dieu-5") are split by `provision_tree` into every
ancestor path, so a filter on a chapter's path matches the whole subtree.
"""

from elasticsearch_dsl import analyzer, char_filter, token_filter, tokenizer

# The look-alikes Ð/ð read as Đ/đ (econsult.text.LOOKALIKES), in the exact spelling as well.
vietnamese_lookalikes = char_filter(
    "vietnamese_lookalikes", "mapping", mappings=["Ð => Đ", "ð => đ"]
)

vietnamese_fold = token_filter("vietnamese_fold", "asciifolding", preserve_original=True)

vietnamese_folding = analyzer(
    "vietnamese_folding",
    char_filter=[vietnamese_lookalikes],
    tokenizer="standard",
    filter=["lowercase", vietnamese_fold],
)

vietnamese_exact = analyzer(
    "vietnamese_exact",
    char_filter=[vietnamese_lookalikes],
    tokenizer="standard",
    filter=["lowercase"],
)

provision_tree = analyzer(
    "provision_tree",
    tokenizer=tokenizer("provision_path", "path_hierarchy", delimiter="/"),
)
