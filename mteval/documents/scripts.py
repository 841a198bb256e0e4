"""Unicode ranges of the scripts that text rules treat apart (as regular-expression class bodies)."""

#: kana, Han (unified, extension A, compatibility) and half-width katakana: one character says about a
#: word's worth, and words are not spaced
HAN_KANA = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
#: every script written without spaces between words: Thai, Lao, Myanmar, Khmer, and Han and kana
UNSPACED = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff" + HAN_KANA
